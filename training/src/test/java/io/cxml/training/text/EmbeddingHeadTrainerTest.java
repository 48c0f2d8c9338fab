package io.cxml.training.text;

import static org.assertj.core.api.Assertions.assertThat;

import io.cxml.features.TrainingColumns;
import io.cxml.runtime.embedding.BaseEncoder;
import io.cxml.runtime.embedding.EmbeddingHead;
import io.cxml.runtime.text.FeaturizerConfig;
import io.cxml.testing.LocalSpark;
import io.cxml.training.eval.TrainingSummary;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hybrid head in its Spark task: the same data gives the same weights whatever the partitioning, and the text's
 * n-grams carry what the vector does not (here a tone word the vectors know nothing of).
 */
class EmbeddingHeadTrainerTest {
    private static final BaseEncoder BASE = new BaseEncoder("/models/e5", "e5", "ab".repeat(32), 128);
    private static final List<String> LABELS = List.of("negative", "neutral", "positive");
    private static final String[] TONE = {"awful", "okay", "wonderful"};
    private static final FeaturizerConfig NGRAMS = new FeaturizerConfig(512, 2, 3, 4, 256);

    @TempDir
    Path tmp;

    /** Vectors that only weakly follow the label (a diluted tone); the text names the tone outright. */
    private static Dataset<Row> rows(SparkSession spark) {
        Random random = new Random(11);
        List<Row> rows = new ArrayList<>();
        String[] requests = {"my card has not arrived", "refund the duplicate charge", "change my address",
            "the app crashes at login"};
        for (int i = 0; i < 600; i++) {
            int label = random.nextInt(3);
            float[] v = new float[8];
            for (int j = 0; j < v.length; j++) {
                v[j] = (float) random.nextGaussian();
            }
            v[0] += 0.3f * (label - 1);
            Float[] boxed = new Float[v.length];
            for (int j = 0; j < v.length; j++) {
                boxed[j] = v[j];
            }
            String text = requests[random.nextInt(requests.length)] + " " + i + ". this is " + TONE[label];
            String split = i % 5 == 0 ? TrainingColumns.VALIDATION : TrainingColumns.TRAIN;
            rows.add(RowFactory.create(text, LABELS.get(label), split, boxed));
        }
        StructType schema = new StructType().add(TrainingColumns.TEXT, DataTypes.StringType)
                .add(TrainingColumns.LABEL, DataTypes.StringType).add(TrainingColumns.SPLIT, DataTypes.StringType)
                .add("vec", DataTypes.createArrayType(DataTypes.FloatType));
        return spark.createDataFrame(rows, schema);
    }

    private TrainingSummary train(Dataset<Row> rows, HeadOptions options, String name) {
        return EmbeddingHeadTrainer.train(rows, "vec", LABELS, options, tmp.resolve(name).toString(),
                rows.sparkSession().sparkContext().hadoopConfiguration());
    }

    @Test
    void hybridHeadIsTheSameWhateverThePartitioningAndReadsTheText() throws Exception {
        SparkSession spark = LocalSpark.get();
        Dataset<Row> data = rows(spark);
        HeadOptions hybrid = new HeadOptions(BASE, 0.001, 100, 1e-6, 64, HeadOptions.DEFAULT_OOS_QUANTILE, NGRAMS,
                1e-4);
        TrainingSummary one = train(data.repartition(1), hybrid, "one");
        TrainingSummary three = train(data.repartition(3), hybrid, "three");
        byte[] a = Files.readAllBytes(tmp.resolve("one").resolve(EmbeddingHead.PARAMS_FILE));
        assertThat(Files.readAllBytes(tmp.resolve("three").resolve(EmbeddingHead.PARAMS_FILE)))
                .as("the same weights, bit for bit").isEqualTo(a);
        try (var in = Files.newInputStream(tmp.resolve("one").resolve(EmbeddingHead.PARAMS_FILE))) {
            EmbeddingHead head = EmbeddingHead.read(in, "one");
            assertThat(head.ngrams().config()).isEqualTo(NGRAMS);
        }

        TrainingSummary vectorOnly = train(data, new HeadOptions(BASE, 0.001, 100, 1e-6, 64), "vector");
        double hybridAccuracy = one.epochs().get(0).validationAccuracy();
        assertThat(three.epochs().get(0).validationAccuracy()).isEqualTo(hybridAccuracy);
        assertThat(hybridAccuracy).as("the tone word decides").isGreaterThan(0.95);
        assertThat(vectorOnly.epochs().get(0).validationAccuracy()).as("the vector alone barely knows the tone")
                .isLessThan(0.7);
    }

    @Test
    void aListOfStrengthsKeepsTheHeadThatIsBestOnValidation() throws Exception {
        Dataset<Row> data = rows(LocalSpark.get());
        // An n-gram penalty so strong that the tone word cannot count, beside a usable one: the search must keep
        // the usable one, in either order, and write the same head as a run given only that value.
        HeadOptions searched = new HeadOptions(BASE, List.of(0.001), 100, 1e-6, 64,
                HeadOptions.DEFAULT_OOS_QUANTILE, NGRAMS, List.of(100.0, 1e-4));
        HeadOptions reversed = new HeadOptions(BASE, List.of(0.001), 100, 1e-6, 64,
                HeadOptions.DEFAULT_OOS_QUANTILE, NGRAMS, List.of(1e-4, 100.0));
        HeadOptions single = new HeadOptions(BASE, 0.001, 100, 1e-6, 64, HeadOptions.DEFAULT_OOS_QUANTILE, NGRAMS,
                1e-4);
        TrainingSummary best = train(data, searched, "searched");
        train(data, reversed, "reversed");
        TrainingSummary alone = train(data, single, "single");
        TrainingSummary crushed = train(data, new HeadOptions(BASE, 0.001, 100, 1e-6, 64,
                HeadOptions.DEFAULT_OOS_QUANTILE, NGRAMS, 100.0), "crushed");

        assertThat(crushed.epochs().get(0).validationAccuracy()).as("the strong penalty alone loses the tone")
                .isLessThan(0.7);
        assertThat(best.epochs().get(0).validationAccuracy()).isGreaterThan(0.95)
                .isEqualTo(alone.epochs().get(0).validationAccuracy());
        byte[] kept = Files.readAllBytes(tmp.resolve("single").resolve(EmbeddingHead.PARAMS_FILE));
        assertThat(Files.readAllBytes(tmp.resolve("searched").resolve(EmbeddingHead.PARAMS_FILE))).isEqualTo(kept);
        assertThat(Files.readAllBytes(tmp.resolve("reversed").resolve(EmbeddingHead.PARAMS_FILE))).isEqualTo(kept);
    }
}
