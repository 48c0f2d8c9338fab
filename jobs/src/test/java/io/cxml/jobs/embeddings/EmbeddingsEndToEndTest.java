package io.cxml.jobs.embeddings;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cxml.jobs.CliTestBase;
import io.cxml.runtime.stages.EmbeddingStage;
import io.cxml.runtime.text.pretrained.PretrainedFolder;
import io.cxml.runtime.text.pretrained.SentenceEmbedder;
import io.cxml.testing.LocalSpark;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embeddings path as a user runs it, with the tiny XLM-R fixture as base encoder: {@code features build} stores
 * the vectors the encoder computes for the tickets' normalized texts, a second build embeds nothing, a changed text is
 * embedded again, another encoder setting writes a new view version beside the old one, intent and sentiment heads
 * train on the stored vectors, and scoring reads them instead of embedding again.
 */
class EmbeddingsEndToEndTest extends CliTestBase {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path TINY = LocalSpark.projectDir()
            .resolve("model-runtime/src/test/resources/io/cxml/runtime/text/tiny-xlmr");

    @TempDir
    Path root;

    @Override
    protected int cxml(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--conf", "cxml.storage.root=" + root, "--conf", "spark.sql.shuffle.partitions=4"));
        if (all.stream().noneMatch(a -> a.startsWith("cxml.embeddings.encoder."))) { // the test's encoder unless named
            all.addAll(List.of("--conf", "cxml.embeddings.encoder.path=" + TINY,
                    "--conf", "cxml.embeddings.encoder.max-tokens=48"));
        }
        return super.cxml(all.toArray(new String[0]));
    }

    private JsonNode lastRunRecord(String job) throws Exception {
        try (Stream<Path> files = Files.list(root.resolve("runs/" + job))) {
            return JSON.readTree(files.sorted().reduce((a, b) -> b).orElseThrow().toFile());
        }
    }

    @Test
    void storesVectorsOnceAndHeadsTrainAndScoreOnThem() throws Exception {
        assertThat(cxml("generate-sample", "--tickets", "900", "--accounts", "3", "--days", "3")).isZero();
        assertThat(cxml("ingest", "--from", "2026-01-01", "--to", "2026-01-04")).as(stderrText()).isZero();
        assertThat(cxml("features", "build", "--from", "2026-01-01", "--to", "2026-01-04")).as(stderrText())
                .isZero();
        JsonNode build = lastRunRecord("features-build");
        long tickets = build.at("/counts/ticket_embedding.rows").asLong();
        assertThat(tickets).isEqualTo(build.at("/counts/ticket_text.rows").asLong()).isGreaterThan(800);
        // Exactness: the stored vectors are the encoder's embeddings of the normalized texts, computed here.
        SparkSession spark = LocalSpark.get();
        String view = root.resolve("features/ticket_embedding/v1").toString();
        long texts = spark.read().parquet(view).select("text_sha256").distinct().count();
        assertThat(build.at("/counts/ticket_embedding.embedded").asLong()).as("each distinct text once")
                .isEqualTo(texts).isLessThanOrEqualTo(tickets);
        List<Row> stored = spark.read().parquet(view)
                .join(spark.read().parquet(root.resolve("features/ticket_text/v1").toString())
                        .select("ticket_id", "text_normalized"), "ticket_id")
                .orderBy("ticket_id").limit(40).collectAsList();
        List<String> normalized = stored.stream().map(r -> r.<String>getAs("text_normalized")).toList();
        float[][] expected;
        try (SentenceEmbedder embedder = new SentenceEmbedder(PretrainedFolder.open(TINY), Device.cpu(), 8, 48)) {
            expected = embedder.embed(normalized.stream().map(EmbeddingStage::normalize).toList());
        }
        for (int i = 0; i < stored.size(); i++) {
            List<Float> v = stored.get(i).getList(stored.get(i).fieldIndex("embedding"));
            for (int j = 0; j < v.size(); j++) {
                assertThat((double) v.get(j)).as("ticket %s dim %s", i, j)
                        .isCloseTo(expected[i][j], org.assertj.core.data.Offset.offset(1e-5));
            }
        }

        // Incremental: nothing to embed the second time; one changed text is embedded again.
        assertThat(cxml("features", "build", "--from", "2026-01-01", "--to", "2026-01-04")).isZero();
        assertThat(lastRunRecord("features-build").at("/counts/ticket_embedding.embedded").asLong()).isZero();
        assertThat(lastRunRecord("features-build").at("/counts/ticket_embedding.rows").asLong()).isEqualTo(tickets);
        String curated = root.resolve("curated/interactions").toString();
        String changedId = stored.get(0).getAs("ticket_id");
        Dataset<Row> edited = LocalSpark.get().read().parquet(curated).withColumn("text", functions.when(
                functions.col("ticket_id").equalTo(changedId), functions.lit("A completely new question about "
                        + "invoices")).otherwise(functions.col("text")));
        io.cxml.s3.Committers.withClassicCommitter(LocalSpark.get(), () -> { // partitioned: the classic committer
            edited.write().mode(SaveMode.Overwrite).partitionBy("dt").parquet(root.resolve("curated-edited")
                    .toString());
            LocalSpark.get().read().parquet(root.resolve("curated-edited").toString()).write()
                    .mode(SaveMode.Overwrite).partitionBy("dt").parquet(curated);
            return null;
        });
        assertThat(cxml("features", "build", "--from", "2026-01-01", "--to", "2026-01-04")).isZero();
        assertThat(lastRunRecord("features-build").at("/counts/ticket_embedding.embedded").asLong()).isEqualTo(1);

        // Another encoder (the same weights with a prompt, so other vectors): a new view version, the old one still
        // readable.
        Path prompted = root.resolve("tiny-prompted");
        Files.createDirectories(prompted);
        try (Stream<Path> files = Files.walk(TINY)) {
            for (Path f : files.toList()) {
                Path target = prompted.resolve(TINY.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(f, target);
                }
            }
        }
        Files.writeString(prompted.resolve("config_sentence_transformers.json"),
                "{\"prompts\": {\"query\": \"query: \"}, \"default_prompt_name\": \"query\"}");
        assertThat(cxml("features", "build", "--from", "2026-01-01", "--to", "2026-01-04", "--views",
                "ticket_embedding", "--conf", "cxml.embeddings.encoder.path=" + prompted,
                "--conf", "cxml.embeddings.encoder.max-tokens=48")).as(stderrText()).isZero();
        assertThat(lastRunRecord("features-build").at("/counts/ticket_embedding.embedded").asLong()).isEqualTo(texts);
        assertThat(lastRunRecord("features-build").at("/versions/features.ticket_embedding").asText()).isEqualTo("v2");
        assertThat(LocalSpark.get().read().parquet(view).count()).isEqualTo(tickets);

        // Heads: intent and sentiment on the stored vectors, promoted, then scored without embedding again.
        assertThat(cxml("train", "intent")).as(stderrText()).isZero();
        JsonNode intent = JSON.readTree(root.resolve("models/intent/v1/model.json").toFile());
        assertThat(intent.at("/params/encoder").asText()).isEqualTo("embedding-head");
        assertThat(root.resolve("models/intent/v1/model/text-classifier-head.params")).exists();
        assertThat(cxml("train", "sentiment")).as(stderrText()).isZero();
        for (String version : List.of("intent@v1", "sentiment@v1")) {
            assertThat(cxml("models", "promote", version, "--conf", "cxml.models.gates.min-accuracy=0",
                    "--conf", "cxml.models.gates.min-macro-f1=0",
                    "--conf", "cxml.models.gates.min-language-accuracy=0")).as(stdoutText() + stderrText()).isZero();
        }
        assertThat(cxml("score", "--from", "2026-01-01", "--to", "2026-01-04", "--model", "routing=none"))
                .as(stderrText()).isZero();
        JsonNode score = lastRunRecord("score");
        assertThat(score.at("/counts/scored").asLong()).isPositive();
        assertThat(score.at("/counts/embedded").asLong()).as("tickets embedded at scoring: %s", score).isZero();
        Dataset<Row> scored = LocalSpark.get().read().parquet(root.resolve("scored/tickets").toString());
        assertThat(scored.where("intent is null or sentiment is null").count()).isZero();
        assertThat(scored.select("sentiment").distinct().count()).isGreaterThan(1);

        // Text drift: the last day's stored vectors against the two days before it.
        assertThat(cxml("monitor", "drift", "--from", "2026-01-03", "--to", "2026-01-04", "--model", "intent@v1",
                "--conf", "cxml.monitor.drift.text.reference-days=2", "--conf",
                "cxml.monitor.drift.min-slice-tickets=50")).as(stderrText()).isIn(0, 3);
        JsonNode drift = lastRunRecord("monitor-drift");
        assertThat(drift.at("/counts/text_slices").asLong()).as("text slices in %s", drift).isPositive();
        assertThat(stdoutText() + drift.toString()).doesNotContain("text_embedding: no ticket_embedding view");
    }

    @Test
    void aCorruptEncoderFailsBeforeSparkWithTheFileNamed() throws Exception {
        assertThat(cxml("generate-sample", "--tickets", "60", "--accounts", "2", "--days", "1")).isZero();
        assertThat(cxml("ingest", "--from", "2026-01-01")).as(stderrText()).isZero();
        Path corrupt = root.resolve("tiny-corrupt");
        Files.createDirectories(corrupt.resolve("1_Pooling"));
        for (String f : List.of("config.json", "tokenizer.json", "modules.json", "1_Pooling/config.json")) {
            Files.copy(TINY.resolve(f), corrupt.resolve(f));
        }
        byte[] weights = Files.readAllBytes(TINY.resolve("model.safetensors"));
        Files.write(corrupt.resolve("model.safetensors"), java.util.Arrays.copyOf(weights, weights.length / 3));
        // Found on the driver, before Spark: one line naming the file, what is wrong and what to do.
        assertThat(cxml("features", "build", "--from", "2026-01-01", "--views", "ticket_embedding",
                "--conf", "cxml.embeddings.encoder.path=" + corrupt)).isEqualTo(2);
        assertThat(stderrText().strip().lines().toList()).singleElement().asString()
                .contains(corrupt.resolve("model.safetensors").toString(), "does not fit its shape or the file",
                        "fetch or copy it again");
    }

    @Test
    void aMissingEncoderFailsBeforeSparkWithTheFileAndTheFix() {
        assertThat(super.cxml("features", "build", "--from", "2026-01-01", "--conf", "cxml.storage.root=" + root,
                "--conf", "cxml.embeddings.encoder.path=" + root.resolve("no-such-encoder"))).isEqualTo(2);
        assertThat(stderrText()).contains(root.resolve("no-such-encoder").toString(), "config.json is missing",
                "cxml.embeddings.encoder.path");
        assertThat(stderrText().strip().lines().count()).isEqualTo(1);
    }
}
