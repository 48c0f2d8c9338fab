package io.cxml.features.split;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.unix_micros;
import static org.apache.spark.sql.functions.when;

import java.sql.Timestamp;
import java.time.Instant;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;

/**
 * Time-based train / validation / test windows: {@code train} before {@code validationStart}, {@code validation} up
 * to {@code testStart} (exclusive), {@code test} from {@code testStart}. Splitting by time, not at random, keeps the
 * evaluation honest about drift and about history features that only grow with time. One of the two rules of
 * {@link SplitPlan}.
 *
 * @param validationStart first instant of the validation window
 * @param testStart first instant of the test window, or null for no test window (every row from
 *     {@code validationStart} on is validation)
 */
public record TimeSplits(Instant validationStart, Instant testStart) {
    /** Checks the order. */
    public TimeSplits {
        if (validationStart == null || (testStart != null && testStart.isBefore(validationStart))) {
            throw new IllegalArgumentException("Cannot split by time with validation from " + validationStart
                    + " and test from " + testStart + ": the validation start is required and the test window must "
                    + "not start before it");
        }
    }

    /**
     * Windows holding the newest {@code shares.test()} of the rows (test) and the {@code shares.validation()} just
     * before them (validation), cut at approximate quantiles of the time column (relative error 1e-4).
     *
     * @param rows the rows; only their time column is read
     * @param timeColumn their time column
     * @param shares the held-out shares
     * @return the windows
     */
    public static TimeSplits atShares(Dataset<Row> rows, String timeColumn, SplitShares shares) {
        Dataset<Row> micros = rows.filter(col(timeColumn).isNotNull())
                .select(unix_micros(col(timeColumn).cast(DataTypes.TimestampType)).cast(DataTypes.DoubleType)
                        .as("t"));
        double[] q = micros.stat().approxQuantile("t", new double[] {shares.train(), 1 - shares.test()}, 1e-4);
        if (q.length < 2) {
            throw new IllegalArgumentException("Cannot split rows by time: no row has a " + timeColumn
                    + ". Check the time column");
        }
        return new TimeSplits(micros(q[0]), shares.test() == 0 ? null : micros(q[1]));
    }

    private static Instant micros(double m) {
        long v = (long) m;
        return Instant.ofEpochSecond(Math.floorDiv(v, 1_000_000L), Math.floorMod(v, 1_000_000L) * 1_000L);
    }

    /**
     * @param time a time column
     * @return the split name ({@link SplitPlan#TRAIN}, {@link SplitPlan#VALIDATION}, {@link SplitPlan#TEST}), null
     *     for a null time
     */
    public Column assign(Column time) {
        Column t = time.cast(DataTypes.TimestampType);
        Column trainOrValidation = when(t.lt(lit(Timestamp.from(validationStart))), SplitPlan.TRAIN);
        return testStart == null ? trainOrValidation.when(t.isNotNull(), SplitPlan.VALIDATION)
                : trainOrValidation.when(t.lt(lit(Timestamp.from(testStart))), SplitPlan.VALIDATION)
                        .when(t.isNotNull(), SplitPlan.TEST);
    }
}
