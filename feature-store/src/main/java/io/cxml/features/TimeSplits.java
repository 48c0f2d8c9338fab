package io.cxml.features;

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
 * evaluation honest about drift and about history features that only grow with time.
 *
 * @param validationStart first instant of the validation window
 * @param testStart first instant of the test window
 */
public record TimeSplits(Instant validationStart, Instant testStart) {
    /** Output column holding the split. */
    public static final String SPLIT = "split";
    public static final String TRAIN = "train";
    public static final String VALIDATION = "validation";
    public static final String TEST = "test";

    /** Checks the order. */
    public TimeSplits {
        if (validationStart == null || testStart == null || testStart.isBefore(validationStart)) {
            throw new IllegalArgumentException("Cannot split by time with validation from " + validationStart
                    + " and test from " + testStart + ": both are required and test must not start before "
                    + "validation");
        }
    }

    /**
     * Splits at label-time quantiles, e.g. 0.8 and 0.9 for 80/10/10.
     *
     * @param labels the labels
     * @param timeColumn their time column
     * @param validationFraction share of labels before the validation window
     * @param testFraction share of labels before the test window
     * @return the splits
     */
    public static TimeSplits atQuantiles(Dataset<Row> labels, String timeColumn, double validationFraction,
            double testFraction) {
        if (!(0 < validationFraction && validationFraction <= testFraction && testFraction < 1)) {
            throw new IllegalArgumentException("Cannot split at fractions " + validationFraction + " and "
                    + testFraction + ": need 0 < validation <= test < 1, e.g. 0.8 and 0.9");
        }
        Dataset<Row> micros = labels.filter(col(timeColumn).isNotNull())
                .select(unix_micros(col(timeColumn).cast(DataTypes.TimestampType)).cast(DataTypes.DoubleType)
                        .as("t"));
        double[] q = micros.stat().approxQuantile("t", new double[] {validationFraction, testFraction}, 1e-4);
        if (q.length < 2) {
            throw new IllegalArgumentException("Cannot split labels by time: no label has a " + timeColumn
                    + ". Check the labels");
        }
        return new TimeSplits(micros(q[0]), micros(q[1]));
    }

    private static Instant micros(double m) {
        long v = (long) m;
        return Instant.ofEpochSecond(Math.floorDiv(v, 1_000_000L), Math.floorMod(v, 1_000_000L) * 1_000L);
    }

    /**
     * @param time a label-time column
     * @return the split name, null for a null time
     */
    public Column assign(Column time) {
        Column t = time.cast(DataTypes.TimestampType);
        return when(t.lt(lit(Timestamp.from(validationStart))), TRAIN)
                .when(t.lt(lit(Timestamp.from(testStart))), VALIDATION)
                .when(t.isNotNull(), TEST);
    }
}
