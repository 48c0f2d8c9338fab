package io.cxml.experiments;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.xxhash64;

import io.cxml.contract.CuratedInteractions;
import io.cxml.s3.Committers;
import io.cxml.storage.StorageFiles;
import io.cxml.storage.StorageLayout;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;

/**
 * Sample data only: an outcome simulator applied after scoring, so that the arm that served a ticket changes its
 * outcome by a known, planted effect. The sample generator's outcomes depend on the ticket (misrouting, severity,
 * priority) but not on the model version that scored it; this rewrites the outcomes of the experiment's tickets of the
 * chosen arms in {@code curated/interactions}:
 *
 * <ul>
 *   <li>reopen and escalation, relative effect r: with r &lt; 0 each such ticket keeps its flag with probability 1 + r
 *       (thinning); with r &gt; 0 a ticket without it gets it with probability r p / (1 - p), p being the rate over the
 *       experiment's tickets. Either way the arm's expected rate becomes p (1 + r).
 *   <li>CSAT, absolute shift s: a rated ticket moves one point in the direction of s with probability |s| (within 1-5),
 *       so the expected shift is s times the share of rated tickets not already at the end it moves towards.
 * </ul>
 *
 * Every draw is a hash of the seed, the ticket id and the outcome, so the result does not depend on partitioning. The
 * experiment tickets' original outcomes are saved before their first rewrite ({@code
 * experiments/<name>/simulation/originals}) and every run starts from them: re-running with other effects replaces the earlier ones instead of compounding them. It refuses
 * curated data without ground-truth columns (real tickets).
 */
public final class PlantedOutcomes {
    private static final String ORIGINAL = "_original_";

    /**
     * Effects planted in one arm.
     *
     * @param reopen relative change of the reopen rate (-0.3 = 30% fewer reopens)
     * @param escalation relative change of the escalation rate
     * @param csat absolute shift of CSAT (probability of a one-point move)
     */
    public record Effects(double reopen, double escalation, double csat) {
        /** Checks the ranges. */
        public Effects {
            if (reopen < -1 || escalation < -1 || Math.abs(csat) > 1) {
                throw new IllegalArgumentException("Cannot plant effects reopen " + reopen + ", escalation "
                        + escalation + ", csat " + csat + ": relative effects must be >= -1 and the CSAT shift in "
                        + "[-1, 1]");
            }
        }
    }

    private PlantedOutcomes() {}

    /**
     * Rewrites the outcomes of the experiment's tickets of {@code arms} in the curated days they touch.
     *
     * @param spark the session
     * @param layout the storage layout
     * @param scored the scored tickets (ticket_id, experiment, arm)
     * @param experiment the experiment
     * @param arms the arms whose tickets get the effects (other arms get their original outcomes back)
     * @param effects the planted effects
     * @param seed the seed of the draws
     * @return tickets of those arms whose outcomes were redrawn
     */
    public static long rewrite(SparkSession spark, StorageLayout layout, Dataset<Row> scored, Experiment experiment,
            List<String> arms, Effects effects, long seed) {
        String curatedPath = layout.curatedInteractions();
        Dataset<Row> exposed = scored.where(col(ExperimentColumns.EXPERIMENT).equalTo(experiment.name()))
                .select(col(CuratedInteractions.TICKET_ID), col(ExperimentColumns.ARM));
        String originalsPath = layout.resolve("experiments/" + experiment.name() + "/simulation/originals");
        var hadoop = spark.sparkContext().hadoopConfiguration();
        Dataset<Row> curated = spark.read().schema(CuratedInteractions.SCHEMA).parquet(curatedPath);
        Dataset<Row> mine = curated.join(exposed, CuratedInteractions.TICKET_ID);
        if (mine.where(col(CuratedInteractions.TRUE_INTENT).isNotNull()).isEmpty()) {
            throw new IllegalArgumentException("Cannot plant outcomes for experiment '" + experiment.name()
                    + "': its tickets carry no ground truth (true_intent), so they are not sample data");
        }
        // Originals of the tickets exposed since the last run (earlier ones were saved before they were rewritten).
        Dataset<Row> fresh = mine.select(CuratedInteractions.TICKET_ID, CuratedInteractions.REOPENED,
                CuratedInteractions.ESCALATED, CuratedInteractions.CSAT);
        if (StorageFiles.exists(originalsPath, hadoop)) {
            fresh = fresh.join(spark.read().parquet(originalsPath).select(CuratedInteractions.TICKET_ID),
                    CuratedInteractions.TICKET_ID, "left_anti");
        }
        fresh.write().mode(SaveMode.Append).parquet(originalsPath);
        Dataset<Row> originals = spark.read().parquet(originalsPath);
        List<Object> days = new ArrayList<>();
        for (Row r : curated.join(originals.select(CuratedInteractions.TICKET_ID), CuratedInteractions.TICKET_ID)
                .select(CuratedInteractions.DT).distinct().collectAsList()) {
            days.add(r.getDate(0));
        }
        Row rates = originals.agg(org.apache.spark.sql.functions.avg(col(CuratedInteractions.REOPENED).cast("double")),
                org.apache.spark.sql.functions.avg(col(CuratedInteractions.ESCALATED).cast("double"))).first();
        Column planted = col(ExperimentColumns.ARM).isin(arms.toArray());
        Dataset<Row> restored = curated.where(col(CuratedInteractions.DT).isin(days.toArray()))
                .join(originals.select(col(CuratedInteractions.TICKET_ID),
                        col(CuratedInteractions.REOPENED).as(ORIGINAL + "reopened"),
                        col(CuratedInteractions.ESCALATED).as(ORIGINAL + "escalated"),
                        col(CuratedInteractions.CSAT).as(ORIGINAL + "csat"),
                        lit(true).as(ORIGINAL + "known")), CuratedInteractions.TICKET_ID, "left")
                .join(exposed, CuratedInteractions.TICKET_ID, "left");
        Column known = col(ORIGINAL + "known").isNotNull();
        Column reopened = when(known, col(ORIGINAL + "reopened")).otherwise(col(CuratedInteractions.REOPENED));
        Column escalated = when(known, col(ORIGINAL + "escalated")).otherwise(col(CuratedInteractions.ESCALATED));
        Column csat = when(known, col(ORIGINAL + "csat")).otherwise(col(CuratedInteractions.CSAT));
        Dataset<Row> out = restored
                .withColumn(CuratedInteractions.REOPENED, when(known.and(planted),
                        flag(reopened, effects.reopen(), rates.getDouble(0), uniform(seed, "reopen")))
                        .otherwise(reopened))
                .withColumn(CuratedInteractions.ESCALATED, when(known.and(planted),
                        flag(escalated, effects.escalation(), rates.getDouble(1), uniform(seed, "escalation")))
                        .otherwise(escalated))
                .withColumn(CuratedInteractions.CSAT, when(known.and(planted).and(csat.isNotNull())
                        .and(uniform(seed, "csat").lt(Math.abs(effects.csat()))),
                        greatest(lit(1), least(lit(5), csat.plus((int) Math.signum(effects.csat())))))
                        .otherwise(csat))
                .select(java.util.Arrays.stream(CuratedInteractions.SCHEMA.fieldNames()).map(c -> col(c))
                        .toArray(Column[]::new));
        String staging = layout.resolve("_staging/experiment-simulation/" + experiment.name());
        out.write().mode(SaveMode.Overwrite).parquet(staging);
        Dataset<Row> staged = spark.read().schema(CuratedInteractions.SCHEMA).parquet(staging)
                .repartition(col(CuratedInteractions.DT)).sortWithinPartitions(CuratedInteractions.TICKET_ID);
        // Dynamic partition overwrite of the touched days (the S3A committers refuse it: the classic one here).
        Committers.withClassicCommitter(spark, () -> {
            staged.write().mode(SaveMode.Overwrite).partitionBy(CuratedInteractions.DT).parquet(curatedPath);
            return null;
        });
        StorageFiles.deleteIfExists(staging, hadoop);
        return originals.join(exposed.where(planted), CuratedInteractions.TICKET_ID).count();
    }

    /** A flag with its rate moved by a relative effect (thinning down, topping up from the rest). */
    private static Column flag(Column original, double relative, double rate, Column u) {
        if (relative <= 0) {
            return original.and(u.geq(-relative));
        }
        double topUp = rate >= 1 ? 0 : Math.min(1, relative * rate / (1 - rate));
        return original.or(u.lt(topUp));
    }

    /** A uniform draw in [0, 1) per ticket and outcome, from the seed: independent of partitioning. */
    private static Column uniform(long seed, String outcome) {
        return pmod(xxhash64(lit(seed), lit(outcome), col(CuratedInteractions.TICKET_ID)), lit(1_000_000L))
                .divide(1_000_000.0);
    }
}
