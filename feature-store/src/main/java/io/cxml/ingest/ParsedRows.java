package io.cxml.ingest;

import io.cxml.contract.CuratedInteractions;
import io.cxml.contract.QuarantinedRecords;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The row layout between parsing and splitting: the curated columns (null for rejects) followed by the rejection
 * columns (null for accepted records), so one pass over the input yields both outputs.
 */
public final class ParsedRows {
    private ParsedRows() {}

    /** Rejection reason, null for accepted rows. */
    public static final String REASON = "_reason";
    /** Rejection detail. */
    public static final String DETAIL = "_detail";
    /** The rejected raw record (truncated). */
    public static final String RECORD = "_record";
    /** The source's date partition (quarantine partition). */
    public static final String SOURCE_DT = "_source_dt";

    /** The layout: curated columns, then the rejection columns. */
    public static final StructType SCHEMA = schema();

    private static StructType schema() {
        List<StructField> fields = new ArrayList<>();
        for (StructField f : CuratedInteractions.SCHEMA.fields()) {
            boolean always = f.name().equals(CuratedInteractions.SOURCE_FILE)
                    || f.name().equals(CuratedInteractions.SOURCE_LINE);
            fields.add(new StructField(f.name(), f.dataType(), !always, f.metadata()));
        }
        fields.add(DataTypes.createStructField(REASON, DataTypes.StringType, true));
        fields.add(DataTypes.createStructField(DETAIL, DataTypes.StringType, true));
        fields.add(DataTypes.createStructField(RECORD, DataTypes.StringType, true));
        fields.add(DataTypes.createStructField(SOURCE_DT, DataTypes.DateType, true));
        return new StructType(fields.toArray(new StructField[0]));
    }

    /**
     * @param p a valid interaction
     * @param file where it came from
     * @param line its line (0 when not from a file)
     * @param sourceDt the source's date partition
     * @return the row
     */
    public static Row accepted(ParsedInteraction p, String file, long line, LocalDate sourceDt) {
        List<Row> messages = new ArrayList<>(p.messages.size());
        int customer = 0;
        for (ParsedInteraction.Message m : p.messages) {
            messages.add(RowFactory.create(m.author(), ts(m.sentAt()), m.body()));
            if ("customer".equals(m.author())) {
                customer++;
            }
        }
        Double handle = p.solvedAt == null ? null
                : (p.solvedAt.toEpochMilli() - p.createdAt.toEpochMilli()) / 60_000.0;
        return RowFactory.create(
                p.ticketId, p.accountId, p.requesterId, p.channel, p.priority,
                ts(p.createdAt), ts(p.updatedAt), ts(p.solvedAt),
                p.subject.isEmpty() ? null : p.subject, p.firstMessage, p.text,
                p.messages.size(), customer, seq(messages), seq(p.tags), p.assignedGroup, p.csat,
                p.reopened, p.escalated, map(p.customFields), handle, p.trueIntent, p.trueLanguage,
                file, line, Date.valueOf(p.createdAt.atZone(ZoneOffset.UTC).toLocalDate()),
                null, null, null, sourceDt == null ? null : Date.valueOf(sourceDt));
    }

    /**
     * @param r why it was rejected
     * @param rawLine the raw record
     * @param keepChars how much of it to keep
     * @param file where it came from
     * @param line its line (0 when not from a file)
     * @param sourceDt the source's date partition
     * @return the row
     */
    public static Row rejected(Rejection r, String rawLine, int keepChars, String file, long line,
            LocalDate sourceDt) {
        Object[] values = new Object[SCHEMA.size()];
        values[SCHEMA.fieldIndex(CuratedInteractions.SOURCE_FILE)] = file;
        values[SCHEMA.fieldIndex(CuratedInteractions.SOURCE_LINE)] = line;
        values[SCHEMA.fieldIndex(REASON)] = r.reason();
        values[SCHEMA.fieldIndex(DETAIL)] = r.detail();
        values[SCHEMA.fieldIndex(RECORD)] =
                rawLine == null || rawLine.length() <= keepChars ? rawLine : rawLine.substring(0, keepChars);
        values[SCHEMA.fieldIndex(SOURCE_DT)] = sourceDt == null ? null : Date.valueOf(sourceDt);
        return RowFactory.create(values);
    }

    /** Column names of the quarantine output, in {@link QuarantinedRecords#SCHEMA} order, read from this layout. */
    static final String[][] QUARANTINE_COLUMNS = {
        {CuratedInteractions.SOURCE_FILE, QuarantinedRecords.SOURCE_FILE},
        {CuratedInteractions.SOURCE_LINE, QuarantinedRecords.SOURCE_LINE},
        {REASON, QuarantinedRecords.REASON},
        {DETAIL, QuarantinedRecords.DETAIL},
        {RECORD, QuarantinedRecords.RECORD},
        {SOURCE_DT, QuarantinedRecords.DT},
    };

    /** Row encoders take Scala sequences for array columns. */
    private static <T> scala.collection.immutable.Seq<T> seq(List<T> list) {
        return scala.jdk.javaapi.CollectionConverters.asScala(list).toList();
    }

    /** Row encoders take Scala maps for map columns. */
    private static <K, V> scala.collection.Map<K, V> map(java.util.Map<K, V> map) {
        return scala.jdk.javaapi.CollectionConverters.asScala(map);
    }

    private static Timestamp ts(Instant instant) {
        return instant == null ? null : Timestamp.from(instant);
    }
}
