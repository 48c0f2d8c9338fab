package io.cxml.contract;

import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Contract of {@code curated/interactions}: one row per ticket (its latest valid version), normalized text,
 * partitioned by {@link #DT} = the ticket's creation date (UTC), so a later update rewrites the partition the ticket
 * was born in and the table never holds two versions of a ticket.
 */
public final class CuratedInteractions {
    private CuratedInteractions() {}

    public static final String TICKET_ID = "ticket_id";
    public static final String ACCOUNT_ID = "account_id";
    public static final String REQUESTER_ID = "requester_id";
    public static final String CHANNEL = "channel";
    public static final String PRIORITY = "priority";
    public static final String CREATED_AT = "created_at";
    public static final String UPDATED_AT = "updated_at";
    public static final String SOLVED_AT = "solved_at";
    public static final String SUBJECT = "subject";
    /** First customer message, normalized (signature and quoted reply removed). */
    public static final String FIRST_MESSAGE = "first_message";
    /** Subject and first customer message joined: the text models read. */
    public static final String TEXT = "text";
    public static final String MESSAGE_COUNT = "message_count";
    public static final String CUSTOMER_MESSAGE_COUNT = "customer_message_count";
    public static final String MESSAGES = "messages";
    public static final String TAGS = "tags";
    public static final String ASSIGNED_GROUP = "assigned_group";
    public static final String CSAT = "csat";
    public static final String REOPENED = "reopened";
    public static final String ESCALATED = "escalated";
    /** Agent-set fields of the export ({@link RawInteraction#CUSTOM_FIELDS}): field name to value, empty when none. */
    public static final String CUSTOM_FIELDS = "custom_fields";
    /** Minutes from creation to solve; null while unsolved. */
    public static final String HANDLE_MINUTES = "handle_minutes";
    /** Ground truth of generated sample data, for measuring only: labels come from {@link #CUSTOM_FIELDS}. */
    public static final String TRUE_INTENT = "true_intent";
    /** Ground truth of generated sample data, for measuring only: slices use the detected language. */
    public static final String TRUE_LANGUAGE = "true_language";
    public static final String SOURCE_FILE = "source_file";
    public static final String SOURCE_LINE = "source_line";
    public static final String DT = "dt";

    /**
     * Columns whose values are (nearly) unique per ticket: written without Parquet dictionaries
     * ({@link io.cxml.storage.ParquetDictionaries}).
     */
    public static final java.util.List<String> NEAR_UNIQUE = java.util.List.of(TICKET_ID, REQUESTER_ID, CREATED_AT,
            UPDATED_AT, SOLVED_AT, SUBJECT, FIRST_MESSAGE, TEXT, MESSAGES, HANDLE_MINUTES, SOURCE_LINE);

    /** Schema of one normalized message. */
    public static final StructType MESSAGE =
            new StructType()
                    .add("author", DataTypes.StringType, false)
                    .add("sent_at", DataTypes.TimestampType, true)
                    .add("body", DataTypes.StringType, false);

    /** The full curated schema, in column order, with the comments analysts see. */
    public static final StructType SCHEMA =
            new StructType(
                    new StructField[] {
                        field(TICKET_ID, DataTypes.StringType, false, "Ticket id from the help desk."),
                        field(ACCOUNT_ID, DataTypes.StringType, false, "Tenant (customer account) id."),
                        field(REQUESTER_ID, DataTypes.StringType, true, "End customer who opened the ticket."),
                        field(CHANNEL, DataTypes.StringType, false, "email, chat, web, phone or social."),
                        field(PRIORITY, DataTypes.StringType, false, "low, normal, high or urgent."),
                        field(CREATED_AT, DataTypes.TimestampType, false, "Ticket creation time (UTC)."),
                        field(UPDATED_AT, DataTypes.TimestampType, false, "Time of this version (UTC)."),
                        field(SOLVED_AT, DataTypes.TimestampType, true, "Solve time (UTC), null if open."),
                        field(SUBJECT, DataTypes.StringType, true, "Normalized subject."),
                        field(FIRST_MESSAGE, DataTypes.StringType, false, "Normalized first customer message."),
                        field(TEXT, DataTypes.StringType, false, "Subject and first message: model input."),
                        field(MESSAGE_COUNT, DataTypes.IntegerType, false, "Messages in the conversation."),
                        field(CUSTOMER_MESSAGE_COUNT, DataTypes.IntegerType, false, "Customer messages."),
                        field(MESSAGES, DataTypes.createArrayType(MESSAGE, false), false, "Normalized messages."),
                        field(TAGS, DataTypes.createArrayType(DataTypes.StringType, false), false, "Tags."),
                        field(ASSIGNED_GROUP, DataTypes.StringType, true, "Team that handled the ticket."),
                        field(CSAT, DataTypes.IntegerType, true, "Satisfaction 1-5, null if not rated."),
                        field(REOPENED, DataTypes.BooleanType, false, "Ticket was reopened."),
                        field(ESCALATED, DataTypes.BooleanType, false, "Ticket was escalated."),
                        field(CUSTOM_FIELDS, DataTypes.createMapType(DataTypes.StringType, DataTypes.StringType,
                                false), true, "Agent-set fields (custom fields, ticket form): name to value."),
                        field(HANDLE_MINUTES, DataTypes.DoubleType, true, "Minutes from creation to solve."),
                        field(TRUE_INTENT, DataTypes.StringType, true, "Ground truth (sample data only; measuring only)."),
                        field(TRUE_LANGUAGE, DataTypes.StringType, true, "Ground truth (sample data only; measuring only)."),
                        field(SOURCE_FILE, DataTypes.StringType, false, "Raw file this version came from."),
                        field(SOURCE_LINE, DataTypes.LongType, false, "1-based line in the raw file."),
                        field(DT, DataTypes.DateType, false, "Partition: creation date (UTC).")
                    });

    private static StructField field(String name, DataType type, boolean nullable, String comment) {
        return new StructField(name, type, nullable, Metadata.empty()).withComment(comment);
    }
}
