package io.cxml.runtime.embedding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import io.cxml.runtime.model.ClassifierSpec;
import io.cxml.runtime.model.Prediction;
import io.cxml.runtime.model.TextClassifier;
import io.cxml.runtime.stages.EmbeddingStage;
import io.cxml.runtime.stages.TextClassifierStage;
import io.cxml.runtime.text.pretrained.PretrainedFolder;
import io.cxml.runtime.text.pretrained.SentenceEmbedder;
import io.cxml.runtime.text.pretrained.TestEncoders;
import io.cxml.testing.LocalSpark;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedding stage and a head scored through {@link TextClassifierStage}, on Spark with the tiny XLM-R fixture:
 * vectors equal the encoder's own embeddings of the lowercased texts, stored vectors are kept and not recomputed,
 * null and blank texts give nulls, and a head's predictions are its arithmetic on those vectors.
 */
class EmbeddingStagesTest {
    private static final List<String> TEXTS = Arrays.asList("My card has NOT arrived", "Wo ist meine Karte?",
            null, "   ", "refund " + "please ".repeat(200), "カードが届きません");

    @TempDir
    Path tmp;

    private static Dataset<Row> texts(SparkSession spark) {
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < TEXTS.size(); i++) {
            rows.add(RowFactory.create(i, TEXTS.get(i)));
        }
        return spark.createDataFrame(rows, new StructType().add("id", DataTypes.IntegerType)
                .add("text", DataTypes.StringType)).repartition(2);
    }

    private static BaseEncoder base() {
        return BaseEncoder.open(TestEncoders.tinyXlmr().toString(), 32, Map.of());
    }

    private static float[][] expected(BaseEncoder base) {
        List<String> lowered = new ArrayList<>();
        for (String t : TEXTS) {
            lowered.add(t == null || t.isBlank() ? "" : EmbeddingStage.normalize(t));
        }
        try (SentenceEmbedder embedder = new SentenceEmbedder(PretrainedFolder.open(Path.of(base.location())),
                Device.cpu(), 4, base.maxTokens())) {
            return embedder.embed(lowered);
        }
    }

    @Test
    void embedsTheLowercasedTextsExactlyAndKeepsStoredVectors() {
        SparkSession spark = LocalSpark.get();
        BaseEncoder base = base();
        float[][] expected = expected(base);
        EmbeddingStage stage = new EmbeddingStage().setInputCol("text").setEncoder(base).setBatchSize(2);
        EmbeddingStage.Counts counts = stage.countWith(spark.sparkContext());
        // Collected as they come (a sort would sample the input first, running the stage twice and counting twice).
        List<Row> rows = new ArrayList<>(stage.transform(texts(spark)).collectAsList());
        rows.sort(java.util.Comparator.comparingInt(r -> r.getInt(0)));
        assertThat(counts.embedded().value()).isEqualTo(4);
        for (Row r : rows) {
            int id = r.getInt(0);
            if (TEXTS.get(id) == null || TEXTS.get(id).isBlank()) {
                assertThat(r.isNullAt(2)).as("text %s", id).isTrue();
                continue;
            }
            List<Float> v = r.getList(2);
            assertThat(v).hasSize(expected[id].length);
            for (int j = 0; j < v.size(); j++) {
                assertThat((double) v.get(j)).as("row %s dim %s", id, j)
                        .isCloseTo(expected[id][j], org.assertj.core.data.Offset.offset(1e-5));
            }
        }

        // A stored vector is kept as it is; only the rows without one are embedded.
        Dataset<Row> stored = spark.sql("SELECT 0 AS id, array(cast(7 as float)) AS embedding, false AS "
                + "embedding_truncated");
        Dataset<Row> partly = texts(spark).join(stored, scala.jdk.javaapi.CollectionConverters
                .asScala(List.of("id")).toSeq(), "left");
        EmbeddingStage again = new EmbeddingStage().setInputCol("text").setEncoder(base);
        EmbeddingStage.Counts second = again.countWith(spark.sparkContext());
        Row first = again.transform(partly).where("id = 0").first();
        assertThat(first.<Float>getList(first.fieldIndex("embedding"))).containsExactly(7f);
        assertThat(second.embedded().value()).isEqualTo(3);
        assertThat(counts.truncated().value()).as("the 1,400-character text at 32 tokens").isEqualTo(1);
    }

    @org.junit.jupiter.params.ParameterizedTest(name = "hybrid {0}")
    @org.junit.jupiter.params.provider.ValueSource(booleans = {false, true})
    void aHeadScoresItsOwnArithmeticOnTheVectors(boolean hybrid) throws Exception {
        SparkSession spark = LocalSpark.get();
        BaseEncoder base = base();
        float[][] expected = expected(base);
        int dim = expected[0].length;
        float[] w = new float[3 * dim];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) Math.cos(i * 0.37) * 4;
        }
        // A hybrid head also reads the text's n-grams: the stage must hand it the text beside the vector.
        io.cxml.runtime.text.FeaturizerConfig ngrams = new io.cxml.runtime.text.FeaturizerConfig(64, 2, 3, 4, 256);
        float[] u = new float[3 * 64];
        for (int i = 0; i < u.length; i++) {
            u[i] = (float) Math.sin(i * 0.91) * 6;
        }
        EmbeddingHead head = new EmbeddingHead(3, dim, w, new float[] {0.2f, 0, -0.2f},
                hybrid ? new NgramBlock(ngrams, 3, u) : null);
        ClassifierSpec spec = new ClassifierSpec(EmbeddingHead.encoderSpec(base, dim), List.of("a", "b", "c"), 1.5,
                0.4);
        Path dir = Files.createDirectories(tmp.resolve("head-" + hybrid));
        try (OutputStream out = Files.newOutputStream(dir.resolve(EmbeddingHead.PARAMS_FILE))) {
            head.write(out);
        }
        TextClassifier.writeSpec(dir, spec);

        TextClassifierStage stage = new TextClassifierStage().setInputCol("text").setOutputPrefix("intent")
                .setModelUri(dir.toString()).setModelLabel("intent@test").setProbabilitiesCol("intent_p");
        Dataset<Row> scored = stage.transform(texts(spark));
        assertThat(scored.columns()).containsExactly("id", "text", "intent", "intent_confidence", "intent_top_k",
                "intent_routed", "intent_p");
        for (Row r : scored.collectAsList()) {
            int id = r.getInt(0);
            if (TEXTS.get(id) == null || TEXTS.get(id).isBlank()) {
                assertThat(r.isNullAt(2)).isTrue();
                continue;
            }
            Prediction p = head.predict(expected[id], TEXTS.get(id), spec, 3);
            assertThat(r.getString(2)).isEqualTo(p.label());
            assertThat(r.getDouble(3)).isCloseTo(p.confidence(), org.assertj.core.data.Offset.offset(1e-5));
            assertThat(r.getString(5)).isEqualTo(p.routedLabel());
        }
    }

    @Test
    void refusesAnEncoderFolderWhoseFilesChanged() throws Exception {
        BaseEncoder base = base();
        BaseEncoder other = new BaseEncoder(base.location(), base.name(), "0".repeat(64), base.maxTokens());
        EmbeddingStage stage = new EmbeddingStage().setInputCol("text").setEncoder(other);
        assertThatThrownBy(() -> stage.transform(texts(LocalSpark.get())).collectAsList())
                .hasStackTraceContaining("not the encoder the job or model expects");
    }
}
