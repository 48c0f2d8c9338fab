package io.cxml.training.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cxml.features.TrainingColumns;
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
import org.junit.jupiter.api.Test;

class DataSplitterTest {
    private static Dataset<Row> rows(SparkSession spark, int n, boolean withTime) {
        List<Row> rows = new ArrayList<>();
        Instant start = Instant.parse("2026-01-01T00:00:00Z");
        for (int i = 0; i < n; i++) {
            rows.add(RowFactory.create("text " + i, "label" + (i % 3), "en", "t" + (i % 2),
                    withTime ? Timestamp.from(start.plusSeconds(3600L * i)) : null));
        }
        return spark.createDataFrame(rows, TrainingColumns.SCHEMA);
    }

    @Test
    void splitsByTimeWhenEveryRowHasATimestamp() {
        Dataset<Row> split = new DataSplitter(0.1, 0.2, 1).split(rows(LocalSpark.get(), 200, true));
        try {
            Map<String, List<Long>> hours = new TreeMap<>();
            Instant start = Instant.parse("2026-01-01T00:00:00Z");
            for (Row r : split.collectAsList()) {
                long hour = (((Timestamp) r.getAs(TrainingColumns.EVENT_TIME)).toInstant().getEpochSecond()
                        - start.getEpochSecond()) / 3600;
                hours.computeIfAbsent(r.getAs(TrainingColumns.SPLIT), k -> new ArrayList<>()).add(hour);
            }
            long maxTrain = hours.get(TrainingColumns.TRAIN).stream().mapToLong(Long::longValue).max().orElseThrow();
            long minValid = hours.get(TrainingColumns.VALIDATION).stream().mapToLong(Long::longValue).min()
                    .orElseThrow();
            long maxValid = hours.get(TrainingColumns.VALIDATION).stream().mapToLong(Long::longValue).max()
                    .orElseThrow();
            long minTest = hours.get(TrainingColumns.TEST).stream().mapToLong(Long::longValue).min().orElseThrow();
            assertThat(maxTrain).isLessThan(minValid);
            assertThat(maxValid).isLessThan(minTest);
            assertThat(hours.get(TrainingColumns.TEST)).hasSizeBetween(38, 42);
            assertThat(hours.get(TrainingColumns.VALIDATION)).hasSizeBetween(18, 22);
        } finally {
            split.unpersist();
        }
    }

    @Test
    void splitsBySeededHashOtherwiseAndIsDeterministic() {
        SparkSession spark = LocalSpark.get();
        Dataset<Row> a = new DataSplitter(0.1, 0.2, 5).split(rows(spark, 400, false));
        Dataset<Row> b = new DataSplitter(0.1, 0.2, 5).split(rows(spark, 400, false));
        try {
            Map<String, String> first = a.collectAsList().stream().collect(Collectors.toMap(
                    r -> r.getAs(TrainingColumns.TEXT), r -> r.getAs(TrainingColumns.SPLIT)));
            Map<String, String> second = b.collectAsList().stream().collect(Collectors.toMap(
                    r -> r.getAs(TrainingColumns.TEXT), r -> r.getAs(TrainingColumns.SPLIT)));
            assertThat(second).isEqualTo(first);
            long test = first.values().stream().filter(TrainingColumns.TEST::equals).count();
            assertThat(test).isBetween(50L, 110L);
            assertThat(first.values()).contains(TrainingColumns.TRAIN, TrainingColumns.VALIDATION);
        } finally {
            a.unpersist();
            b.unpersist();
        }
    }

    @Test
    void testFractionZeroCarvesOnlyValidation() {
        for (boolean timed : new boolean[] {true, false}) {
            Dataset<Row> split = new DataSplitter(0.1, 0, 3).split(rows(LocalSpark.get(), 200, timed));
            try {
                Map<String, Long> counts = split.collectAsList().stream().collect(Collectors.groupingBy(
                        r -> (String) r.getAs(TrainingColumns.SPLIT), TreeMap::new, Collectors.counting()));
                assertThat(counts).doesNotContainKey(TrainingColumns.TEST);
                assertThat(counts.get(TrainingColumns.VALIDATION)).isBetween(10L, 35L);
                assertThat(counts.get(TrainingColumns.TRAIN) + counts.get(TrainingColumns.VALIDATION)).isEqualTo(200L);
            } finally {
                split.unpersist();
            }
        }
    }

    @Test
    void aSplitTheRowsCarryIsKeptAndOnlyRowIdsAreAdded() {
        SparkSession spark = LocalSpark.get();
        Dataset<Row> rows = rows(spark, 90, true).withColumn(TrainingColumns.SPLIT, org.apache.spark.sql.functions
                .expr("case when text like '%0' then 'test' when text like '%5' then 'validation' else 'train' end"))
                .withColumn("extra", org.apache.spark.sql.functions.lit(1));
        Dataset<Row> split = new DataSplitter(0.3, 0.3, 1).split(rows);
        try {
            assertThat(split.columns()).contains(TrainingColumns.ROW_ID, "extra");
            assertThat(split.where("split = 'test'").count()).isEqualTo(9);
            assertThat(split.where("split = 'validation'").count()).isEqualTo(9);
            assertThat(split.select(TrainingColumns.ROW_ID).distinct().count()).isEqualTo(90);
        } finally {
            split.unpersist();
        }
        assertThatThrownBy(() -> new DataSplitter(0.1, 0.1, 1).split(rows.withColumn(TrainingColumns.SPLIT,
                org.apache.spark.sql.functions.lit("holdout"))))
                .hasMessageStartingWith("Cannot keep the split the rows carry: 90 rows have a split other than");
    }

    @Test
    void rejectsFractionsThatLeaveNoTrainingData() {
        assertThatThrownBy(() -> new DataSplitter(0.5, 0.5, 1))
                .hasMessageStartingWith("Cannot split with validation share 0.5 and test share 0.5");
    }
}
