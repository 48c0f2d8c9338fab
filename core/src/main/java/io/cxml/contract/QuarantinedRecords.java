package io.cxml.contract;

import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Contract of {@code quarantine/<dataset>}: every rejected input record with where it came from and why. Partitioned by
 * the source partition date so that re-running a window replaces exactly that window's quarantine.
 */
public final class QuarantinedRecords {
    private QuarantinedRecords() {}

    public static final String SOURCE_FILE = "source_file";
    public static final String SOURCE_LINE = "source_line";
    /** Machine-readable reason, {@code <kind>[:<field>]}, e.g. {@code missing_field:ticket_id}. */
    public static final String REASON = "reason";
    /** Human-readable detail (the parser error, the bad value). */
    public static final String DETAIL = "detail";
    /** The raw record, truncated to a bounded size so a huge bad line cannot blow up the table. */
    public static final String RECORD = "record";
    public static final String DT = "dt";

    /** The quarantine schema. */
    public static final StructType SCHEMA =
            new StructType()
                    .add(SOURCE_FILE, DataTypes.StringType, false)
                    .add(SOURCE_LINE, DataTypes.LongType, false)
                    .add(REASON, DataTypes.StringType, false)
                    .add(DETAIL, DataTypes.StringType, true)
                    .add(RECORD, DataTypes.StringType, true)
                    .add(DT, DataTypes.DateType, false);
}
