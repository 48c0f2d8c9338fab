package io.cxml.experiments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.cxml.contract.CuratedInteractions;
import io.cxml.testing.LocalSpark;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
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
 * The replay against a simulated world whose truth is known: every ticket has a right team (the one that solves it),
 * the control routed it there with probability 0.80 and the challenger would with 0.92; a ticket routed right reopens
 * with probability 0.06 and rates CSAT 4 on average, one routed wrong reopens with 0.20 and rates 3. The outcomes are
 * drawn under the control's route, as logs are.
 */
class ReplayEstimateTest {
    private static final Instant FROM = Instant.parse("2026-02-01T00:00:00Z");
    private static final Instant TO = Instant.parse("2026-02-15T00:00:00Z");
    private static final StructType ROUTES = new StructType().add("ticket_id", DataTypes.StringType)
            .add(ReplayStatistics.routeColumn("control"), DataTypes.StringType)
            .add(ReplayStatistics.routeColumn("challenger"), DataTypes.StringType);
    private static final Experiment EXPERIMENT = new Experiment("routing-v2", "routing", ExperimentUnit.TICKET, 1.0,
            List.of(new Experiment.Arm("control", "routing@v1", 1), new Experiment.Arm("challenger", "routing@v2", 1)),
            FROM, TO, Metric.REOPEN, List.of(Metric.CSAT, Metric.REASSIGNMENT), 0.1, Duration.ofDays(1));

    @Test
    void estimateCoversThePlantedTruthAndDoesNotDependOnPartitioning() {
        SplittableRandom random = new SplittableRandom(11);
        List<Row> curated = new ArrayList<>();
        List<Row> routes = new ArrayList<>();
        double[] truth = new double[4]; // reopen under control, under challenger; CSAT sums under each
        int rated = 0;
        int n = 20_000;
        for (int i = 0; i < n; i++) {
            String team = "t" + random.nextInt(4);
            String control = random.nextDouble() < 0.80 ? team : "t" + (4 + random.nextInt(3));
            String challenger = random.nextDouble() < 0.92 ? team : "t" + (4 + random.nextInt(3));
            boolean right = control.equals(team);
            boolean reopened = random.nextDouble() < (right ? 0.06 : 0.20);
            Integer csat = random.nextDouble() < 0.5 ? (right ? 3 : 2) + random.nextInt(3) : null;
            truth[0] += right ? 0.06 : 0.20;
            truth[1] += challenger.equals(team) ? 0.06 : 0.20;
            if (csat != null) {
                rated++;
                truth[2] += right ? 4 : 3;
                truth[3] += challenger.equals(team) ? 4 : 3;
            }
            Instant created = FROM.plus(Duration.ofMinutes(random.nextInt(60 * 24 * 13)));
            curated.add(OutcomeStatisticsTest.curatedRow("k" + i, "r" + i, created, created.plus(Duration.ofHours(3)),
                    reopened, csat, team));
            routes.add(RowFactory.create("k" + i, control, challenger));
        }
        SparkSession spark = LocalSpark.get();
        Dataset<Row> curatedRows = spark.createDataFrame(curated, CuratedInteractions.SCHEMA);
        Map<Metric, MomentSums> sums = ReplayStatistics.compute(spark.createDataFrame(routes, ROUTES).repartition(3),
                curatedRows.repartition(4), EXPERIMENT, FROM, TO, TO.plus(Duration.ofDays(2))).get("challenger");

        ReplayEstimate reopen = ReplayEstimate.of(sums.get(Metric.REOPEN), 0.05);
        double trueReopen = truth[1] / n;
        double trueLift = (truth[1] - truth[0]) / n;
        System.out.printf("replay reopen: logged %.4f, challenger %.4f [%.4f, %.4f] (truth %.4f); difference %+.4f "
                + "[%+.4f, %+.4f] (truth %+.4f)%n", reopen.controlValue(), reopen.challengerValue(),
                reopen.challengerLow(), reopen.challengerHigh(), trueReopen, reopen.difference(), reopen.low(),
                reopen.high(), trueLift);
        assertThat(reopen.tickets()).isEqualTo(n);
        assertThat(trueReopen).isBetween(reopen.challengerLow(), reopen.challengerHigh());
        assertThat(trueLift).isBetween(reopen.low(), reopen.high());
        assertThat(reopen.high()).isNegative(); // fewer reopens, found
        assertThat(reopen.improves(Metric.REOPEN)).isTrue();
        assertThat(reopen.challengerAgreement()).isCloseTo(0.92, within(0.01));
        assertThat(reopen.controlAgreement()).isCloseTo(0.80, within(0.01));

        ReplayEstimate csat = ReplayEstimate.of(sums.get(Metric.CSAT), 0.05);
        double trueCsatLift = (truth[3] - truth[2]) / rated;
        assertThat(trueCsatLift).isBetween(csat.low(), csat.high());
        assertThat(csat.low()).isPositive();
        // reassignment under a route is exactly its miss rate: 1 - agreement
        ReplayEstimate reassignment = ReplayEstimate.of(sums.get(Metric.REASSIGNMENT), 0.05);
        assertThat(reassignment.challengerValue()).isCloseTo(1 - reassignment.challengerAgreement(), within(1e-12));

        Map<Metric, MomentSums> other = ReplayStatistics.compute(spark.createDataFrame(routes, ROUTES).repartition(7),
                curatedRows.repartition(2), EXPERIMENT, FROM, TO, TO.plus(Duration.ofDays(2))).get("challenger");
        ReplayEstimate again = ReplayEstimate.of(other.get(Metric.REOPEN), 0.05);
        assertThat(again.difference()).isCloseTo(reopen.difference(), within(1e-12));
        assertThat(again.standardError()).isCloseTo(reopen.standardError(), within(1e-12));
    }

    @Test
    void aChallengerThatRoutesLikeTheControlChangesNothing() {
        SplittableRandom random = new SplittableRandom(5);
        List<Row> curated = new ArrayList<>();
        List<Row> routes = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) {
            String team = "t" + random.nextInt(3);
            String route = random.nextDouble() < 0.7 ? team : "t9";
            Instant created = FROM.plus(Duration.ofHours(random.nextInt(24 * 13)));
            curated.add(OutcomeStatisticsTest.curatedRow("k" + i, "r" + i, created, created.plus(Duration.ofHours(1)),
                    random.nextDouble() < (route.equals(team) ? 0.1 : 0.3), null, team));
            routes.add(RowFactory.create("k" + i, route, route));
        }
        SparkSession spark = LocalSpark.get();
        ReplayEstimate e = ReplayEstimate.of(ReplayStatistics.compute(spark.createDataFrame(routes, ROUTES),
                spark.createDataFrame(curated, CuratedInteractions.SCHEMA), EXPERIMENT, FROM, TO, TO)
                .get("challenger").get(Metric.REOPEN), 0.05);
        assertThat(e.difference()).isCloseTo(0.0, within(1e-12));
        assertThat(e.challengerValue()).isCloseTo(e.controlValue(), within(1e-12));
        // no rated ticket: CSAT has no estimate rather than a made-up one
        assertThat(ReplayEstimate.of(ReplayStatistics.compute(spark.createDataFrame(routes, ROUTES),
                spark.createDataFrame(curated, CuratedInteractions.SCHEMA), EXPERIMENT, FROM, TO, TO)
                .get("challenger").get(Metric.CSAT), 0.05)).isNull();
    }
}
