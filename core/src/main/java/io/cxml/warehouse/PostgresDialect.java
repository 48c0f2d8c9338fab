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
 * PostgreSQL 15+ (MERGE needs 15). DDL is transactional, so table evolution, MERGE and comments commit together or
 * not at all. Timestamps are stored as {@code timestamp} holding UTC; nested values as {@code jsonb}.
 */
public final class PostgresDialect implements WarehouseDialect {
    private static final long serialVersionUID = 1L;

    @Override
    public String name() {
        return "postgresql";
    }

    @Override
    public String driverClass() {
        return "org.postgresql.Driver";
    }

    @Override
    public String identifier(String name) {
        return name.toLowerCase(Locale.ROOT);
    }

    @Override
    public String columnType(DataType t) {
        if (isJson(t)) {
            return "jsonb";
        }
        if (t instanceof StringType) {
            return "text";
        }
        if (t instanceof LongType) {
            return "bigint";
        }
        if (t instanceof IntegerType || t instanceof ShortType || t instanceof ByteType) {
            return "integer";
        }
        if (t instanceof DoubleType) {
            return "double precision";
        }
        if (t instanceof FloatType) {
            return "real";
        }
        if (t instanceof BooleanType) {
            return "boolean";
        }
        if (t instanceof TimestampType || t instanceof TimestampNTZType) {
            return "timestamp";
        }
        if (t instanceof DateType) {
            return "date";
        }
        if (t instanceof DecimalType d) {
            return "numeric(" + d.precision() + "," + d.scale() + ")";
        }
        if (t instanceof BinaryType) {
            return "bytea";
        }
        throw new IllegalArgumentException("Cannot publish a column of type " + t.simpleString()
                + " to PostgreSQL: unsupported type. Cast it to a string or number first");
    }

    @Override
    public String jsonTextType() {
        return "text";
    }

    @Override
    public String parseJson(String textExpression) {
        return "CAST(" + textExpression + " AS jsonb)";
    }

    @Override
    public List<String> createTable(String table, List<WarehouseColumn> columns, List<String> keys,
            String tableComment) {
        List<String> sql = new ArrayList<>();
        StringBuilder ddl = new StringBuilder("CREATE TABLE IF NOT EXISTS ").append(table).append(" (");
        for (WarehouseColumn c : columns) {
            ddl.append(quote(c.name())).append(' ').append(columnType(c.type()))
                    .append(c.nullable() ? "" : " NOT NULL").append(", ");
        }
        ddl.append("PRIMARY KEY (").append(String.join(", ", keys)).append("))");
        sql.add(ddl.toString());
        if (tableComment != null) {
            sql.add("COMMENT ON TABLE " + table + " IS " + literal(tableComment));
        }
        for (WarehouseColumn c : columns) {
            if (c.comment() != null) {
                sql.add("COMMENT ON COLUMN " + table + "." + quote(c.name()) + " IS " + literal(c.comment()));
            }
        }
        return sql;
    }

    @Override
    public List<String> addColumn(String table, WarehouseColumn c) {
        List<String> sql = new ArrayList<>();
        sql.add("ALTER TABLE " + table + " ADD COLUMN IF NOT EXISTS " + quote(c.name()) + " " + columnType(c.type()));
        if (c.comment() != null) {
            sql.add("COMMENT ON COLUMN " + table + "." + quote(c.name()) + " IS " + literal(c.comment()));
        }
        return sql;
    }

    @Override
    public String createStage(String stage, List<WarehouseColumn> columns) {
        StringBuilder ddl = new StringBuilder("CREATE UNLOGGED TABLE ").append(stage).append(" (");
        for (int i = 0; i < columns.size(); i++) {
            WarehouseColumn c = columns.get(i);
            ddl.append(i == 0 ? "" : ", ").append(quote(c.name())).append(' ')
                    .append(isJson(c.type()) ? jsonTextType() : columnType(c.type()));
        }
        return ddl.append(')').toString();
    }

    @Override
    public boolean transactionalDdl() {
        return true;
    }

    @Override
    public String currentSchemaQuery() {
        return "SELECT current_schema()";
    }
}
