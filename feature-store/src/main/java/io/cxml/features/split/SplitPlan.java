package io.cxml.features.split;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.xxhash64;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The one train / validation / test split of cxml, used by the training-set builder and by every trainer (through
 * {@code io.cxml.training.data.DataSplitter}). Two rules:
 * <ul>
 *   <li><b>by time</b> ({@link #BY_TIME}) when every row has a time: {@link TimeSplits} windows, either given as dates
 *       or cut so that the newest {@link SplitShares#test()} of the rows are the test set and the
 *       {@link SplitShares#validation()} before them the validation set;</li>
 *   <li><b>by a seeded hash</b> ({@link #BY_HASH}) otherwise: xxhash64 of the hash columns and the seed, mapped to
 *       [0, 1): below {@code test} is test, below {@code test + validation} validation, the rest train. Rows equal in
 *       the hash columns (e.g. text and label) always land in the same split.</li>
 * </ul>
 * A plan is decided once on the driver ({@link #choose}: one aggregate and, by time, one quantile pass) and applied as
 * a column, so assigning rows runs on the executors.
 *
 * @param method {@link #BY_TIME} or {@link #BY_HASH}
 * @param windows the time windows ({@link #BY_TIME}), else null
 * @param timeColumn the time column the windows apply to ({@link #BY_TIME}), else null
 * @param shares the shares the plan was made from; null for windows given as dates
 * @param seed the hash seed ({@link #BY_HASH})
 * @param hashColumns the hashed columns ({@link #BY_HASH}), else empty
 */
public record SplitPlan(String method, TimeSplits windows, String timeColumn, SplitShares shares, long seed,
        List<String> hashColumns) {
    /** Column holding the split of a row. */
    public static final String SPLIT = "split";
    /** Split value: training rows. */
    public static final String TRAIN = "train";
    /** Split value: validation rows (early stopping, temperature). */
    public static final String VALIDATION = "validation";
    /** Split value: held-out evaluation rows. */
    public static final String TEST = "test";
    /** Every split value. */
    public static final List<String> VALUES = List.of(TRAIN, VALIDATION, TEST);
    /** Method: by time windows. */
    public static final String BY_TIME = "time";
    /** Method: by a seeded hash. */
    public static final String BY_HASH = "seeded-hash";

    private static final long HASH_BUCKETS = 1_000_000L;

    /** Checks that the plan has what its method needs. */
    public SplitPlan {
        hashColumns = hashColumns == null ? List.of() : List.copyOf(hashColumns);
        if (BY_TIME.equals(method) ? windows == null || timeColumn == null
                : !BY_HASH.equals(method) || shares == null || hashColumns.isEmpty()) {
            throw new IllegalArgumentException("Cannot make a split plan '" + method + "': by time needs windows and "
                    + "a time column, by hash needs shares and at least one hash column");
        }
    }

    /**
     * Decides the split of {@code rows}: by time when there are rows and every one has a {@code timeColumn}, else by
     * a seeded hash of {@code hashColumns}.
     *
     * @param rows the rows (read by one aggregate, and by one quantile pass when split by time)
     * @param timeColumn their time column
     * @param hashColumns columns hashed when some row has no time, e.g. text and label
     * @param shares the held-out shares
     * @param seed seed of the hash
     * @return the plan
     */
    public static SplitPlan choose(Dataset<Row> rows, String timeColumn, List<String> hashColumns, SplitShares shares,
            long seed) {
        Row counts = rows.agg(count(lit(1)), count(col(timeColumn))).first();
        long n = counts.getLong(0);
        if (n > 0 && counts.getLong(1) == n) {
            return new SplitPlan(BY_TIME, TimeSplits.atShares(rows, timeColumn, shares), timeColumn, shares, 0,
                    List.of());
        }
        return byHash(shares, seed, hashColumns);
    }

    /**
     * @param windows windows given as dates
     * @param timeColumn the time column they apply to
     * @return a plan by time (a row without a time gets no split)
     */
    public static SplitPlan byTime(TimeSplits windows, String timeColumn) {
        return new SplitPlan(BY_TIME, windows, timeColumn, null, 0, List.of());
    }

    /**
     * @param shares the held-out shares
     * @param seed seed of the hash
     * @param hashColumns the hashed columns
     * @return a plan by seeded hash
     */
    public static SplitPlan byHash(SplitShares shares, long seed, List<String> hashColumns) {
        return new SplitPlan(BY_HASH, null, null, shares, seed, hashColumns);
    }

    /** @return true when rows are split by time */
    public boolean timeBased() {
        return BY_TIME.equals(method);
    }

    /** @return the split of each row as a column over the plan's columns */
    public Column column() {
        if (timeBased()) {
            return windows.assign(col(timeColumn));
        }
        List<Column> inputs = new ArrayList<>();
        hashColumns.forEach(c -> inputs.add(col(c)));
        inputs.add(lit(seed));
        Column u = pmod(xxhash64(inputs.toArray(new Column[0])), lit(HASH_BUCKETS)).divide((double) HASH_BUCKETS);
        return when(u.lt(shares.test()), TEST).when(u.lt(shares.test() + shares.validation()), VALIDATION)
                .otherwise(TRAIN);
    }

    /**
     * @param rows rows holding the plan's columns
     * @return the rows with {@link #SPLIT}
     */
    public Dataset<Row> apply(Dataset<Row> rows) {
        return rows.withColumn(SPLIT, column());
    }

    /** @return the plan as manifest entries: method, windows or seed and hash columns, shares */
    public Map<String, String> describe() {
        Map<String, String> out = new LinkedHashMap<>();
        out.put("method", method);
        if (timeBased()) {
            out.put("timeColumn", timeColumn);
            out.put("validationStart", windows.validationStart().toString());
            out.put("testStart", windows.testStart() == null ? "none" : windows.testStart().toString());
        } else {
            out.put("seed", String.valueOf(seed));
            out.put("hashColumns", String.join(",", hashColumns));
        }
        if (shares != null) {
            out.put("validationShare", String.valueOf(shares.validation()));
            out.put("testShare", String.valueOf(shares.test()));
        }
        return out;
    }
}
