package io.cxml.experiments;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.first;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import io.cxml.contract.CuratedInteractions;
import java.sql.Timestamp;
import java.time.Duration;
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
 * The executors' half of the analysis: each exposed ticket's outcomes (joined from the curated tickets), reduced per
 * unit and then to {@link MetricSums} per arm and slice. Only those sums reach the driver, whatever the number of
 * tickets.
 *
 * <p>Outcomes per ticket (numerator / denominator): CSAT = csat / rated; reopen = reopened / 1; escalation = escalated
 * / 1; handle time = handle minutes / solved with a handle time; reassignment = (solving team != routed team) / tickets
 * with both. A ticket counts only once mature: solved at least {@link Experiment#maturity()} before the look, so a
 * reopen or a late CSAT can no longer change it. The pre-period covariate X of a unit (CUPED) is the unit's value of the
 * same metric over its tickets created in the {@code preDays} before the experiment started (for ticket units, the
 * requester's), or the pooled pre-period value when the unit has no history.
 */
public final class OutcomeStatistics {
    private static final String ARM = "_arm";
    private static final String SLICE = "_slice";
    private static final String UNIT = "_unit";
    private static final String KEY = "_covariate_key";
    private static final String TICKETS = "_tickets";
    private static final String MATURE = "_mature";

    private OutcomeStatistics() {}

    /**
     * @param scored the scored tickets ({@code scored/tickets}: ticket_id, language, routed_team, experiment, arm)
     * @param curated the curated tickets
     * @param experiment the experiment
     * @param asOf the look: tickets created before it (and before the end) count, outcomes solved by
     *     {@code asOf - maturity}
     * @param preDays pre-period length for the CUPED covariate; 0 = no covariate
     * @return the sums per arm and slice
     */
    public static List<SliceSums> compute(Dataset<Row> scored, Dataset<Row> curated, Experiment experiment,
            Instant asOf, int preDays) {
        Instant until = asOf.isBefore(experiment.end()) ? asOf : experiment.end();
        Dataset<Row> exposed = scored.where(col(ExperimentColumns.EXPERIMENT).equalTo(experiment.name())
                        .and(col(CuratedInteractions.CREATED_AT).geq(lit(Timestamp.from(experiment.start()))))
                        .and(col(CuratedInteractions.CREATED_AT).lt(lit(Timestamp.from(until)))))
                .select(col(CuratedInteractions.TICKET_ID), col(ExperimentColumns.ARM).as(ARM),
                        col("language"), col("routed_team"));
        Column matureBy = col(CuratedInteractions.SOLVED_AT).isNotNull()
                .and(col(CuratedInteractions.SOLVED_AT).leq(lit(Timestamp.from(asOf.minus(experiment.maturity())))));
        Dataset<Row> tickets = exposed.join(curated.select(CuratedInteractions.TICKET_ID,
                        CuratedInteractions.REQUESTER_ID, CuratedInteractions.ACCOUNT_ID, CuratedInteractions.SOLVED_AT,
                        CuratedInteractions.CSAT, CuratedInteractions.REOPENED, CuratedInteractions.ESCALATED,
                        CuratedInteractions.HANDLE_MINUTES, CuratedInteractions.ASSIGNED_GROUP),
                        CuratedInteractions.TICKET_ID)
                .withColumn(UNIT, col(experiment.unit().column()))
                .withColumn(KEY, col(experiment.unit() == ExperimentUnit.TICKET ? CuratedInteractions.REQUESTER_ID
                        : experiment.unit().column()))
                .withColumn(MATURE, when(matureBy, 1).otherwise(0));
        for (Metric m : experiment.metrics()) {
            tickets = tickets.withColumn(num(m), when(matureBy, numerator(m)).otherwise(0.0))
                    .withColumn(den(m), when(matureBy, denominator(m)).otherwise(0.0));
        }
        tickets = withCovariates(tickets, curated, experiment, preDays);
        List<Column> slices = new ArrayList<>();
        slices.add(lit(SliceSums.ALL));
        slices.add(concat(lit("language="), coalesce(col("language"), lit("unknown"))));
        if (experiment.unit() != ExperimentUnit.ACCOUNT) { // an account experiment has one unit per tenant
            slices.add(concat(lit("tenant="), col(CuratedInteractions.ACCOUNT_ID)));
        }
        Dataset<Row> sliced = tickets.withColumn(SLICE, explode(array(slices.toArray(new Column[0]))));
        Dataset<Row> units = experiment.unit() == ExperimentUnit.TICKET
                ? sliced.withColumn(TICKETS, lit(1L))
                : perUnit(sliced, experiment);
        List<Column> aggs = new ArrayList<>();
        aggs.add(count(lit(1)).as("units"));
        aggs.add(sum(col(TICKETS)).as("tickets"));
        aggs.add(sum(col(MATURE)).as("mature"));
        for (Metric m : experiment.metrics()) {
            Column y = col(num(m));
            Column n = col(den(m));
            Column x = col(cov(m));
            Column has = n.gt(0);
            aggs.add(sum(when(has, 1L).otherwise(0L)).as(m.key() + "_n"));
            for (Column c : new Column[] {y, n, y.multiply(y), n.multiply(n), y.multiply(n), x, x.multiply(x),
                x.multiply(y), x.multiply(n)}) {
                aggs.add(sum(when(has, c).otherwise(0.0)));
            }
        }
        List<SliceSums> out = new ArrayList<>();
        for (Row r : units.groupBy(col(ARM), col(SLICE)).agg(aggs.get(0), aggs.subList(1, aggs.size())
                .toArray(new Column[0])).collectAsList()) {
            Map<Metric, MetricSums> metrics = new EnumMap<>(Metric.class);
            int i = 5;
            for (Metric m : experiment.metrics()) {
                metrics.put(m, new MetricSums(r.getLong(i), r.getDouble(i + 1), r.getDouble(i + 2), r.getDouble(i + 3),
                        r.getDouble(i + 4), r.getDouble(i + 5), r.getDouble(i + 6), r.getDouble(i + 7),
                        r.getDouble(i + 8), r.getDouble(i + 9)));
                i += 10;
            }
            out.add(new SliceSums(r.getString(0), r.getString(1), r.getLong(2), r.getLong(3), r.getLong(4), metrics));
        }
        return out;
    }

    /** Sums each unit's tickets (cluster-robust: the unit, not the ticket, is the independent observation). */
    private static Dataset<Row> perUnit(Dataset<Row> sliced, Experiment experiment) {
        List<Column> aggs = new ArrayList<>();
        aggs.add(sum(col(MATURE)).as(MATURE));
        for (Metric m : experiment.metrics()) {
            aggs.add(sum(col(num(m))).as(num(m)));
            aggs.add(sum(col(den(m))).as(den(m)));
            aggs.add(first(col(cov(m))).as(cov(m)));
        }
        return sliced.where(col(UNIT).isNotNull()).groupBy(col(ARM), col(SLICE), col(UNIT))
                .agg(count(lit(1)).as(TICKETS), aggs.toArray(new Column[0]));
    }

    /** Adds each ticket's pre-period covariate per metric (the pooled value where the unit has no history). */
    private static Dataset<Row> withCovariates(Dataset<Row> tickets, Dataset<Row> curated, Experiment experiment,
            int preDays) {
        Dataset<Row> out = tickets;
        if (preDays <= 0) {
            for (Metric m : experiment.metrics()) {
                out = out.withColumn(cov(m), lit(0.0));
            }
            return out;
        }
        Instant from = experiment.start().minus(Duration.ofDays(preDays));
        Column solvedBefore = col(CuratedInteractions.SOLVED_AT).isNotNull()
                .and(col(CuratedInteractions.SOLVED_AT).lt(lit(Timestamp.from(experiment.start()))));
        String keyColumn = experiment.unit() == ExperimentUnit.TICKET ? CuratedInteractions.REQUESTER_ID
                : experiment.unit().column();
        Dataset<Row> history = curated
                .where(col(CuratedInteractions.CREATED_AT).geq(lit(Timestamp.from(from)))
                        .and(col(CuratedInteractions.CREATED_AT).lt(lit(Timestamp.from(experiment.start()))))
                        .and(col(keyColumn).isNotNull()))
                .withColumn("routed_team", lit(null).cast("string"));
        List<Column> aggs = new ArrayList<>();
        for (Metric m : experiment.metrics()) {
            aggs.add(sum(when(solvedBefore, numerator(m)).otherwise(0.0)).as(num(m)));
            aggs.add(sum(when(solvedBefore, denominator(m)).otherwise(0.0)).as(den(m)));
        }
        Dataset<Row> perKey = history.groupBy(col(keyColumn).as(KEY))
                .agg(aggs.get(0), aggs.subList(1, aggs.size()).toArray(new Column[0])).cache();
        List<Column> pooledAggs = new ArrayList<>();
        for (Metric m : experiment.metrics()) {
            pooledAggs.add(sum(col(num(m))));
            pooledAggs.add(sum(col(den(m))));
        }
        Row pooled = perKey.agg(pooledAggs.get(0), pooledAggs.subList(1, pooledAggs.size()).toArray(new Column[0]))
                .first();
        Map<Metric, Double> pooledValue = new LinkedHashMap<>();
        int i = 0;
        for (Metric m : experiment.metrics()) {
            double n = pooled.isNullAt(i + 1) ? 0 : pooled.getDouble(i + 1);
            pooledValue.put(m, n > 0 ? pooled.getDouble(i) / n : 0.0);
            i += 2;
        }
        List<Column> covariates = new ArrayList<>();
        covariates.add(col(KEY));
        for (Metric m : experiment.metrics()) {
            covariates.add(when(col(den(m)).gt(0), col(num(m)).divide(col(den(m)))).as(cov(m)));
        }
        out = out.join(perKey.select(covariates.toArray(new Column[0])), KEY, "left");
        for (Metric m : experiment.metrics()) {
            out = out.withColumn(cov(m), coalesce(col(cov(m)), lit(pooledValue.get(m))));
        }
        perKey.unpersist();
        return out;
    }

    /** The metric's numerator per ticket (needs routed_team for reassignment); also the replay's. */
    static Column numerator(Metric m) {
        return switch (m) {
            case CSAT -> coalesce(col(CuratedInteractions.CSAT).cast("double"), lit(0.0));
            case REOPEN -> when(col(CuratedInteractions.REOPENED), 1.0).otherwise(0.0);
            case ESCALATION -> when(col(CuratedInteractions.ESCALATED), 1.0).otherwise(0.0);
            case HANDLE_TIME -> coalesce(col(CuratedInteractions.HANDLE_MINUTES), lit(0.0));
            case REASSIGNMENT -> when(col("routed_team").isNotNull().and(col(CuratedInteractions.ASSIGNED_GROUP)
                    .isNotNull()).and(col("routed_team").notEqual(col(CuratedInteractions.ASSIGNED_GROUP))), 1.0)
                    .otherwise(0.0);
        };
    }

    /** The metric's denominator per ticket; also the replay's. */
    static Column denominator(Metric m) {
        return switch (m) {
            case CSAT -> when(col(CuratedInteractions.CSAT).isNotNull(), 1.0).otherwise(0.0);
            case REOPEN, ESCALATION -> lit(1.0);
            case HANDLE_TIME -> when(col(CuratedInteractions.HANDLE_MINUTES).isNotNull(), 1.0).otherwise(0.0);
            case REASSIGNMENT -> when(col("routed_team").isNotNull()
                    .and(col(CuratedInteractions.ASSIGNED_GROUP).isNotNull()), 1.0).otherwise(0.0);
        };
    }

    private static String num(Metric m) {
        return "_y_" + m.key();
    }

    private static String den(Metric m) {
        return "_n_" + m.key();
    }

    private static String cov(Metric m) {
        return "_x_" + m.key();
    }
}
