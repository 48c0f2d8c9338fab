package io.cxml.jobs.scoring;

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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code cxml score} as a user runs it: sample -> ingest -> train -> promote -> score, twice, then bad input. */
class ScoreCommandTest extends CliTestBase {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path root;

    @Override
    protected int cxml(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--conf", "cxml.storage.root=" + root, "--conf", "spark.sql.shuffle.partitions=4",
                "--conf", "cxml.spark.master=local[2]"));
        String pg = System.getenv(TestServers.PG_URL);
        if (pg != null) {
            all.addAll(List.of("--conf", "cxml.warehouse.url=" + pg, "--conf",
                    "cxml.warehouse.user=" + System.getenv(TestServers.PG_USER), "--conf",
                    "cxml.warehouse.password=" + System.getenv(TestServers.PG_PASSWORD), "--conf",
                    "cxml.scoring.table=scored_tickets_" + Math.abs(root.hashCode())));
        }
        return super.cxml(all.toArray(new String[0]));
    }

    private static String[] concat(String[] a, String... b) {
        return Stream.concat(Stream.of(a), Stream.of(b)).toArray(String[]::new);
    }

    private static final String[] SMALL_MODEL = {"--conf", "cxml.training.intent.buckets=16384", "--conf",
        "cxml.training.intent.dim=32", "--conf", "cxml.training.intent.epochs=3", "--conf",
        "cxml.training.baseline-features=0"};

    private JsonNode lastRunRecord(String job) throws Exception {
        try (Stream<Path> files = Files.list(root.resolve("runs/" + job))) {
            Path last = files.sorted().reduce((a, b) -> b).orElseThrow();
            return JSON.readTree(last.toFile());
        }
    }

    private static List<String> rowsWithoutRunColumns(Dataset<Row> scored) {
        return scored.drop("run_id", "scored_at").orderBy("ticket_id").toJSON().collectAsList();
    }

    @Test
    void scoresAWindowIdempotentlyAndCountsEverySkip() throws Exception {
        assertThat(cxml("generate-sample", "--tickets", "1200", "--accounts", "4", "--days", "3")).isZero();
        assertThat(cxml("ingest", "--from", "2026-01-01", "--to", "2026-01-04")).isZero();
        assertThat(cxml(concat(SMALL_MODEL, "train", "intent"))).as(stderrText()).isZero();
        assertThat(cxml("models", "promote", "intent@v1", "--conf", "cxml.models.gates.min-accuracy=0",
                "--conf", "cxml.models.gates.min-macro-f1=0", "--conf", "cxml.models.gates.min-language-accuracy=0"))
                .as(stdoutText() + stderrText()).isZero();

        assertThat(cxml("score", "--from", "2026-01-01", "--to", "2026-01-04")).as(stderrText()).isZero();
        String table = root.resolve("scored/tickets").toString();
        List<String> first = rowsWithoutRunColumns(LocalSpark.get().read().parquet(table));
        JsonNode run = lastRunRecord("score");
        long read = run.at("/counts/read").asLong();
        assertThat(read).isEqualTo(LocalSpark.get().read().parquet(root.resolve("curated/interactions").toString()).count());
        assertThat(run.at("/counts/scored").asLong() + run.at("/counts/skipped").asLong()).isEqualTo(read);
        assertThat(first).hasSize((int) run.at("/counts/scored").asLong());
        assertThat(run.at("/versions/intent").asText()).isEqualTo("intent@v1");
        assertThat(run.at("/details/executors/driver/model_loads").toString()).contains("intent@v1");
        Row any = LocalSpark.get().read().parquet(table).first();
        assertThat(any.getString(any.fieldIndex("intent_model"))).isEqualTo("intent@v1");
        assertThat(any.getString(any.fieldIndex("intent_top_k"))).startsWith("[{\"label\":");

        assertThat(cxml("score", "--from", "2026-01-01", "--to", "2026-01-04")).as(stderrText()).isZero();
        assertThat(rowsWithoutRunColumns(LocalSpark.get().read().parquet(table))).as("a re-run changes nothing")
                .isEqualTo(first);
        if (System.getenv(TestServers.PG_URL) != null) {
            assertThat(lastRunRecord("score").at("/counts/published").asLong()).isEqualTo(first.size());
            assertThat(warehouseRows()).isEqualTo(first.size());
        }

        // One day again, with rules that skip: the other days stay as they were, the skips are counted.
        List<String> otherDays = rowsWithoutRunColumns(LocalSpark.get().read().parquet(table).where("dt <> DATE'2026-01-02'"));
        assertThat(cxml("score", "--from", "2026-01-02", "--to", "2026-01-03", "--conf",
                "cxml.scoring.max-text-chars=60", "--conf", "cxml.features.languages=[en, de]"))
                .as(stderrText()).isZero();
        JsonNode strict = lastRunRecord("score");
        assertThat(strict.at("/counts/skipped_text_too_long").asLong()).isPositive();
        assertThat(strict.at("/counts/skipped_unsupported_language").asLong()).isPositive();
        assertThat(strict.at("/counts/scored").asLong() + strict.at("/counts/skipped").asLong())
                .isEqualTo(strict.at("/counts/read").asLong());
        Dataset<Row> after = LocalSpark.get().read().parquet(table).cache();
        assertThat(rowsWithoutRunColumns(after.where("dt <> DATE'2026-01-02'"))).isEqualTo(otherDays);
        assertThat(after.where("dt = DATE'2026-01-02'").count()).isEqualTo(strict.at("/counts/scored").asLong());
        assertThat(LocalSpark.get().read().parquet(root.resolve("quarantine/scoring").toString())
                .where("dt = DATE'2026-01-02'").count()).isEqualTo(strict.at("/counts/skipped").asLong());
        assertThat(after.select("ticket_id").distinct().count()).as("no duplicate ticket").isEqualTo(after.count());

        // A version that does not exist, and a version whose weights are gone: one clear line, nothing written.
        assertThat(cxml("score", "--from", "2026-01-01", "--to", "2026-01-04", "--model", "intent=intent@v9"))
                .isNotZero();
        assertThat(stderrText()).contains("Cannot resolve intent@v9");
        try (Stream<Path> files = Files.list(root.resolve("models/intent/v1/model"))) {
            for (Path f : files.filter(p -> p.getFileName().toString().endsWith(".params")).toList()) {
                Files.delete(f);
            }
        }
        assertThat(cxml("score", "--from", "2026-01-01", "--to", "2026-01-04")).isNotZero();
        assertThat(stderrText()).contains("lacks text-classifier-*.params");
    }

    private long warehouseRows() throws Exception {
        try (Connection c = DriverManager.getConnection(System.getenv(TestServers.PG_URL),
                System.getenv(TestServers.PG_USER), System.getenv(TestServers.PG_PASSWORD));
                ResultSet rs = c.createStatement().executeQuery(
                        "SELECT count(*), count(DISTINCT ticket_id) FROM scored_tickets_" + Math.abs(root.hashCode()))) {
            rs.next();
            assertThat(rs.getLong(2)).isEqualTo(rs.getLong(1));
            return rs.getLong(1);
        }
    }
}
