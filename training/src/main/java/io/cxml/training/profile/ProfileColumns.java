package io.cxml.training.profile;

import java.util.List;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Columns of a profiled row, whatever produced it (a training run's held-out window, a window of scored tickets).
 * Every column is nullable: a value that is not known where the row comes from is counted as {@link #MISSING}.
 */
public final class ProfileColumns {
    /** Language code. */
    public static final String LANGUAGE = "language";
    /** Channel (email, chat, ...). */
    public static final String CHANNEL = "channel";
    /** Priority. */
    public static final String PRIORITY = "priority";
    /** Tenant (account) id. */
    public static final String TENANT = "tenant";
    /** Team that handled the ticket (the help desk's assigned group). */
    public static final String TEAM = "team";
    /** Length of the model's input text, in characters. */
    public static final String TEXT_CHARS = "text_chars";
    /** The model's most probable label. */
    public static final String PREDICTED = "predicted";
    /** Its calibrated probability. */
    public static final String CONFIDENCE = "confidence";
    /** Whether the prediction was routed to {@code unknown} (confidence below the model's threshold). */
    public static final String UNKNOWN = "unknown";

    /** Value counted for a null. */
    public static final String MISSING = "(missing)";
    /** Slice of every row. */
    public static final String OVERALL = "overall";

    /** Categorical inputs whose mix is profiled. */
    public static final List<String> CATEGORICAL = List.of(LANGUAGE, CHANNEL, PRIORITY, TENANT, TEAM);
    /** Numeric values profiled by quantile bins of the reference. */
    public static final List<String> NUMERIC = List.of(TEXT_CHARS, CONFIDENCE);
    /** Dimensions that get their own slices: {@code language=<code>}, {@code tenant=<id>}. */
    public static final List<String> SLICED_BY = List.of(LANGUAGE, TENANT);

    /** Schema of a profiled row, in this order. */
    public static final StructType SCHEMA = new StructType()
            .add(LANGUAGE, DataTypes.StringType, true)
            .add(CHANNEL, DataTypes.StringType, true)
            .add(PRIORITY, DataTypes.StringType, true)
            .add(TENANT, DataTypes.StringType, true)
            .add(TEAM, DataTypes.StringType, true)
            .add(TEXT_CHARS, DataTypes.DoubleType, true)
            .add(PREDICTED, DataTypes.StringType, true)
            .add(CONFIDENCE, DataTypes.DoubleType, true)
            .add(UNKNOWN, DataTypes.BooleanType, true);

    private ProfileColumns() {}

    /**
     * @param dimension {@link #LANGUAGE} or {@link #TENANT}
     * @param value the value
     * @return the slice name, e.g. {@code language=de}
     */
    public static String slice(String dimension, String value) {
        return dimension + "=" + (value == null ? MISSING : value);
    }
}
