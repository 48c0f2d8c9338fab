package io.cxml.assist.kb;

import java.util.List;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The knowledge-base contract: the export's fields ({@code raw/kb/dt=YYYY-MM-DD/*.jsonl}, one JSON object per article
 * version) and the curated table {@code curated/kb_articles}, which keeps every valid version (point-in-time search
 * needs the article as it was when a ticket came in), partitioned by the day of {@code updated_at}.
 */
public final class KnowledgeBaseArticles {
    private KnowledgeBaseArticles() {}

    /** Export folder under the storage root. */
    public static final String RAW = "raw/kb";
    /** Curated table under the storage root. */
    public static final String CURATED = "curated/kb_articles";
    /** Dataset name under {@code quarantine/}. */
    public static final String QUARANTINE = "kb_articles";

    public static final String ARTICLE_ID = "article_id";
    /** The tenant, named as in the interaction export. */
    public static final String ACCOUNT_ID = "account_id";
    public static final String LOCALE = "locale";
    public static final String TITLE = "title";
    public static final String BODY = "body";
    public static final String UPDATED_AT = "updated_at";
    public static final String ARCHIVED = "archived";
    /** Export only: ground truth of sample data ({@code {"intent": ...}}), kept for measurement. */
    public static final String TRUTH = "_truth";
    public static final String TRUE_INTENT = "true_intent";
    public static final String SOURCE_FILE = "source_file";
    public static final String SOURCE_LINE = "source_line";
    public static final String DT = "dt";

    /** Required export fields, in the order they are checked. */
    public static final List<String> REQUIRED = List.of(ARTICLE_ID, ACCOUNT_ID, LOCALE, TITLE, BODY, UPDATED_AT,
            ARCHIVED);

    /** The curated schema, with the comments analysts see. */
    public static final StructType SCHEMA = new StructType(new StructField[] {
        field(ARTICLE_ID, DataTypes.StringType, false, "Article id from the help centre."),
        field(ACCOUNT_ID, DataTypes.StringType, false, "Tenant (customer account) id."),
        field(LOCALE, DataTypes.StringType, false, "Language of the article (ISO 639-1, lowercased)."),
        field(TITLE, DataTypes.StringType, false, "Title of this version."),
        field(BODY, DataTypes.StringType, false, "Body of this version (plain text)."),
        field(UPDATED_AT, DataTypes.TimestampType, false, "Time this version was published (UTC)."),
        field(ARCHIVED, DataTypes.BooleanType, false, "This version archives the article from updated_at on."),
        field(TRUE_INTENT, DataTypes.StringType, true, "Ground truth (sample data only)."),
        field(SOURCE_FILE, DataTypes.StringType, false, "Raw file this version came from."),
        field(SOURCE_LINE, DataTypes.LongType, false, "1-based line in the raw file."),
        field(DT, DataTypes.DateType, false, "Partition: day of updated_at (UTC).")
    });

    private static StructField field(String name, DataType type, boolean nullable, String comment) {
        return new StructField(name, type, nullable, Metadata.empty()).withComment(comment);
    }
}
