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
 * An intent experiment as a user runs it on the sample: two trained versions, {@code cxml score} serving each arm its
 * version, an A/A look (nothing found), planted outcomes in the challenger (a real lift found and shipped), a look
 * before any outcome matured, and an arm naming a missing version.
 */
@Tag("slow")
class ExperimentCommandTest extends CliTestBase {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String EXPERIMENT = "cxml.experiments=[{name = intent-ab, model = intent, unit = ticket, "
            + "traffic-share = 1.0, arms = [{name = control, version = \"intent@champion\"}, {name = challenger, "
            + "version = \"intent@CHALLENGER\"}], start = \"2026-01-01\", end = \"2026-01-04\", primary-metric = escalation, "
            + "guardrails = [csat, reopen], minimum-detectable-effect = 0.3, maturity = 1d}]";

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

    private static final String[] SMALL_MODEL = {"--conf", "cxml.training.intent.buckets=16384", "--conf",
        "cxml.training.intent.dim=32", "--conf", "cxml.training.intent.epochs=3", "--conf",
        "cxml.training.baseline-features=0"};

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
    void aaFindsNothingAPlantedLiftShipsAndBadInputIsExplained() throws Exception {
        assertThat(cxml("generate-sample", "--tickets", "4000", "--accounts", "4", "--days", "3")).isZero();
        assertThat(cxml("ingest", "--from", "2026-01-01", "--to", "2026-01-04")).as(stderrText()).isZero();
        assertThat(cxml(concat(SMALL_MODEL, "train", "intent"))).as(stderrText()).isZero();
        assertThat(cxml(concat(SMALL_MODEL, "train", "intent", "--conf", "cxml.training.intent.seed=7")))
                .as(stderrText()).isZero();
        assertThat(cxml("models", "promote", "intent@v1", "--conf", "cxml.models.gates.min-accuracy=0",
                "--conf", "cxml.models.gates.min-macro-f1=0", "--conf", "cxml.models.gates.min-language-accuracy=0"))
                .as(stdoutText() + stderrText()).isZero();

        // An arm naming a version the registry does not hold: one line, before any data is read.
        assertThat(withExperiment("v9", "score", "--from", "2026-01-01", "--to", "2026-01-04")).isEqualTo(2);
        assertThat(stderrText()).contains("Cannot score experiment 'intent-ab': arm 'challenger' serves intent@v9, "
                + "which the registry does not hold");

        // Each arm is scored by its own version; the arm of a ticket is the hash's, run after run.
        assertThat(withExperiment("v2", "score", "--from", "2026-01-01", "--to", "2026-01-04")).as(stderrText())
                .isZero();
        Dataset<Row> scored = LocalSpark.get().read().parquet(root.resolve("scored/tickets").toString()).cache();
        assertThat(scored.where("experiment = 'intent-ab' AND arm = 'control' AND intent_model <> 'intent@v1'")
                .count()).isZero();
        assertThat(scored.where("arm = 'challenger' AND intent_model <> 'intent@v2'").count()).isZero();
        long challengers = scored.where("arm = 'challenger'").count();
        assertThat(challengers / (double) scored.count()).isBetween(0.45, 0.55);
        io.cxml.experiments.Experiment definition = experimentDefinition();
        for (Row r : scored.select("ticket_id", "arm").limit(200).collectAsList()) {
            assertThat(r.getString(1)).isEqualTo(io.cxml.experiments.Assignment.arm(definition, r.getString(0)));
        }
        assertThat(lastRunRecord("score").at("/versions/experiment.intent-ab.challenger").asText())
                .isEqualTo("intent@v2");

        // A look before any outcome matured: keep running, saying why.
        assertThat(withExperiment("v2", "experiment", "analyze", "--experiment", "intent-ab", "--as-of",
                "2026-01-01T06:00:00Z")).as(stderrText()).isZero();
        assertThat(stdoutText()).contains("keep_running").contains("no mature outcomes of escalation in every arm yet");

        // A/A in effect: the versions differ but the sample's outcomes do not depend on them.
        assertThat(withExperiment("v2", "experiment", "analyze", "--experiment", "intent-ab", "--as-of",
                "2026-01-20")).as(stdoutText() + stderrText()).isZero();
        JsonNode aa = lastRunRecord("experiment-analyze");
        assertThat(aa.at("/details/decision").asText()).isEqualTo("keep_running");
        assertThat(aa.at("/details/srm_p_value").asDouble()).isGreaterThan(0.001);

        // Planted: the challenger's tickets escalate 60% less; the analysis finds it and ships.
        assertThat(withExperiment("v2", "experiment", "simulate-outcomes", "--experiment", "intent-ab",
                "--escalation", "-0.6", "--seed", "5")).as(stderrText()).isZero();
        assertThat(withExperiment("v2", "experiment", "analyze", "--experiment", "intent-ab", "--as-of",
                "2026-01-21")).as(stdoutText() + stderrText()).isEqualTo(10);
        JsonNode ship = lastRunRecord("experiment-analyze");
        assertThat(ship.at("/details/decision").asText()).isEqualTo("ship");
        assertThat(ship.at("/details/reason").asText()).startsWith("challenger improves escalation by -");
        assertThat(ship.at("/counts/looks").asLong()).as("looks with results").isEqualTo(2);
        String report = Files.readString(root.resolve("experiments/intent-ab/report.html"));
        assertThat(report).contains("ship").contains("<svg").contains("challenger - escalation");
        Dataset<Row> looks = LocalSpark.get().read()
                .option("recursiveFileLookup", "true").parquet(root.resolve("experiments/intent-ab/looks").toString());
        assertThat(looks.where("slice = 'all' AND metric = 'escalation'").count()).isEqualTo(2);

        // Re-planting replaces the effect instead of compounding it; planting nothing restores the originals.
        long escalatedAfterPlant = escalated();
        assertThat(withExperiment("v2", "experiment", "simulate-outcomes", "--experiment", "intent-ab",
                "--escalation", "-0.6", "--seed", "5")).isZero();
        assertThat(escalated()).isEqualTo(escalatedAfterPlant);

        if (System.getenv(TestServers.PG_URL) != null) {
            try (Connection c = DriverManager.getConnection(System.getenv(TestServers.PG_URL),
                    System.getenv(TestServers.PG_USER), System.getenv(TestServers.PG_PASSWORD));
                    ResultSet rs = c.createStatement().executeQuery("SELECT count(DISTINCT as_of), max(decision) FROM "
                            + table + " WHERE slice = 'all'")) {
                rs.next();
                assertThat(rs.getLong(1)).isEqualTo(2);
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
                .addOverrides(List.of(EXPERIMENT.replace("CHALLENGER", "v2"))).load()).experiments().named("intent-ab");
    }
}
