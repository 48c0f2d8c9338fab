package io.cxml.jobs.routing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cxml.jobs.CliTestBase;
import io.cxml.testing.LocalSpark;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Routing with a base encoder configured (the tiny XLM-R fixture): {@code train routing} reads the stored ticket
 * vectors, projected on global directions kept in the version; {@code score} routes on the vectors the view stored
 * (no ticket embedded again); {@code evaluate routing} on a file; and {@code embedding-dims=0} keeps today's inputs.
 */
@Tag("slow")
class RoutingOnEmbeddingsTest extends CliTestBase {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path TINY = LocalSpark.projectDir()
            .resolve("model-runtime/src/test/resources/io/cxml/runtime/text/tiny-xlmr");

    @TempDir
    Path root;

    @Override
    protected int cxml(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--conf", "cxml.storage.root=" + root, "--conf", "spark.sql.shuffle.partitions=4",
                "--conf", "cxml.embeddings.encoder.path=" + TINY, "--conf", "cxml.embeddings.encoder.max-tokens=48",
                "--conf", "cxml.routing.epochs=10"));
        if (all.stream().noneMatch(a -> a.startsWith("cxml.routing.embedding-dims="))) {
            all.addAll(List.of("--conf", "cxml.routing.embedding-dims=8")); // the last --conf of a key wins
        }
        return super.cxml(all.toArray(new String[0]));
    }

    private JsonNode lastRun(String job) throws Exception {
        try (Stream<Path> files = Files.list(root.resolve("runs/" + job))) {
            return JSON.readTree(files.sorted().reduce((a, b) -> b).orElseThrow().toFile());
        }
    }

    private JsonNode index(String version) throws Exception {
        return JSON.readTree(root.resolve("models/routing/" + version + "/model/routing-index.json").toFile());
    }

    @Test
    void routingReadsTheStoredVectorsAtTrainingAndScoring() throws Exception {
        assertThat(cxml("generate-sample", "--tickets", "900", "--accounts", "3", "--days", "3")).isZero();
        assertThat(cxml("ingest", "--from", "2026-01-01", "--to", "2026-01-04")).as(stderrText()).isZero();
        assertThat(cxml("features", "build", "--from", "2026-01-01", "--to", "2026-01-04")).as(stderrText())
                .isZero();
        assertThat(cxml("train", "intent")).as(stderrText()).isZero();
        String[] noFloors = {"--conf", "cxml.models.gates.min-accuracy=0", "--conf",
            "cxml.models.gates.min-macro-f1=0", "--conf", "cxml.models.gates.min-language-accuracy=0"};
        assertThat(cxml(concat(noFloors, "models", "promote", "intent@v1"))).as(stdoutText() + stderrText())
                .isZero();

        assertThat(cxml("train", "routing")).as(stdoutText() + stderrText()).isZero();
        JsonNode embedding = index("v1").at("/features/embedding");
        assertThat(embedding.get("dims").asInt()).isEqualTo(8);
        int dimension = embedding.get("mean").size();
        assertThat(embedding.get("components").size()).isEqualTo(8 * dimension);
        assertThat(embedding.at("/encoder/location").asText()).isEqualTo(TINY.toString());
        JsonNode model = JSON.readTree(root.resolve("models/routing/v1/model.json").toFile());
        assertThat(model.at("/params/embeddingDims").asText()).isEqualTo("8");

        // Without directions: today's inputs (no embedding block).
        assertThat(cxml("train", "routing", "--name", "routing-plain", "--conf", "cxml.routing.embedding-dims=0"))
                .as(stderrText()).isZero();
        JsonNode plain = JSON.readTree(root.resolve("models/routing-plain/v1/model/routing-index.json").toFile())
                .at("/features/embedding");
        assertThat(plain.isMissingNode() || plain.isNull()).as("%s", plain).isTrue();

        assertThat(cxml(concat(noFloors, "models", "promote", "routing@v1"))).as(stdoutText() + stderrText())
                .isZero();
        assertThat(cxml("score", "--from", "2026-01-01", "--to", "2026-01-04", "--model", "sentiment=none"))
                .as(stderrText()).isZero();
        JsonNode score = lastRun("score");
        assertThat(score.at("/counts/embedded").asLong()).as("tickets embedded at scoring: %s", score).isZero();
        Dataset<Row> scored = LocalSpark.get().read().parquet(root.resolve("scored/tickets").toString());
        assertThat(scored.count()).isPositive();
        assertThat(scored.where("routed_team is null").count()).isZero();
        assertThat(scored.where("routing_model = 'routing@v1'").count()).isEqualTo(scored.count());

        // A labelled file: its texts' vectors come from the store or are embedded, then projected.
        Path file = root.resolve("routing-eval.csv");
        List<String> lines = new ArrayList<>(List.of("text,team,tenant"));
        for (Row r : LocalSpark.get().read().parquet(root.resolve("curated/interactions").toString())
                .where("solved_at is not null").orderBy("ticket_id").limit(60)
                .select("text", "assigned_group", "account_id").collectAsList()) {
            lines.add("\"" + r.getString(0).replace("\"", "\"\"") + "\"," + r.getString(1) + "," + r.getString(2));
        }
        Files.write(file, lines);
        assertThat(cxml("evaluate", "routing", "--model", "routing@champion", "--data", file.toString()))
                .as(stdoutText() + stderrText()).isZero();
        assertThat(lastRun("evaluate").at("/counts/examples").asLong()).isEqualTo(60);
    }

    private static String[] concat(String[] a, String... b) {
        return Stream.concat(Stream.of(a), Stream.of(b)).toArray(String[]::new);
    }
}
