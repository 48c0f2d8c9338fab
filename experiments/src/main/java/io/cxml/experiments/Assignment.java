package io.cxml.experiments;

import static org.apache.spark.sql.functions.hash;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.when;

import java.nio.charset.StandardCharsets;
import org.apache.spark.sql.Column;
import org.apache.spark.unsafe.Platform;
import org.apache.spark.unsafe.hash.Murmur3_x86_32;

/**
 * Deterministic assignment of a unit to an arm: two salted Murmur3 hashes of the unit id (Spark's {@code hash}, seed
 * 42, so the same function runs as a column expression on the executors and here in plain Java).
 *
 * <ul>
 *   <li><b>In the experiment?</b> {@code pmod(hash(name, unit), 10000) < trafficShare * 10000}. Growing the share only
 *       adds buckets: a unit already in the experiment stays in it; shrinking it drops the top buckets.
 *   <li><b>Which arm?</b> {@code pmod(hash(name + "/arm", unit), 10000)} against the arms' cumulative weights. This hash
 *       is independent of the share, so a unit keeps its arm when the share changes. Changing the arms or their
 *       weights moves units between arms: start a new experiment (a new name) instead.
 * </ul>
 *
 * A null unit id (a ticket without a requester in a requester experiment) is in no experiment and gets the control's
 * model as every other ticket outside it.
 */
public final class Assignment {
    /** Hash buckets: the traffic share's resolution is 0.01%. */
    public static final int BUCKETS = 10_000;
    private static final int SPARK_HASH_SEED = 42;

    private Assignment() {}

    /**
     * @param experiment the experiment
     * @param unitId the unit's id
     * @return the arm's name, or null when the unit is outside the experiment
     */
    public static String arm(Experiment experiment, String unitId) {
        if (unitId == null || bucket(experiment.name(), unitId) >= threshold(experiment)) {
            return null;
        }
        int armBucket = bucket(armSalt(experiment), unitId);
        double[] bounds = armBounds(experiment);
        for (int i = 0; i < bounds.length - 1; i++) {
            if (armBucket < bounds[i]) {
                return experiment.arms().get(i).name();
            }
        }
        return experiment.arms().get(bounds.length - 1).name();
    }

    /**
     * The same rule as {@link #arm} as a Spark column, evaluated on the executors.
     *
     * @param experiment the experiment
     * @param unitId the unit id column
     * @return the arm's name, or null outside the experiment
     */
    public static Column armColumn(Experiment experiment, Column unitId) {
        Column armBucket = pmod(hash(lit(armSalt(experiment)), unitId), lit(BUCKETS));
        double[] bounds = armBounds(experiment);
        Column arm = lit(experiment.arms().get(bounds.length - 1).name());
        for (int i = bounds.length - 2; i >= 0; i--) {
            arm = when(armBucket.lt(bounds[i]), lit(experiment.arms().get(i).name())).otherwise(arm);
        }
        Column inExperiment = unitId.isNotNull()
                .and(pmod(hash(lit(experiment.name()), unitId), lit(BUCKETS)).lt(threshold(experiment)));
        return when(inExperiment, arm);
    }

    /**
     * @param salt the salt (experiment name)
     * @param unitId the unit id
     * @return the bucket in [0, {@link #BUCKETS}), as Spark's {@code pmod(hash(salt, unitId), BUCKETS)}
     */
    public static int bucket(String salt, String unitId) {
        int h = SPARK_HASH_SEED;
        for (String part : new String[] {salt, unitId}) {
            byte[] bytes = part.getBytes(StandardCharsets.UTF_8);
            h = Murmur3_x86_32.hashUnsafeBytes(bytes, Platform.BYTE_ARRAY_OFFSET, bytes.length, h);
        }
        return Math.floorMod(h, BUCKETS);
    }

    private static String armSalt(Experiment experiment) {
        return experiment.name() + "/arm";
    }

    private static double threshold(Experiment experiment) {
        return Math.round(experiment.trafficShare() * BUCKETS);
    }

    /** Upper bucket bound of each arm (cumulative weights scaled to the buckets; the last is {@link #BUCKETS}). */
    private static double[] armBounds(Experiment experiment) {
        double total = experiment.arms().stream().mapToDouble(Experiment.Arm::weight).sum();
        double[] bounds = new double[experiment.arms().size()];
        double cumulative = 0;
        for (int i = 0; i < bounds.length; i++) {
            cumulative += experiment.arms().get(i).weight();
            bounds[i] = i == bounds.length - 1 ? BUCKETS : Math.round(cumulative / total * BUCKETS);
        }
        return bounds;
    }
}
