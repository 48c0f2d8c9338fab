package io.cxml.warehouse;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.types.BinaryType;
import org.apache.spark.sql.types.BooleanType;
import org.apache.spark.sql.types.ByteType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DateType;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.DoubleType;
import org.apache.spark.sql.types.FloatType;
import org.apache.spark.sql.types.IntegerType;
import org.apache.spark.sql.types.LongType;
import org.apache.spark.sql.types.ShortType;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.TimestampNTZType;
import org.apache.spark.sql.types.TimestampType;

/**
 * Snowflake. DDL commits implicitly in Snowflake, so the publisher creates or evolves the table before the
 * transaction that holds the MERGE; an added column is nullable, so it changes no row. The stage is a
 * {@code TRANSIENT} table (no fail-safe storage) because the Spark tasks that load it run in other sessions than the
 * one that merges, which rules out a {@code TEMPORARY} table. Nested values are {@code VARIANT}; timestamps
 * {@code TIMESTAMP_NTZ} holding UTC.
 *
 * <p>Bulk load: Spark's JDBC writer sends batched inserts; above {@code CLIENT_STAGE_ARRAY_BINDING_THRESHOLD}
 * bound values the Snowflake driver itself uploads the batch to a temporary internal stage (PUT) and loads it with
 * COPY. fakesnow reports that threshold as 0, so tests run the inline-binding path only.
 */
public final class SnowflakeDialect implements WarehouseDialect {
    private static final long serialVersionUID = 1L;

    @Override
    public String name() {
        return "snowflake";
    }

    @Override
    public String driverClass() {
        return "net.snowflake.client.api.driver.SnowflakeDriver";
    }

    @Override
    public String identifier(String name) {
        return name.toUpperCase(Locale.ROOT);
    }

    @Override
    public String literal(String value) {
        // Backslash is an escape character in Snowflake string literals.
        return "'" + value.replace("\\", "\\\\").replace("'", "''") + "'";
    }

    @Override
    public String columnType(DataType t) {
        if (isJson(t)) {
            return "VARIANT";
        }
        if (t instanceof StringType) {
            return "VARCHAR";
        }
        if (t instanceof LongType || t instanceof IntegerType || t instanceof ShortType || t instanceof ByteType) {
            return "NUMBER(38,0)";
        }
        if (t instanceof DoubleType || t instanceof FloatType) {
            return "FLOAT";
        }
        if (t instanceof BooleanType) {
            return "BOOLEAN";
        }
        if (t instanceof TimestampType || t instanceof TimestampNTZType) {
            return "TIMESTAMP_NTZ";
        }
        if (t instanceof DateType) {
            return "DATE";
        }
        if (t instanceof DecimalType d) {
            return "NUMBER(" + d.precision() + "," + d.scale() + ")";
        }
        if (t instanceof BinaryType) {
            return "BINARY";
        }
        throw new IllegalArgumentException("Cannot publish a column of type " + t.simpleString()
                + " to Snowflake: unsupported type. Cast it to a string or number first");
    }

    @Override
    public String jsonTextType() {
        return "VARCHAR";
    }

    @Override
    public String parseJson(String textExpression) {
        return "PARSE_JSON(" + textExpression + ")";
    }

    @Override
    public List<String> createTable(String table, List<WarehouseColumn> columns, List<String> keys,
            String tableComment) {
        StringBuilder ddl = new StringBuilder("CREATE TABLE IF NOT EXISTS ").append(table).append(" (");
        for (WarehouseColumn c : columns) {
            ddl.append(column(c)).append(c.nullable() ? "" : " NOT NULL").append(", ");
        }
        // Informational in Snowflake (not enforced): the publisher checks key uniqueness itself.
        ddl.append("PRIMARY KEY (").append(String.join(", ", keys)).append("))");
        if (tableComment != null) {
            ddl.append(" COMMENT = ").append(literal(tableComment));
        }
        return List.of(ddl.toString());
    }

    @Override
    public List<String> addColumn(String table, WarehouseColumn c) {
        List<String> sql = new ArrayList<>();
        sql.add("ALTER TABLE " + table + " ADD COLUMN IF NOT EXISTS " + column(c));
        return sql;
    }

    private String column(WarehouseColumn c) {
        return quote(c.name()) + " " + columnType(c.type())
                + (c.comment() == null ? "" : " COMMENT " + literal(c.comment()));
    }

    @Override
    public String createStage(String stage, List<WarehouseColumn> columns) {
        StringBuilder ddl = new StringBuilder("CREATE TRANSIENT TABLE ").append(stage).append(" (");
        for (int i = 0; i < columns.size(); i++) {
            WarehouseColumn c = columns.get(i);
            ddl.append(i == 0 ? "" : ", ").append(quote(c.name())).append(' ')
                    .append(isJson(c.type()) ? jsonTextType() : columnType(c.type()));
        }
        return ddl.append(')').toString();
    }

    @Override
    public boolean transactionalDdl() {
        return false;
    }

    @Override
    public String currentSchemaQuery() {
        return "SELECT CURRENT_SCHEMA()";
    }
}
