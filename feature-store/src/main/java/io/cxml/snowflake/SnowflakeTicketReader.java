package io.cxml.snowflake;

import static io.cxml.snowflake.SnowflakeTables.*;
import static org.apache.spark.sql.functions.array_sort;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.struct;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cxml.contract.RawInteraction;
import io.cxml.ingest.IngestOptions;
import io.cxml.ingest.ParsedRows;
import io.cxml.ingest.RawInteractionParser;
import io.cxml.warehouse.QuietConnectionProvider;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the tickets updated in a time window from Snowflake and turns each into the raw interaction contract, so the
 * same parser validates it as a line of the raw export: valid tickets become curated rows, invalid ones quarantine
 * rows with a reason. Reads run in parallel, one JDBC query per time slice of the window.
 *
 * <p>Timestamps are {@code TIMESTAMP_NTZ} holding UTC; the connection should set
 * {@code JDBC_TREAT_TIMESTAMP_NTZ_AS_UTC=true} so that the JVM's time zone does not matter.
 */
public final class SnowflakeTicketReader {
    private static final Logger LOG = LoggerFactory.getLogger(SnowflakeTicketReader.class);
    private static final DateTimeFormatter LITERAL =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS").withZone(ZoneOffset.UTC);
    private static final String MESSAGES = "_messages";
    private static final String ACCOUNT = "_account_id";

    /** The UPDATED_AT range of the tickets to read, both ends inclusive. */
    public record Window(Instant lower, Instant upper) {}

    private final SnowflakeSourceOptions options;

    /** @param options the source settings */
    public SnowflakeTicketReader(SnowflakeSourceOptions options) {
        this.options = options;
    }

    /**
     * Checks that the three tables exist and have the columns cxml reads.
     *
     * @throws IllegalStateException naming the missing table or columns
     */
    public void checkTables() {
        try (Connection c = options.endpoint().connect()) {
            String schema = currentSchema(c);
            check(c, schema, options.tickets(), TICKET_COLUMNS);
            check(c, schema, options.events(), EVENT_COLUMNS);
            check(c, schema, options.customers(), CUSTOMER_COLUMNS);
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot read from Snowflake " + options.endpoint().url() + ": "
                    + e.getMessage() + ". Check cxml.snowflake.url, user, role and SNOWFLAKE_PASSWORD", e);
        }
    }

    private static void check(Connection c, String schema, String table, List<String> required) throws SQLException {
        Set<String> present = new LinkedHashSet<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT column_name FROM information_schema.columns "
                + "WHERE table_schema = ? AND table_name = ? ORDER BY ordinal_position")) {
            ps.setString(1, schema);
            ps.setString(2, table.toUpperCase());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    present.add(rs.getString(1).toUpperCase());
                }
            }
        }
        if (present.isEmpty()) {
            throw new IllegalStateException("Cannot read Snowflake table " + schema + "." + table.toUpperCase()
                    + ": it does not exist or the role cannot see it. Create it, grant SELECT, or set "
                    + "cxml.snowflake.tables.* to the right name");
        }
        List<String> missing = required.stream().filter(r -> !present.contains(r)).collect(Collectors.toList());
        if (!missing.isEmpty()) {
            throw new IllegalStateException("Cannot read Snowflake table " + schema + "." + table.toUpperCase()
                    + ": missing column(s) " + missing + " (it has " + present + "). Add them or map the table "
                    + "through a view with these names");
        }
    }

    /**
     * @param lowerInclusive the earliest {@code UPDATED_AT} to read; null for everything
     * @return the window from the earliest to the latest {@code UPDATED_AT} at or after the bound, or null when
     *     there is no such ticket. Fixing the upper end first makes the read repeatable while the table changes.
     */
    public Window window(Instant lowerInclusive) {
        String sql = "SELECT MIN(" + UPDATED_AT + "), MAX(" + UPDATED_AT + ") FROM " + options.tickets()
                + (lowerInclusive == null ? "" : " WHERE " + UPDATED_AT + " >= " + literal(lowerInclusive));
        try (Connection c = options.endpoint().connect(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            Timestamp min = rs.getTimestamp(1);
            Timestamp max = rs.getTimestamp(2);
            return max == null ? null : new Window(min.toInstant(), max.toInstant());
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot read the UPDATED_AT range of Snowflake table "
                    + options.tickets() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Reads the tickets of a window with their events and accounts.
     *
     * @param spark the session
     * @param window the UPDATED_AT range, inclusive
     * @return rows in {@link ParsedRows#SCHEMA}
     */
    public Dataset<Row> read(SparkSession spark, Window window) {
        Properties props = jdbcProperties();
        String eventsSql = "(SELECT " + EVENT_COLUMNS.stream().map(n -> "e." + n).collect(Collectors.joining(", "))
                + ", t." + UPDATED_AT + " FROM " + options.events() + " e JOIN " + options.tickets() + " t ON e."
                + TICKET_ID + " = t." + TICKET_ID + ") q";
        String customersSql = "(SELECT c." + CUSTOMER_ID + ", c." + ACCOUNT_ID + " FROM " + options.customers()
                + " c WHERE c." + CUSTOMER_ID + " IN (SELECT t." + REQUESTER_ID + " FROM " + options.tickets()
                + " t WHERE " + between("t." + UPDATED_AT, window) + ")) q";
        // Both reads are split into the same time slices of the ticket's UPDATED_AT: one JDBC query per slice.
        String[] slices = slices(window, "q." + UPDATED_AT);
        Dataset<Row> tickets = readTickets(spark, window);
        Dataset<Row> events = spark.read().jdbc(options.endpoint().url(), eventsSql, slices, props);
        Dataset<Row> customers = spark.read().jdbc(options.endpoint().url(), customersSql, props);
        LOG.info("Reading Snowflake tickets updated {} .. {} in {} parallel slice(s)", window.lower(),
                window.upper(), slices.length);

        Dataset<Row> messages = events.groupBy(col(TICKET_ID)).agg(array_sort(collect_list(struct(
                col(SENT_AT), col(EVENT_ID), col(AUTHOR), col(BODY)))).as(MESSAGES));
        Dataset<Row> joined = tickets
                .join(messages, tickets.col(TICKET_ID).equalTo(messages.col(TICKET_ID)), "left")
                .drop(messages.col(TICKET_ID))
                .join(customers, tickets.col(REQUESTER_ID).equalTo(customers.col(CUSTOMER_ID)), "left")
                .withColumnRenamed(ACCOUNT_ID, ACCOUNT);
        String source = "snowflake:" + options.tickets();
        IngestOptions ingest = options.ingest();
        FlatMapFunction<Iterator<Row>, Row> toParsed = rows -> {
            RawInteractionParser parser = new RawInteractionParser(ingest.maxTextChars());
            List<Row> out = new ArrayList<>();
            while (rows.hasNext()) {
                Row r = rows.next();
                String json = toRawJson(r);
                Timestamp updated = r.getAs(UPDATED_AT);
                LocalDate dt = updated == null ? null : updated.toInstant().atZone(ZoneOffset.UTC).toLocalDate();
                RawInteractionParser.Result p = parser.parse(json);
                out.add(p.isValid() ? ParsedRows.accepted(p.interaction(), source, 0, dt)
                        : ParsedRows.rejected(p.rejection(), json, ingest.quarantineRecordChars(), source, 0, dt));
            }
            return out.iterator();
        };
        // Through the Java RDD API: ParsedRows builds rows with Java lists, which createDataFrame converts.
        return spark.createDataFrame(joined.toJavaRDD().mapPartitions(toParsed), ParsedRows.SCHEMA);
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * The TICKETS rows of a window, one Spark partition (one JDBC query) per time slice.
     *
     * @param spark the session
     * @param window the UPDATED_AT range, inclusive
     * @return the rows, TICKETS columns
     */
    public Dataset<Row> readTickets(SparkSession spark, Window window) {
        String sql = "(SELECT " + TICKET_COLUMNS.stream().map(n -> "t." + n).collect(Collectors.joining(", "))
                + " FROM " + options.tickets() + " t) q";
        return spark.read().jdbc(options.endpoint().url(), sql, slices(window, "q." + UPDATED_AT), jdbcProperties());
    }

    /**
     * One joined ticket row as a raw-export JSON object.
     *
     * @param r the row: TICKETS columns, {@value #MESSAGES} and {@value #ACCOUNT}
     * @return the JSON text
     */
    static String toRawJson(Row r) {
        ObjectNode o = JSON.createObjectNode();
        o.put(RawInteraction.TICKET_ID, (String) r.getAs(TICKET_ID));
        o.put(RawInteraction.ACCOUNT_ID, (String) r.getAs(ACCOUNT));
        o.put(RawInteraction.REQUESTER_ID, (String) r.getAs(REQUESTER_ID));
        o.put(RawInteraction.CHANNEL, (String) r.getAs(CHANNEL));
        o.put(RawInteraction.PRIORITY, (String) r.getAs(PRIORITY));
        o.put(RawInteraction.CREATED_AT, iso(r.getAs(CREATED_AT)));
        o.put(RawInteraction.UPDATED_AT, iso(r.getAs(UPDATED_AT)));
        o.put(RawInteraction.SOLVED_AT, iso(r.getAs(SOLVED_AT)));
        o.put(RawInteraction.SUBJECT, (String) r.getAs(SUBJECT));
        o.set(RawInteraction.TAGS, jsonValue(r.getAs(TAGS)));
        o.put(RawInteraction.ASSIGNED_GROUP, (String) r.getAs(ASSIGNED_GROUP));
        o.set(RawInteraction.CSAT, number(r.getAs(CSAT)));
        o.set(RawInteraction.REOPENED, bool(r.getAs(REOPENED)));
        o.set(RawInteraction.ESCALATED, bool(r.getAs(ESCALATED)));
        ArrayNode messages = o.putArray(RawInteraction.MESSAGES);
        int mi = r.fieldIndex(MESSAGES);
        List<Row> events = r.isNullAt(mi) ? null : r.getList(mi);
        if (events != null) {
            for (Row e : events) {
                ObjectNode m = messages.addObject();
                m.put(RawInteraction.MESSAGE_AUTHOR, e.<String>getAs(AUTHOR));
                m.put(RawInteraction.MESSAGE_SENT_AT, iso(e.getAs(SENT_AT)));
                m.put(RawInteraction.MESSAGE_BODY, e.<String>getAs(BODY));
            }
        }
        return o.toString();
    }

    private static String iso(Object ts) {
        return ts == null ? null : ((Timestamp) ts).toInstant().toString();
    }

    private static JsonNode jsonValue(Object text) {
        if (text == null) {
            return JSON.nullNode();
        }
        try {
            return JSON.readTree(text.toString());
        } catch (java.io.IOException e) {
            return JSON.getNodeFactory().textNode(text.toString()); // the contract rejects it with a reason
        }
    }

    private static JsonNode number(Object v) {
        if (v == null) {
            return JSON.nullNode();
        }
        BigDecimal d = v instanceof BigDecimal b ? b : new BigDecimal(v.toString());
        BigDecimal stripped = d.stripTrailingZeros();
        return stripped.scale() <= 0 ? JSON.getNodeFactory().numberNode(stripped.longValueExact())
                : JSON.getNodeFactory().numberNode(d);
    }

    private static JsonNode bool(Object v) {
        return v == null ? JSON.nullNode() : JSON.getNodeFactory().booleanNode((Boolean) v);
    }

    private Properties jdbcProperties() {
        Properties p = options.endpoint().properties();
        p.setProperty("driver", "net.snowflake.client.api.driver.SnowflakeDriver");
        p.setProperty("fetchsize", Integer.toString(options.fetchSize()));
        p.setProperty(QuietConnectionProvider.OPTION, QuietConnectionProvider.NAME);
        return p;
    }

    /** @return one predicate per time slice; together they cover the window exactly once */
    String[] slices(Window w, String column) {
        long from = w.lower().toEpochMilli() * 1000 + w.lower().getNano() / 1000 % 1000;
        long to = w.upper().toEpochMilli() * 1000 + w.upper().getNano() / 1000 % 1000;
        int n = (int) Math.max(1, Math.min(options.partitions(), to - from + 1));
        String[] out = new String[n];
        long step = (to - from + 1) / n;
        for (int i = 0; i < n; i++) {
            Instant a = micros(from + i * step);
            String upper = i == n - 1 ? column + " <= " + literal(w.upper())
                    : column + " < " + literal(micros(from + (i + 1) * step));
            out[i] = column + " >= " + literal(a) + " AND " + upper;
        }
        return out;
    }

    private static Instant micros(long micros) {
        return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000), Math.floorMod(micros, 1_000_000) * 1000L);
    }

    private static String between(String column, Window w) {
        return column + " >= " + literal(w.lower()) + " AND " + column + " <= " + literal(w.upper());
    }

    private static String literal(Instant t) {
        return "'" + LITERAL.format(t) + "'";
    }

    private static String currentSchema(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT CURRENT_SCHEMA()")) {
            rs.next();
            String schema = rs.getString(1);
            if (schema == null) {
                throw new SQLException("the session has no current schema; set the schema connection property "
                        + "(cxml.snowflake.schema)");
            }
            return schema;
        }
    }
}
