package io.cxml.training.data;

import io.cxml.features.TrainingColumns;
import io.cxml.features.split.SplitPlan;
import io.cxml.features.split.SplitShares;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.apache.spark.storage.StorageLevel;

/**
 * The public splitter of every trainer: adds {@link TrainingColumns#ROW_ID} and {@link TrainingColumns#SPLIT} to rows
 * of {@link TrainingColumns#SCHEMA} (extra columns are kept). Rows that already carry a split (a feature-store
 * training set) keep it; otherwise the split is cxml's one {@link SplitPlan}: by time when every row has an event
 * time (the newest test share of rows is the test set, the validation share before it the validation set, so the
 * model is always evaluated on tickets newer than those it learned from), else by a seeded hash of text and label
 * (equal texts with equal labels never straddle train and test). The result is persisted so that the row ids stay
 * stable across actions; the caller unpersists it.
 */
public final class DataSplitter {
    /** Columns hashed when rows have no event time. */
    public static final List<String> HASH_COLUMNS = List.of(TrainingColumns.TEXT, TrainingColumns.LABEL);

    private final SplitShares shares;
    private final long seed;

    /**
     * @param shares held-out shares (used when the rows carry no split)
     * @param seed seed of the hash split
     */
    public DataSplitter(SplitShares shares, long seed) {
        this.shares = java.util.Objects.requireNonNull(shares, "shares");
        this.seed = seed;
    }

    /**
     * @param validationShare share of rows for validation, in (0, 1)
     * @param testShare share of rows for test, in [0, 1); 0 carves no test set
     * @param seed seed of the hash split
     */
    public DataSplitter(double validationShare, double testShare, long seed) {
        this(new SplitShares(validationShare, testShare), seed);
    }

    /**
     * @param rows rows of {@link TrainingColumns#SCHEMA}, optionally with {@link TrainingColumns#SPLIT} and other
     *     columns
     * @return the rows with row id and split, persisted
     * @throws IllegalArgumentException when a carried split holds a value other than train, validation or test
     */
    public Dataset<Row> split(Dataset<Row> rows) {
        Dataset<Row> withId = rows.withColumn(TrainingColumns.ROW_ID, functions.monotonically_increasing_id());
        withId.persist(StorageLevel.MEMORY_AND_DISK());
        if (Arrays.asList(rows.columns()).contains(TrainingColumns.SPLIT)) {
            long bad = withId.where(functions.not(functions.coalesce(functions.col(TrainingColumns.SPLIT)
                    .isin(SplitPlan.VALUES.toArray()), functions.lit(false)))).count();
            if (bad > 0) {
                withId.unpersist();
                throw new IllegalArgumentException("Cannot keep the split the rows carry: " + bad + " rows have a "
                        + TrainingColumns.SPLIT + " other than " + SplitPlan.VALUES + ". Drop the column to split "
                        + "afresh, or rebuild the training set");
            }
            return withId;
        }
        Dataset<Row> out = plan(withId).apply(withId);
        out.persist(StorageLevel.MEMORY_AND_DISK());
        out.count();
        withId.unpersist();
        return out;
    }

    /**
     * @param rows rows of {@link TrainingColumns#SCHEMA}
     * @return the plan {@link #split} applies to rows without a split
     */
    public SplitPlan plan(Dataset<Row> rows) {
        return SplitPlan.choose(rows, TrainingColumns.EVENT_TIME, HASH_COLUMNS, shares, seed);
    }
}
