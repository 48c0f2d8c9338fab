package io.cxml.experiments;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;

import io.cxml.testing.LocalSpark;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

/** Assignment is deterministic, the same on the executors as in plain Java, and stable when the share grows. */
class AssignmentTest {
    static Experiment experiment(String name, double share, double... weights) {
        List<Experiment.Arm> arms = IntStream.range(0, weights.length)
                .mapToObj(i -> new Experiment.Arm(i == 0 ? "control" : "challenger" + i, "routing@v" + (i + 1),
                        weights[i])).toList();
        return new Experiment(name, "routing", ExperimentUnit.REQUESTER, share, arms,
                Instant.parse("2026-01-01T00:00:00Z"), Instant.parse("2026-02-01T00:00:00Z"), Metric.REOPEN,
                List.of(Metric.CSAT), 0.05, Duration.ofDays(3));
    }

    @Test
    void sparkColumnAndJavaAgreeOnEveryUnit() {
        Experiment e = experiment("routing-v2", 0.3, 1, 1, 2);
        List<String> ids = IntStream.range(0, 20_000).mapToObj(i -> "req-" + i).toList();
        Dataset<Row> assigned = LocalSpark.get().createDataset(ids, Encoders.STRING()).toDF("unit")
                .withColumn("arm", Assignment.armColumn(e, col("unit")));
        Map<String, String> spark = new HashMap<>();
        for (Row r : assigned.collectAsList()) {
            spark.put(r.getString(0), r.getString(1));
        }
        for (String id : ids) {
            assertThat(spark.get(id)).as(id).isEqualTo(Assignment.arm(e, id));
        }
        long in = spark.values().stream().filter(a -> a != null).count();
        assertThat(in / 20_000.0).isCloseTo(0.3, org.assertj.core.data.Offset.offset(0.015));
        long third = spark.values().stream().filter("challenger2"::equals).count();
        assertThat(third / (double) in).isCloseTo(0.5, org.assertj.core.data.Offset.offset(0.03));
    }

    @Test
    void unitsKeepTheirArmWhenTheShareGrows() {
        Experiment small = experiment("routing-v2", 0.1, 1, 1);
        Experiment grown = experiment("routing-v2", 0.5, 1, 1);
        int inSmall = 0;
        int newlyIn = 0;
        for (int i = 0; i < 50_000; i++) {
            String id = "req-" + i;
            String before = Assignment.arm(small, id);
            String after = Assignment.arm(grown, id);
            assertThat(Assignment.arm(small, id)).isEqualTo(before); // same unit, same arm, every time
            if (before != null) {
                inSmall++;
                assertThat(after).as(id).isEqualTo(before);
            } else if (after != null) {
                newlyIn++;
            }
        }
        assertThat(inSmall).isBetween(4_500, 5_500);
        assertThat(inSmall + newlyIn).isBetween(24_000, 26_000);
    }

    @Test
    void anotherExperimentNameReshufflesUnits() {
        Experiment a = experiment("routing-v2", 1.0, 1, 1);
        Experiment b = experiment("routing-v3", 1.0, 1, 1);
        long same = IntStream.range(0, 10_000).filter(i -> Assignment.arm(a, "req-" + i)
                .equals(Assignment.arm(b, "req-" + i))).count();
        assertThat(same / 10_000.0).isBetween(0.47, 0.53); // independent salts
        assertThat(Assignment.arm(a, null)).isNull();
    }
}
