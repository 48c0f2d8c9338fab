package io.cxml.experiments;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import io.cxml.contract.CuratedInteractions;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The executors' half of the offline replay ({@link ReplayEstimate}): logged, solved tickets joined with the route each
 * arm's version gives them offline, reduced to {@link MomentSums} per challenger and metric. Per ticket, with y and d
 * the metric's numerator and denominator ({@link OutcomeStatistics}), g0 = 1 when the control's route is the team
 * that solved the ticket and gc = 1 when the challenger's is, the five values are
 * {@code [y g0, d g0, y (1 - g0), d (1 - g0), d gc]}. Tickets without a solving team or a route (an unsupported
 * language, say) are left out. Only the sums reach the driver.
 */
public final class ReplayStatistics {
    /** Number of per-ticket values ({@link ReplayEstimate} reads them in this order). */
    static final int VALUES = 5;

    private ReplayStatistics() {}

    /**
     * @param routes ticket_id and one column per arm of the experiment, named {@link #routeColumn(String)}: the team
     *     the arm's version routes the ticket to
     * @param curated the curated tickets (outcomes and the solving team, {@code assigned_group})
     * @param experiment the experiment (arms and metrics)
     * @param from first creation time replayed
     * @param to first creation time left out
     * @param matureBy tickets count once solved by then (a reopen or a late CSAT can no longer change them)
     * @return per challenger, per metric, the sums; an arm without a ticket has none
     */
    public static Map<String, Map<Metric, MomentSums>> compute(Dataset<Row> routes, Dataset<Row> curated,
            Experiment experiment, Instant from, Instant to, Instant matureBy) {
        String control = routeColumn(experiment.control().name());
        List<Experiment.Arm> challengers = experiment.arms().subList(1, experiment.arms().size());
        Column routed = col(CuratedInteractions.ASSIGNED_GROUP).isNotNull().and(col(control).isNotNull());
        for (Experiment.Arm arm : challengers) {
            routed = routed.and(col(routeColumn(arm.name())).isNotNull());
        }
        Dataset<Row> tickets = curated
                .where(col(CuratedInteractions.DT).between(java.sql.Date.valueOf(day(from)), // prunes the days
                        java.sql.Date.valueOf(day(to))))
                .where(col(CuratedInteractions.CREATED_AT).geq(lit(Timestamp.from(from)))
                        .and(col(CuratedInteractions.CREATED_AT).lt(lit(Timestamp.from(to))))
                        .and(col(CuratedInteractions.SOLVED_AT).isNotNull())
                        .and(col(CuratedInteractions.SOLVED_AT).leq(lit(Timestamp.from(matureBy)))))
                .join(routes, CuratedInteractions.TICKET_ID)
                .where(routed)
                .withColumn("routed_team", col(control)); // the logging policy's route, for reassignment
        Column g0 = when(col(control).equalTo(col(CuratedInteractions.ASSIGNED_GROUP)), 1.0).otherwise(0.0);
        List<Column> aggs = new ArrayList<>();
        for (Experiment.Arm arm : challengers) {
            Column gc = when(col(routeColumn(arm.name())).equalTo(col(CuratedInteractions.ASSIGNED_GROUP)), 1.0)
                    .otherwise(0.0);
            for (Metric m : experiment.metrics()) {
                Column y = OutcomeStatistics.numerator(m);
                Column d = OutcomeStatistics.denominator(m);
                Column[] v = {y.multiply(g0), d.multiply(g0), y.multiply(lit(1.0).minus(g0)),
                    d.multiply(lit(1.0).minus(g0)), d.multiply(gc)};
                for (Column c : v) {
                    aggs.add(sum(c));
                }
                for (int i = 0; i < VALUES; i++) {
                    for (int j = i; j < VALUES; j++) {
                        aggs.add(sum(v[i].multiply(v[j])));
                    }
                }
            }
        }
        Row r = tickets.agg(count(lit(1)), aggs.toArray(new Column[0])).first();
        long n = r.getLong(0);
        Map<String, Map<Metric, MomentSums>> out = new LinkedHashMap<>();
        if (n == 0) {
            return out;
        }
        int products = VALUES * (VALUES + 1) / 2;
        int i = 1;
        for (Experiment.Arm arm : challengers) {
            Map<Metric, MomentSums> metrics = new EnumMap<>(Metric.class);
            for (Metric m : experiment.metrics()) {
                double[] s = new double[VALUES];
                double[] p = new double[products];
                for (int k = 0; k < VALUES; k++) {
                    s[k] = r.getDouble(i++);
                }
                for (int k = 0; k < products; k++) {
                    p[k] = r.getDouble(i++);
                }
                metrics.put(m, new MomentSums(n, s, p));
            }
            out.put(arm.name(), metrics);
        }
        return out;
    }

    private static java.time.LocalDate day(Instant t) {
        return t.atZone(java.time.ZoneOffset.UTC).toLocalDate();
    }

    /**
     * @param arm an arm
     * @return the column of its offline route
     */
    public static String routeColumn(String arm) {
        return "_route_" + arm;
    }
}
