package io.cxml.experiments;

import static org.assertj.core.api.Assertions.assertThat;

import io.cxml.contract.CuratedInteractions;
import io.cxml.testing.LocalSpark;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/**
 * The executors' sums against the same sums computed ticket by ticket in Java: maturity, per-requester clustering,
 * CSAT over rated tickets only, the pre-period covariate, and the slices.
 */
class OutcomeStatisticsTest {
    private static final Instant START = Instant.parse("2026-02-01T00:00:00Z");
    private static final Instant AS_OF = Instant.parse("2026-02-20T00:00:00Z");

    private static final StructType SCORED = new StructType().add("ticket_id", DataTypes.StringType)
            .add("created_at", DataTypes.TimestampType).add("language", DataTypes.StringType)
            .add("routed_team", DataTypes.StringType).add("experiment", DataTypes.StringType)
            .add("arm", DataTypes.StringType);

    @Test
    void sumsMatchATicketByTicketComputation() {
        Experiment e = new Experiment("ab", "routing", ExperimentUnit.REQUESTER, 0.5, List.of(
                new Experiment.Arm("control", "routing@v1", 1), new Experiment.Arm("challenger", "routing@v2", 1)),
                START, Instant.parse("2026-03-01T00:00:00Z"), Metric.REOPEN, List.of(Metric.CSAT, Metric.REASSIGNMENT),
                0.05, Duration.ofDays(2));
        SplittableRandom random = new SplittableRandom(3);
        List<Row> curated = new ArrayList<>();
        List<Row> scored = new ArrayList<>();
        // requester -> {y, n} per metric, and the pre-period {reopen sum, count}
        Map<String, double[]> expected = new HashMap<>();
        Map<String, double[]> pre = new HashMap<>();
        long mature = 0;
        for (int i = 0; i < 3000; i++) {
            String requester = "r" + random.nextInt(400);
            boolean prePeriod = i < 600;
            Instant created = prePeriod ? START.minus(Duration.ofHours(1 + random.nextInt(24 * 20)))
                    : START.plus(Duration.ofHours(random.nextInt(24 * 18)));
            Instant solved = created.plus(Duration.ofHours(random.nextInt(72)));
            boolean reopened = random.nextDouble() < 0.2;
            Integer csat = random.nextDouble() < 0.5 ? 1 + random.nextInt(5) : null;
            String team = "t" + random.nextInt(3);
            String routed = "t" + random.nextInt(3);
            String id = "k" + i;
            curated.add(curatedRow(id, requester, created, solved, reopened, csat, team));
            if (prePeriod) {
                if (solved.isBefore(START)) { // the covariate counts outcomes known before the start
                    double[] p = pre.computeIfAbsent(requester, k -> new double[2]);
                    p[0] += reopened ? 1 : 0;
                    p[1]++;
                }
                continue;
            }
            String arm = Assignment.arm(e, requester);
            scored.add(RowFactory.create(id, Timestamp.from(created), i % 2 == 0 ? "en" : "de", routed,
                    arm == null ? null : "ab", arm));
            if (arm == null || !arm.equals("challenger")) {
                continue;
            }
            if (!solved.isAfter(AS_OF.minus(e.maturity()))) {
                mature++;
                double[] s = expected.computeIfAbsent(requester, k -> new double[6]);
                s[0] += reopened ? 1 : 0;
                s[1]++;
                if (csat != null) {
                    s[2] += csat;
                    s[3]++;
                }
                s[4] += routed.equals(team) ? 0 : 1;
                s[5]++;
            } else {
                expected.computeIfAbsent(requester, k -> new double[6]);
            }
        }
        SparkSession spark = LocalSpark.get();
        List<SliceSums> sums = OutcomeStatistics.compute(spark.createDataFrame(scored, SCORED).repartition(3),
                spark.createDataFrame(curated, CuratedInteractions.SCHEMA).repartition(4), e, AS_OF, 28);
        SliceSums all = sums.stream().filter(s -> s.arm().equals("challenger") && s.slice().equals(SliceSums.ALL))
                .findFirst().orElseThrow();
        assertThat(all.units()).isEqualTo(expected.size());
        assertThat(all.matureTickets()).isEqualTo(mature);
        double preRate = pre.values().stream().mapToDouble(p -> p[0]).sum()
                / pre.values().stream().mapToDouble(p -> p[1]).sum();
        MetricSums reopen = MetricSums.EMPTY;
        MetricSums csat = MetricSums.EMPTY;
        MetricSums reassignment = MetricSums.EMPTY;
        for (Map.Entry<String, double[]> u : expected.entrySet()) {
            double[] s = u.getValue();
            double[] p = pre.get(u.getKey());
            double x = p == null ? preRate : p[0] / p[1];
            if (s[1] > 0) {
                reopen = reopen.add(s[0], s[1], x);
                reassignment = reassignment.add(s[4], s[5], 0);
            }
            if (s[3] > 0) {
                csat = csat.add(s[2], s[3], 0);
            }
        }
        assertClose(all.sums(Metric.REOPEN), reopen, true);
        assertClose(all.sums(Metric.CSAT), csat, false);
        assertClose(all.sums(Metric.REASSIGNMENT), reassignment, false);
        assertThat(sums.stream().map(SliceSums::slice)).contains("language=en", "language=de", "tenant=acme");
    }

    private static void assertClose(MetricSums actual, MetricSums expected, boolean covariate) {
        assertThat(actual.n()).isEqualTo(expected.n());
        assertThat(actual.sy()).isCloseTo(expected.sy(), org.assertj.core.data.Offset.offset(1e-6));
        assertThat(actual.sn()).isCloseTo(expected.sn(), org.assertj.core.data.Offset.offset(1e-6));
        assertThat(actual.syy()).isCloseTo(expected.syy(), org.assertj.core.data.Offset.offset(1e-6));
        assertThat(actual.syn()).isCloseTo(expected.syn(), org.assertj.core.data.Offset.offset(1e-6));
        if (covariate) {
            assertThat(actual.sx()).isCloseTo(expected.sx(), org.assertj.core.data.Offset.offset(1e-6));
            assertThat(actual.sxy()).isCloseTo(expected.sxy(), org.assertj.core.data.Offset.offset(1e-6));
        }
    }

    /** A curated ticket of account acme (no escalation, 10 handle minutes); also the replay test's. */
    static Row curatedRow(String id, String requester, Instant created, Instant solved, boolean reopened,
            Integer csat, String team) {
        Object[] v = new Object[CuratedInteractions.SCHEMA.size()];
        StructType s = CuratedInteractions.SCHEMA;
        v[s.fieldIndex(CuratedInteractions.TICKET_ID)] = id;
        v[s.fieldIndex(CuratedInteractions.ACCOUNT_ID)] = "acme";
        v[s.fieldIndex(CuratedInteractions.REQUESTER_ID)] = requester;
        v[s.fieldIndex(CuratedInteractions.CHANNEL)] = "email";
        v[s.fieldIndex(CuratedInteractions.PRIORITY)] = "normal";
        v[s.fieldIndex(CuratedInteractions.CREATED_AT)] = Timestamp.from(created);
        v[s.fieldIndex(CuratedInteractions.UPDATED_AT)] = Timestamp.from(solved);
        v[s.fieldIndex(CuratedInteractions.SOLVED_AT)] = Timestamp.from(solved);
        v[s.fieldIndex(CuratedInteractions.FIRST_MESSAGE)] = "m";
        v[s.fieldIndex(CuratedInteractions.TEXT)] = "m";
        v[s.fieldIndex(CuratedInteractions.MESSAGE_COUNT)] = 1;
        v[s.fieldIndex(CuratedInteractions.CUSTOMER_MESSAGE_COUNT)] = 1;
        v[s.fieldIndex(CuratedInteractions.MESSAGES)] = List.of();
        v[s.fieldIndex(CuratedInteractions.TAGS)] = List.of();
        v[s.fieldIndex(CuratedInteractions.ASSIGNED_GROUP)] = team;
        v[s.fieldIndex(CuratedInteractions.CSAT)] = csat;
        v[s.fieldIndex(CuratedInteractions.REOPENED)] = reopened;
        v[s.fieldIndex(CuratedInteractions.ESCALATED)] = false;
        v[s.fieldIndex(CuratedInteractions.HANDLE_MINUTES)] = 10.0;
        v[s.fieldIndex(CuratedInteractions.SOURCE_FILE)] = "f";
        v[s.fieldIndex(CuratedInteractions.SOURCE_LINE)] = 1L;
        v[s.fieldIndex(CuratedInteractions.DT)] = java.sql.Date.valueOf(created.atZone(java.time.ZoneOffset.UTC)
                .toLocalDate());
        return RowFactory.create(v);
    }
}
