package io.cxml.warehouse;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.to_json;
import static org.apache.spark.sql.functions.when;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.types.StructField;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes a DataFrame to a warehouse table idempotently:
 *
 * <ol>
 *   <li>check the business key is present, non-null and unique in the data;
 *   <li>create the target (with column comments) or add the columns it lacks (nullable, with comments);
 *   <li>load a stage table from the Spark tasks over JDBC and check its row count;
 *   <li>one {@code MERGE} on the key, inside a transaction: insert new keys, update keys whose values differ, leave
 *       identical rows untouched (so re-publishing the same data changes nothing);
 *   <li>drop the stage, whatever happened.
 * </ol>
 *
 * A failure before the commit leaves the target as it was: on PostgreSQL even an added column rolls back (DDL is
 * transactional); on Snowflake DDL commits implicitly, so an added nullable column may remain, holding nulls.
 */
public final class WarehousePublisher {
    private static final Logger LOG = LoggerFactory.getLogger(WarehousePublisher.class);
    private static final String STAGE_SUFFIX = "_STAGE_";

    private final JdbcEndpoint endpoint;
    private final WarehouseDialect dialect;

    /**
     * @param endpoint where to connect
     * @param dialect the warehouse's SQL dialect
     */
    public WarehousePublisher(JdbcEndpoint endpoint, WarehouseDialect dialect) {
        this.endpoint = endpoint;
        this.dialect = dialect;
    }

    /**
     * Publishes the data.
     *
     * @param data the rows; field comments become column comments
     * @param options target and key
     * @return what changed
     */
    public PublishResult publish(Dataset<Row> data, PublishOptions options) {
        long start = System.currentTimeMillis();
        List<WarehouseColumn> columns = columns(data, options);
        List<String> keys = options.keyColumns().stream().map(dialect::identifier).collect(Collectors.toList());
        long rows = checkKeys(data, options);
        String shownTable = (options.schema() == null ? "" : options.schema() + ".") + options.table();
        LOG.info("Publishing {} row(s) to {} table {} ({}), key {}", rows, dialect.name(), shownTable, endpoint.url(),
                keys);
        String stageName = dialect.identifier(options.table() + STAGE_SUFFIX + options.runId());
        String tableName = dialect.identifier(options.table());
        String schema;
        String table;
        String stage;
        try (Connection c = endpoint.connect()) {
            c.setAutoCommit(true);
            schema = options.schema() != null ? dialect.identifier(options.schema()) : currentSchema(c);
            table = dialect.quote(schema + "." + tableName);
            stage = dialect.quote(schema + "." + stageName);
        } catch (SQLException e) {
            throw failure(shownTable, "cannot connect", e, false);
        }
        try {
            return publish(data, options, columns, keys, rows, schema, tableName, table, stage, start);
        } finally {
            dropStage(stage);
        }
    }

    private PublishResult publish(Dataset<Row> data, PublishOptions options, List<WarehouseColumn> columns,
            List<String> keys, long rows, String schema, String tableName, String table, String stage, long start) {
        try (Connection c = endpoint.connect()) {
            c.setAutoCommit(true);
            Evolution evolution = null;
            if (!dialect.transactionalDdl()) {
                evolution = ensureTable(c, schema, tableName, table, columns, keys, options);
            }
            execute(c, dialect.createStage(stage, columns));
            load(data, columns, stage, options);
            long staged = queryLong(c, "SELECT COUNT(*) FROM " + stage);
            if (staged != rows) {
                throw new IllegalStateException("Cannot publish to " + table + ": the stage holds " + staged
                        + " rows, the data " + rows + ". The target is unchanged; re-run");
            }
            if (options.explicitTransaction()) {
                c.setAutoCommit(false);
            }
            try {
                if (dialect.transactionalDdl()) {
                    evolution = ensureTable(c, schema, tableName, table, columns, keys, options);
                }
                String source = sourceRelation(stage, columns);
                long inserted = queryLong(c, newKeysQuery(table, stage, keys));
                long updated = queryLong(c, changedRowsQuery(table, source, columns, keys));
                execute(c, mergeStatement(table, source, columns, keys));
                if (options.explicitTransaction()) {
                    c.commit();
                }
                PublishResult result = new PublishResult(table, rows, inserted, updated, rows - inserted - updated,
                        evolution.created, evolution.added, System.currentTimeMillis() - start);
                LOG.info("Published to {}: {} inserted, {} updated, {} unchanged{}{} in {} ms", table, inserted,
                        updated, result.unchanged(), evolution.created ? ", table created" : "",
                        evolution.added > 0 ? ", " + evolution.added + " column(s) added" : "", result.millis());
                return result;
            } catch (SQLException | RuntimeException e) {
                if (options.explicitTransaction()) {
                    rollbackQuietly(c);
                }
                throw e;
            }
        } catch (SQLException e) {
            throw failure(table, "the statement failed", e, options.explicitTransaction());
        }
    }

    private static WarehouseException failure(String table, String what, SQLException e, boolean rolledBack) {
        String state = e.getSQLState() == null ? "" : " (SQLState " + e.getSQLState() + ")";
        String message = firstLine(e.getMessage());
        return new WarehouseException("Cannot publish to " + table + ": " + what + ": " + message + state + ". "
                + (rolledBack ? "The transaction rolled back, the target is unchanged; " : "")
                + "fix the cause and re-run: publishing the same data again is idempotent", e);
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    private List<WarehouseColumn> columns(Dataset<Row> data, PublishOptions options) {
        List<WarehouseColumn> columns = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        Set<String> keys = options.keyColumns().stream().map(dialect::identifier).collect(Collectors.toSet());
        for (StructField f : data.schema().fields()) {
            String comment = options.columnComments().getOrDefault(f.name(),
                    f.getComment().isDefined() ? f.getComment().get() : null);
            WarehouseColumn c = WarehouseColumn.of(f, dialect, comment);
            if (!seen.add(c.name())) {
                throw new IllegalArgumentException("Cannot publish to " + options.table() + ": columns "
                        + "differ only in case (" + c.name() + "). Rename one");
            }
            if (keys.contains(c.name())) {
                c = new WarehouseColumn(c.name(), c.type(), false, c.comment());
            }
            dialect.columnType(c.type());
            columns.add(c);
        }
        for (String k : keys) {
            if (!seen.contains(k)) {
                throw new IllegalArgumentException("Cannot publish to " + options.table() + ": key column " + k
                        + " is not in the data (columns: " + seen + "). Fix the key or the data");
            }
        }
        return columns;
    }

    /** @return the row count, after checking keys are non-null and unique */
    private static long checkKeys(Dataset<Row> data, PublishOptions options) {
        Column[] keyCols = options.keyColumns().stream().map(k -> col(k)).toArray(Column[]::new);
        Column anyNull = lit(false);
        for (Column k : keyCols) {
            anyNull = anyNull.or(k.isNull());
        }
        Row r = data.agg(count(lit(1)), sum(when(anyNull, 1).otherwise(0)),
                countDistinct(keyCols[0], java.util.Arrays.copyOfRange(keyCols, 1, keyCols.length))).first();
        long rows = r.getLong(0);
        long nullKeys = r.isNullAt(1) ? 0 : r.getLong(1);
        long distinct = r.getLong(2);
        if (nullKeys > 0) {
            throw new IllegalArgumentException("Cannot publish to " + options.table() + ": " + nullKeys
                    + " row(s) have a null in key " + options.keyColumns() + ". Filter or fix them first");
        }
        if (distinct != rows) {
            List<String> examples = data.groupBy(keyCols).count().filter(col("count").gt(1)).limit(3)
                    .collectAsList().stream().map(Row::toString).collect(Collectors.toList());
            throw new IllegalArgumentException("Cannot publish to " + options.table() + ": key "
                    + options.keyColumns() + " is not unique (" + (rows - distinct) + " duplicate row(s), e.g. "
                    + examples + "). Deduplicate first: a MERGE with duplicate keys is ambiguous");
        }
        return rows;
    }

    private static final class Evolution {
        boolean created;
        int added;
    }

    private Evolution ensureTable(Connection c, String schema, String tableName, String table,
            List<WarehouseColumn> columns, List<String> keys, PublishOptions options) throws SQLException {
        Set<String> existing = existingColumns(c, schema, tableName);
        Evolution e = new Evolution();
        if (existing.isEmpty()) {
            List<String> quotedKeys = keys.stream().map(dialect::quote).collect(Collectors.toList());
            for (String sql : dialect.createTable(table, columns, quotedKeys, options.tableComment())) {
                execute(c, sql);
            }
            e.created = true;
            LOG.info("Created table {} with {} column(s)", table, columns.size());
            return e;
        }
        for (WarehouseColumn col : columns) {
            if (!existing.contains(col.name())) {
                WarehouseColumn nullable = new WarehouseColumn(col.name(), col.type(), true, col.comment());
                for (String sql : dialect.addColumn(table, nullable)) {
                    execute(c, sql);
                }
                e.added++;
                LOG.info("Added column {} {} to {}", col.name(), dialect.columnType(col.type()), table);
            }
        }
        return e;
    }

    private static Set<String> existingColumns(Connection c, String schema, String table) throws SQLException {
        Set<String> names = new HashSet<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT column_name FROM information_schema.columns "
                + "WHERE table_schema = ? AND table_name = ?")) {
            ps.setString(1, schema);
            ps.setString(2, table);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    names.add(rs.getString(1));
                }
            }
        }
        return names;
    }

    private void load(Dataset<Row> data, List<WarehouseColumn> columns, String stage, PublishOptions options) {
        List<Column> select = new ArrayList<>();
        StructField[] fields = data.schema().fields();
        for (int i = 0; i < fields.length; i++) {
            Column value = col(fields[i].name());
            if (dialect.isJson(fields[i].dataType())) {
                value = to_json(value);
            }
            select.add(value.as(columns.get(i).name()));
        }
        Properties props = endpoint.properties();
        props.setProperty("driver", dialect.driverClass());
        props.setProperty("batchsize", Integer.toString(options.batchSize()));
        props.setProperty(QuietConnectionProvider.OPTION, QuietConnectionProvider.NAME);
        Dataset<Row> staged = data.select(select.toArray(new Column[0]));
        if (staged.rdd().getNumPartitions() > options.loadPartitions()) {
            staged = staged.coalesce(options.loadPartitions());
        }
        try {
            staged.write().mode(SaveMode.Append).jdbc(endpoint.url(), stage, props);
        } catch (Exception e) { // Spark's SparkException is checked but undeclared
            throw new WarehouseException("Cannot publish: loading the stage " + stage + " failed: "
                    + firstLine(e.getMessage()) + ". The target is unchanged; fix the cause and re-run", e);
        }
    }

    /** @return a query counting stage rows whose key is not in the target */
    String newKeysQuery(String table, String stage, List<String> keys) {
        return "SELECT COUNT(*) FROM " + stage + " s WHERE NOT EXISTS (SELECT 1 FROM " + table + " t WHERE "
                + keyMatch(keys) + ")";
    }

    /**
     * The stage as the MERGE source, with JSON text converted to the target's JSON type. Converting here rather than
     * in the MERGE clauses keeps every clause a plain column reference (which fakesnow's MERGE emulation needs).
     */
    String sourceRelation(String stage, List<WarehouseColumn> columns) {
        return "(SELECT " + columns.stream().map(c -> {
            String ref = dialect.quote(c.name());
            return dialect.isJson(c.type()) ? dialect.parseJson(ref) + " AS " + ref : ref;
        }).collect(Collectors.joining(", ")) + " FROM " + stage + ")";
    }

    /** @return a query counting source rows whose key is in the target with different values */
    String changedRowsQuery(String table, String source, List<WarehouseColumn> columns, List<String> keys) {
        String differs = differs(columns, keys);
        return "SELECT COUNT(*) FROM " + source + " s JOIN " + table + " t ON " + keyMatch(keys)
                + (differs.isEmpty() ? " WHERE 1 = 0" : " WHERE " + differs);
    }

    /** @return the MERGE: insert new keys, update changed rows, leave identical rows alone */
    String mergeStatement(String table, String source, List<WarehouseColumn> columns, List<String> keys) {
        StringBuilder sql = new StringBuilder("MERGE INTO ").append(table).append(" t USING ").append(source)
                .append(" s ON ").append(keyMatch(keys));
        String differs = differs(columns, keys);
        if (!differs.isEmpty()) {
            sql.append(" WHEN MATCHED AND (").append(differs).append(") THEN UPDATE SET ");
            boolean first = true;
            for (WarehouseColumn c : columns) {
                if (!keys.contains(c.name())) {
                    sql.append(first ? "" : ", ").append(dialect.quote(c.name())).append(" = ").append(source(c));
                    first = false;
                }
            }
        }
        sql.append(" WHEN NOT MATCHED THEN INSERT (")
                .append(columns.stream().map(c -> dialect.quote(c.name())).collect(Collectors.joining(", ")))
                .append(") VALUES (")
                .append(columns.stream().map(this::source).collect(Collectors.joining(", "))).append(')');
        return sql.toString();
    }

    private String keyMatch(List<String> keys) {
        return keys.stream().map(k -> "t." + dialect.quote(k) + " = s." + dialect.quote(k))
                .collect(Collectors.joining(" AND "));
    }

    private String differs(List<WarehouseColumn> columns, List<String> keys) {
        return columns.stream().filter(c -> !keys.contains(c.name()))
                .map(c -> "t." + dialect.quote(c.name()) + " IS DISTINCT FROM " + source(c))
                .collect(Collectors.joining(" OR "));
    }

    private String source(WarehouseColumn c) {
        return "s." + dialect.quote(c.name());
    }

    private String currentSchema(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(dialect.currentSchemaQuery())) {
            if (!rs.next() || rs.getString(1) == null) {
                throw new SQLException("the connection has no current schema; set one (Snowflake: schema=, "
                        + "PostgreSQL: currentSchema=) or pass a schema");
            }
            return rs.getString(1);
        }
    }

    private void dropStage(String stage) {
        try (Connection c = endpoint.connect(); Statement s = c.createStatement()) {
            c.setAutoCommit(true);
            s.execute("DROP TABLE IF EXISTS " + stage);
        } catch (SQLException e) {
            LOG.warn("Could not drop stage table {} ({}); drop it by hand", stage, firstLine(e.getMessage()));
        }
    }

    private static void execute(Connection c, String sql) throws SQLException {
        LOG.debug("SQL: {}", sql);
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private static long queryLong(Connection c, String sql) throws SQLException {
        LOG.debug("SQL: {}", sql);
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static void rollbackQuietly(Connection c) {
        try {
            if (!c.isClosed()) {
                c.rollback();
            }
        } catch (SQLException e) {
            LOG.warn("Rollback failed ({}); the server rolls back the open transaction when the connection closes",
                    firstLine(e.getMessage()));
        }
    }

}
