package io.cxml.features.split;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cxml.testing.LocalSpark;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/** The one split: shares mean the same by time and by hash, and the rule follows the data. */
class SplitPlanTest {
    private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");
    private static final StructType SCHEMA = new StructType().add("text", DataTypes.StringType)
            .add("label", DataTypes.StringType).add("t", DataTypes.TimestampType);

    private static Dataset<Row> rows(int n, boolean allTimed) {
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            boolean timed = allTimed || i % 10 != 0;
            rows.add(RowFactory.create("text " + i, "l" + (i % 3), timed ? Timestamp.from(START.plusSeconds(60L * i))
                    : null));
        }
        return LocalSpark.get().createDataFrame(rows, SCHEMA);
    }

    private static Map<String, Long> counts(Dataset<Row> split) {
        return split.collectAsList().stream().collect(Collectors.groupingBy(
                r -> (String) r.getAs(SplitPlan.SPLIT), TreeMap::new, Collectors.counting()));
    }

    @Test
    void byTimeTheNewestSharesAreTestThenValidation() {
        Dataset<Row> rows = rows(1000, true);
        SplitPlan plan = SplitPlan.choose(rows, "t", List.of("text", "label"), new SplitShares(0.1, 0.2), 7);
        assertThat(plan.method()).isEqualTo(SplitPlan.BY_TIME);
        Dataset<Row> split = plan.apply(rows);
        Map<String, Long> counts = counts(split);
        assertThat(counts.get(SplitPlan.TEST)).isBetween(195L, 205L);
        assertThat(counts.get(SplitPlan.VALIDATION)).isBetween(95L, 105L);
        Map<String, Row> bounds = split.groupBy(SplitPlan.SPLIT).agg(org.apache.spark.sql.functions.min("t"),
                org.apache.spark.sql.functions.max("t")).collectAsList().stream()
                .collect(Collectors.toMap(r -> r.getString(0), r -> r));
        assertThat(bounds.get(SplitPlan.TRAIN).getTimestamp(2)).isBefore(bounds.get(SplitPlan.VALIDATION).getTimestamp(1));
        assertThat(bounds.get(SplitPlan.VALIDATION).getTimestamp(2)).isBefore(bounds.get(SplitPlan.TEST).getTimestamp(1));
        assertThat(plan.describe()).containsEntry("method", "time").containsEntry("validationShare", "0.1")
                .containsEntry("testShare", "0.2").containsKey("testStart");
    }

    @Test
    void oneRowWithoutATimeMakesItASeededHashWithTheSameShares() {
        SparkSession spark = LocalSpark.get();
        Dataset<Row> rows = rows(2000, false);
        SplitPlan plan = SplitPlan.choose(rows, "t", List.of("text", "label"), new SplitShares(0.1, 0.2), 7);
        assertThat(plan.method()).isEqualTo(SplitPlan.BY_HASH);
        Map<String, Long> counts = counts(plan.apply(rows));
        assertThat(counts.get(SplitPlan.TEST)).isBetween(340L, 460L);
        assertThat(counts.get(SplitPlan.VALIDATION)).isBetween(150L, 250L);
        // Same seed, same assignment; equal (text, label) rows always share a split.
        Map<String, String> a = plan.apply(rows).collectAsList().stream().collect(Collectors.toMap(
                r -> r.getString(0), r -> r.getAs(SplitPlan.SPLIT)));
        Map<String, String> b = SplitPlan.byHash(new SplitShares(0.1, 0.2), 7, List.of("text", "label"))
                .apply(rows(2000, false).union(rows(2000, false))).collectAsList().stream()
                .collect(Collectors.toMap(r -> r.getString(0), r -> r.getAs(SplitPlan.SPLIT), (x, y) -> {
                    assertThat(x).isEqualTo(y);
                    return x;
                }));
        assertThat(b).isEqualTo(a);
        assertThat(spark).isNotNull();
    }

    @Test
    void testShareZeroCarvesOnlyValidationEitherWay() {
        for (boolean timed : new boolean[] {true, false}) {
            Dataset<Row> rows = rows(500, timed);
            Map<String, Long> counts = counts(SplitPlan.choose(rows, "t", List.of("text"), new SplitShares(0.1, 0),
                    3).apply(rows));
            assertThat(counts).as("timed %s", timed).doesNotContainKey(SplitPlan.TEST);
            assertThat(counts.get(SplitPlan.VALIDATION)).as("timed %s", timed).isBetween(30L, 75L);
        }
    }

    @Test
    void sharesThatLeaveNothingToTrainOnAreRejected() {
        assertThatThrownBy(() -> new SplitShares(0.5, 0.5))
                .hasMessageStartingWith("Cannot split with validation share 0.5 and test share 0.5");
        assertThatThrownBy(() -> new SplitShares(0, 0.1)).hasMessageContaining("e.g. 0.1 and 0.1");
    }
}
