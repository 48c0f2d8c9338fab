package io.cxml.training.data;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.apache.spark.storage.StorageLevel;

/**
 * Adds {@link TrainingColumns#ROW_ID} and {@link TrainingColumns#SPLIT} to a training set. Time-based when every row
 * has an event time: the latest {@code testFraction} of the window is the test set and the
 * {@code validationFraction} before it the validation set, so the model is always evaluated on tickets newer than
 * those it learned from. Otherwise a seeded hash of the text assigns rows at random (deterministic for a seed).
 * The result is persisted so that the row ids stay stable across actions; the caller unpersists it.
 */
public final class DataSplitter {
    private final double validationFraction;
    private final double testFraction;
    private final long seed;

    /**
     * @param validationFraction share of rows for validation, in (0, 1)
     * @param testFraction share of rows for test, in [0, 1); 0 carves no test set
     * @param seed seed of the random split
     */
    public DataSplitter(double validationFraction, double testFraction, long seed) {
        if (!(validationFraction > 0 && testFraction >= 0 && validationFraction + testFraction < 1)) {
            throw new IllegalArgumentException("Cannot split with validation " + validationFraction + " and test "
                    + testFraction + ": validation must be > 0, test >= 0 (0: no test carve, every other row"
                    + " trains), and they must sum to less than 1, e.g. 0.1 and 0.1");
        }
        this.validationFraction = validationFraction;
        this.testFraction = testFraction;
        this.seed = seed;
    }

    /**
     * @param rows rows of {@link TrainingColumns#SCHEMA}
     * @return the rows with row id and split, persisted
     */
    public Dataset<Row> split(Dataset<Row> rows) {
        Dataset<Row> withId = rows.withColumn(TrainingColumns.ROW_ID, functions.monotonically_increasing_id());
        withId.persist(StorageLevel.MEMORY_AND_DISK());
        long missingTime = withId.where(functions.col(TrainingColumns.EVENT_TIME).isNull()).count();
        Column split = missingTime == 0 && withId.count() > 0 ? byTime(withId) : byHash();
        Dataset<Row> out = withId.withColumn(TrainingColumns.SPLIT, split);
        out.persist(StorageLevel.MEMORY_AND_DISK());
        out.count();
        withId.unpersist();
        return out;
    }

    /** @return true when {@link #split} would split by time */
    static boolean isTimeBased(Dataset<Row> rows) {
        return rows.where(functions.col(TrainingColumns.EVENT_TIME).isNull()).count() == 0;
    }

    private Column byTime(Dataset<Row> rows) {
        Column seconds = functions.col(TrainingColumns.EVENT_TIME).cast("double");
        double[] cuts = rows.select(seconds.as("s")).stat().approxQuantile("s",
                new double[] {1 - testFraction - validationFraction, 1 - testFraction}, 0.0001);
        Column validationOrTrain = functions.when(seconds.geq(cuts[0]), TrainingColumns.VALIDATION)
                .otherwise(TrainingColumns.TRAIN);
        return testFraction == 0 ? validationOrTrain
                : functions.when(seconds.geq(cuts[1]), TrainingColumns.TEST).otherwise(validationOrTrain);
    }

    private Column byHash() {
        Column u = functions.pmod(functions.xxhash64(functions.col(TrainingColumns.TEXT),
                functions.col(TrainingColumns.LABEL), functions.lit(seed)), functions.lit(1_000_000L))
                .divide(1_000_000.0);
        return functions.when(u.lt(testFraction), TrainingColumns.TEST)
                .when(u.lt(testFraction + validationFraction), TrainingColumns.VALIDATION)
                .otherwise(TrainingColumns.TRAIN);
    }
}
