package io.cxml.training.data;

import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Columns of a prepared training set, whatever its source (feature store, curated tickets, a labelled file). Every
 * {@link TrainingSetSource} returns exactly {@link #SCHEMA}.
 */
public final class TrainingColumns {
    /** Input text. */
    public static final String TEXT = "text";
    /** Gold label. */
    public static final String LABEL = "label";
    /** Language code, nullable. */
    public static final String LANGUAGE = "language";
    /** Tenant (account) id, nullable. */
    public static final String TENANT = "tenant";
    /** Event time (ticket creation), nullable: a time-based split is used when every row has one. */
    public static final String EVENT_TIME = "event_time";
    /** Stable row id, added by {@link DataSplitter}. */
    public static final String ROW_ID = "row_id";
    /** {@link #TRAIN}, {@link #VALIDATION} or {@link #TEST}, added by {@link DataSplitter}. */
    public static final String SPLIT = "split";
    /** Split value: training rows. */
    public static final String TRAIN = "train";
    /** Split value: validation rows (early stopping, temperature). */
    public static final String VALIDATION = "validation";
    /** Split value: held-out evaluation rows. */
    public static final String TEST = "test";

    /** Schema every source returns. */
    public static final StructType SCHEMA = new StructType()
            .add(TEXT, DataTypes.StringType, false)
            .add(LABEL, DataTypes.StringType, false)
            .add(LANGUAGE, DataTypes.StringType, true)
            .add(TENANT, DataTypes.StringType, true)
            .add(EVENT_TIME, DataTypes.TimestampType, true);

    private TrainingColumns() {}
}
