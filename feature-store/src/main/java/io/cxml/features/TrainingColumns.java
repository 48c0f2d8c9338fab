package io.cxml.features;

import io.cxml.features.split.SplitPlan;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The trainer-facing contract of a training set, whatever its source (a feature-store training set, curated
 * tickets, a labelled file). Every {@link TrainingSetSource} returns rows of {@link #SCHEMA}; a source that carries
 * its own split (a feature-store training set) adds {@link #SPLIT}, and a trainer may read extra columns its source
 * documents (e.g. feature values). {@link DataSplitter#split} then adds {@link #ROW_ID} and, unless the rows have one,
 * {@link #SPLIT}: that is what every trainer trains and evaluates on.
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
    /** Event time (ticket creation, the label time), nullable: the split is by time when every row has one. */
    public static final String EVENT_TIME = "event_time";
    /**
     * Optional: the hidden truth of generated data, beside a label from the export. Never trained on; the report
     * measures the labels and the model against it.
     */
    public static final String TRUTH = "truth";
    /** Stable row id, added by {@link DataSplitter}. */
    public static final String ROW_ID = "row_id";
    /** {@link #TRAIN}, {@link #VALIDATION} or {@link #TEST}: {@link SplitPlan#SPLIT}. */
    public static final String SPLIT = SplitPlan.SPLIT;
    /** Split value: training rows. */
    public static final String TRAIN = SplitPlan.TRAIN;
    /** Split value: validation rows (early stopping, temperature). */
    public static final String VALIDATION = SplitPlan.VALIDATION;
    /** Split value: held-out evaluation rows. */
    public static final String TEST = SplitPlan.TEST;

    /** Schema every source returns. */
    public static final StructType SCHEMA = new StructType()
            .add(TEXT, DataTypes.StringType, false)
            .add(LABEL, DataTypes.StringType, false)
            .add(LANGUAGE, DataTypes.StringType, true)
            .add(TENANT, DataTypes.StringType, true)
            .add(EVENT_TIME, DataTypes.TimestampType, true);

    private TrainingColumns() {}
}
