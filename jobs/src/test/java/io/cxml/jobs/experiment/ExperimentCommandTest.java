package io.cxml.jobs.experiment;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cxml.jobs.CliTestBase;
import io.cxml.testing.LocalSpark;
import io.cxml.testing.TestServers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The intent experiment demo as a newcomer runs it, {@code cxml pipeline --sample --experiment}: a second intent
 * version, {@code cxml score} serving each of the three arms its version, planted outcomes in the challenger (the lift
 * found, its interval covering the truth) and the A/A pair finding nothing; then the commands a user runs around it: a
 * look before any outcome matured, an arm naming a missing version, re-planting the same effect.
 */
@Tag("slow")
class ExperimentCommandTest extends CliTestBase {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String NAME = "sample-intent-aab";
    /** The demo's experiment as cxml.experiments holds it during the pipeline (the challenger is the second version). */
    private static final String EXPERIMENT = "cxml.experiments=[{name = " + NAME + ", model = intent, unit = ticket, "
            + "arms = [{name = control, version = \"intent@champion\"}, {name = control-copy, version = "
            + "\"intent@champion\"}, {name = challenger, version = \"intent@CHALLENGER\"}], start = \"2026-01-01\", "
            + "end = \"2026-01-04\", primary-metric = escalation, guardrails = [csat, reopen], "
            + "minimum-detectable-effect = 0.3, maturity = 1d}]";

    @TempDir
    Path root;

    private String table;

    @Override
    protected int cxml(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--conf", "cxml.storage.root=" + root, "--conf", "spark.sql.shuffle.partitions=4",
                "--conf", "cxml.spark.master=local[2]", "--conf", "cxml.experiment-analysis.min-slice-units=100"));
        String pg = System.getenv(TestServers.PG_URL);
        table = "experiment_results_" + Math.abs(root.hashCode());
        if (pg != null) {
            all.addAll(List.of("--conf", "cxml.warehouse.url=" + pg, "--conf",
                    "cxml.warehouse.user=" + System.getenv(TestServers.PG_USER), "--conf",
                    "cxml.warehouse.password=" + System.getenv(TestServers.PG_PASSWORD), "--conf",
                    "cxml.scoring.table=", "--conf", "cxml.experiment-analysis.table=" + table));
        }
        return super.cxml(all.toArray(new String[0]));
    }

    private int withExperiment(String challenger, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--conf", EXPERIMENT.replace("CHALLENGER", challenger)));
        return cxml(all.toArray(new String[0]));
    }

    /** Small, fast models: the experiment is under test, not their quality (sentiment and routing train in passing). */
    private static final String[] SMALL_MODEL = {"--conf", "cxml.training.intent.buckets=16384", "--conf",
        "cxml.training.intent.dim=32", "--conf", "cxml.training.intent.epochs=3", "--conf",
        "cxml.training.baseline.features=0", "--conf", "cxml.models.gates.min-accuracy=0", "--conf",
        "cxml.models.gates.min-macro-f1=0", "--conf", "cxml.models.gates.min-language-accuracy=0", "--conf",
        "cxml.training.sentiment.buckets=16384", "--conf", "cxml.training.sentiment.epochs=2", "--conf",
        "cxml.routing.epochs=5"};

    private JsonNode lastRunRecord(String job) throws Exception {
        try (Stream<Path> files = Files.list(root.resolve("runs/" + job))) {
            return JSON.readTree(files.filter(p -> p.toString().endsWith(".json")).sorted().reduce((a, b) -> b)
                    .orElseThrow().toFile());
        }
    }

    private static String[] concat(String[] a, String... b) {
        return Stream.concat(Stream.of(a), Stream.of(b)).toArray(String[]::new);
    }

    @Test
    void theDemoFindsThePlantedLiftAndNothingInTheAaPair() throws Exception {
        // 1,333 tickets an arm: a 60% drop of escalation, large enough for the always-valid interval to find.
        assertThat(cxml(concat(SMALL_MODEL, "pipeline", "--sample", "--experiment", "--tickets", "4000", "--accounts",
                "4", "--days", "3", "--conf", "cxml.sample.experiment.effects.escalation=-0.6")))
                .as(stdoutText() + stderrText()).isZero();
        assertThat(stdoutText()).contains("challenger   vs control: escalation").contains("found, interval covers it")
                .contains("control-copy vs control: escalation").contains("A/A: nothing found");

        // Each arm is scored by its version; the arm of a ticket is the hash's.
        Dataset<Row> scored = LocalSpark.get().read().parquet(root.resolve("scored/tickets").toString()).cache();
        assertThat(scored.where("experiment IS NULL OR experiment <> '" + NAME + "'").count()).isZero();
        assertThat(scored.where("arm IN ('control', 'control-copy') AND intent_model <> 'intent@v1'").count()).isZero();
        assertThat(scored.where("arm = 'challenger' AND intent_model <> 'intent@v2'").count()).isZero();
        for (String arm : List.of("control", "control-copy", "challenger")) {
            assertThat(scored.where("arm = '" + arm + "'").count() / (double) scored.count()).as(arm)
                    .isBetween(0.29, 0.38);
        }
        io.cxml.experiments.Experiment definition = experimentDefinition();
        for (Row r : scored.select("ticket_id", "arm").limit(200).collectAsList()) {
            assertThat(r.getString(1)).isEqualTo(io.cxml.experiments.Assignment.arm(definition, r.getString(0)));
        }
        JsonNode ship = lastRunRecord("experiment-analyze");
        assertThat(ship.at("/details/decision").asText()).isEqualTo("ship");
        assertThat(ship.at("/details/reason").asText()).startsWith("challenger improves escalation by -");
        assertThat(ship.at("/versions/arm.control-copy").asText()).isEqualTo("intent@champion");
        assertThat(lastRunRecord("score").at("/versions/experiment." + NAME + ".challenger").asText())
                .isEqualTo("intent@v2");
        assertThat(lastRunRecord("experiment-simulate-outcomes").at("/details/arms").toString())
                .isEqualTo("[\"challenger\"]");
        String report = Files.readString(root.resolve("experiments/" + NAME + "/report.html"));
        assertThat(report).contains("ship").contains("<svg").contains("challenger - escalation");

        // A look before any outcome matured: keep running, saying why.
        assertThat(withExperiment("v2", "experiment", "analyze", "--experiment", NAME, "--as-of",
                "2026-01-01T06:00:00Z")).as(stderrText()).isZero();
        assertThat(stdoutText()).contains("keep_running").contains("no mature outcomes of escalation in every arm yet");

        // An arm naming a version the registry does not hold: one line, before any data is read.
        assertThat(withExperiment("v9", "score", "--from", "2026-01-01", "--to", "2026-01-04")).isEqualTo(2);
        assertThat(stderrText()).contains("Cannot score experiment '" + NAME + "': arm 'challenger' serves intent@v9, "
                + "which the registry does not hold");

        // Re-planting replaces the effect instead of compounding it.
        long escalatedAfterPlant = escalated();
        assertThat(withExperiment("v2", "experiment", "simulate-outcomes", "--experiment", NAME, "--arm",
                "challenger", "--escalation", "-0.6", "--seed", "5")).isZero();
        assertThat(escalated()).isEqualTo(escalatedAfterPlant);

        if (System.getenv(TestServers.PG_URL) != null) {
            try (Connection c = DriverManager.getConnection(System.getenv(TestServers.PG_URL),
                    System.getenv(TestServers.PG_USER), System.getenv(TestServers.PG_PASSWORD));
                    ResultSet rs = c.createStatement().executeQuery("SELECT count(DISTINCT as_of), max(decision) FROM "
                            + table + " WHERE slice = 'all'")) {
                rs.next();
                assertThat(rs.getLong(1)).isEqualTo(1);
            }
        }
    }

    private long escalated() {
        return LocalSpark.get().read().parquet(root.resolve("curated/interactions").toString())
                .where("escalated").count();
    }

    private static io.cxml.experiments.Experiment experimentDefinition() {
        return io.cxml.jobs.config.Settings.resolve(io.cxml.jobs.config.ConfigLoader.create()
                .optConfDir(LocalSpark.projectDir().resolve("conf"))
                .addOverrides(List.of(EXPERIMENT.replace("CHALLENGER", "v2"))).load()).experiments().named(NAME);
    }
}
