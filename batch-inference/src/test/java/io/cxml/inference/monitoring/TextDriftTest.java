package io.cxml.inference.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import io.cxml.testing.LocalSpark;
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

/**
 * The embedding domain classifier on synthetic vectors: the same distribution stays at its noise floor, a new
 * cluster in a quarter of one language's tickets is found in that language's slice (the sample's new-intent
 * scenario in miniature), small slices are not judged, and the figures repeat exactly.
 */
class TextDriftTest {
    private static final StructType SCHEMA = new StructType().add("ticket_id", DataTypes.StringType)
            .add("language", DataTypes.StringType).add("tenant", DataTypes.StringType)
            .add("embedding", DataTypes.createArrayType(DataTypes.FloatType, false))
            .add("created_at", DataTypes.TimestampType);
    private static final int DIM = 24;

    private static Dataset<Row> tickets(SparkSession spark, String prefix, int n, double newShare, long seed) {
        return tickets(spark, prefix, n, newShare, seed, -1);
    }

    /**
     * @param churnBlock when 0 or more, German tickets move along a direction that changes every n/2 tickets
     *     (block {@code churnBlock} for the first half, {@code churnBlock + 1} for the second): wording that never
     *     stands still, as the sample's sentences, each at home on its own days
     */
    private static Dataset<Row> tickets(SparkSession spark, String prefix, int n, double newShare, long seed,
            int churnBlock) {
        Random random = new Random(seed);
        float[][] centroids = new float[6][DIM];
        Random fixed = new Random(7);
        for (float[] c : centroids) {
            for (int j = 0; j < DIM; j++) {
                c[j] = (float) fixed.nextGaussian();
            }
        }
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String language = i % 2 == 0 ? "en" : "de";
            boolean fresh = language.equals("en") && random.nextDouble() < newShare;
            float[] c = centroids[fresh ? 5 : random.nextInt(5)];
            Float[] v = new Float[DIM];
            for (int j = 0; j < DIM; j++) {
                v[j] = (float) (c[j] + random.nextGaussian() * 0.8);
            }
            if (churnBlock >= 0 && language.equals("de")) {
                int block = churnBlock + (i < n / 2 ? 0 : 1);
                v[block % DIM] += 2.5f;
            }
            rows.add(RowFactory.create(prefix + i, language, "t" + (i % 3), v,
                    new java.sql.Timestamp(1_767_225_600_000L + i * 60_000L)));
        }
        return spark.createDataFrame(rows, SCHEMA);
    }

    private static final TextDrift.Settings SETTINGS = new TextDrift.Settings(1500, 200, 0.05, 0.15, 0.01, 42);

    @Test
    void findsANewKindOfRequestInItsLanguageAndNothingWithoutOne() {
        SparkSession spark = LocalSpark.get();
        Dataset<Row> reference = tickets(spark, "r", 3000, 0, 1);
        List<String> notJudged = new ArrayList<>();
        List<DriftFinding> same = TextDrift.check(reference, tickets(spark, "w", 3000, 0, 2), SETTINGS, notJudged);
        assertThat(same).extracting(DriftFinding::slice).contains("overall", "language=en", "tenant=t0");
        for (DriftFinding f : same) {
            assertThat(f.level()).as(f.line()).isEqualTo(DriftLevel.OK);
            assertThat(f.value()).as(f.line()).isLessThan(0.6);
        }

        List<DriftFinding> drifted = TextDrift.check(reference, tickets(spark, "w", 3000, 0.25, 2), SETTINGS,
                notJudged);
        DriftFinding en = drifted.stream().filter(f -> f.slice().equals("language=en")).findFirst().orElseThrow();
        assertThat(en.level()).as(en.line()).isNotEqualTo(DriftLevel.OK);
        assertThat(en.value()).as(en.line()).isGreaterThan(en.reference() + 0.05);
        DriftFinding de = drifted.stream().filter(f -> f.slice().equals("language=de")).findFirst().orElseThrow();
        assertThat(de.level()).as(de.line()).isEqualTo(DriftLevel.OK);
        assertThat(drifted.get(0).level()).isNotEqualTo(DriftLevel.OK); // worst first

        List<DriftFinding> again = TextDrift.check(reference, tickets(spark, "w", 3000, 0.25, 2), SETTINGS,
                new ArrayList<>());
        assertThat(again).isEqualTo(drifted);
    }

    @Test
    void wordingThatAlwaysMovesIsNotDriftUnlessTheWindowMovesMore() {
        SparkSession spark = LocalSpark.get();
        // German moves a step every half period, in the reference as in the window; English stands still.
        List<DriftFinding> findings = TextDrift.check(tickets(spark, "r", 3000, 0, 1, 0),
                tickets(spark, "w", 3000, 0, 2, 2), SETTINGS, new ArrayList<>());
        DriftFinding de = findings.stream().filter(f -> f.slice().equals("language=de")).findFirst().orElseThrow();
        assertThat(de.value()).as(de.line()).isGreaterThan(0.8); // separable...
        assertThat(de.reference()).as(de.line()).isGreaterThan(0.8); // ...as the reference is from itself
        assertThat(de.level()).as(de.line()).isNotEqualTo(DriftLevel.ALERT);
        DriftFinding en = findings.stream().filter(f -> f.slice().equals("language=en")).findFirst().orElseThrow();
        assertThat(en.level()).as(en.line()).isEqualTo(DriftLevel.OK);
    }

    @Test
    void smallSlicesAreNotJudged() {
        SparkSession spark = LocalSpark.get();
        List<String> notJudged = new ArrayList<>();
        List<DriftFinding> findings = TextDrift.check(tickets(spark, "r", 300, 0, 1), tickets(spark, "w", 300, 0, 2),
                SETTINGS, notJudged);
        assertThat(findings).extracting(DriftFinding::slice).containsExactly("overall");
        assertThat(notJudged).anyMatch(s -> s.startsWith("language=en text:"));
    }

    @Test
    void aucIsMannWhitneyWithTiesHalved() {
        assertThat(TextDrift.auc(new double[] {0.1, 0.4, 0.35, 0.8}, new int[] {0, 0, 1, 1})).isEqualTo(0.75);
        assertThat(TextDrift.auc(new double[] {1, 1, 1, 1}, new int[] {0, 1, 0, 1})).isEqualTo(0.5);
        assertThat(TextDrift.auc(new double[] {3, 2, 1}, new int[] {1, 1, 0})).isEqualTo(1.0);
        assertThat(TextDrift.auc(new double[] {3, 2}, new int[] {1, 1})).isEqualTo(0.5);
    }
}
