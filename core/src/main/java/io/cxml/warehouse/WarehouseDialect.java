package io.cxml.warehouse;

import java.io.Serializable;
import java.util.List;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.MapType;
import org.apache.spark.sql.types.StructType;

/** The SQL that differs between warehouses. Everything else in publishing is shared. */
public interface WarehouseDialect extends Serializable {
    /** @return a short name for messages, e.g. {@code snowflake} */
    String name();

    /** @return the JDBC driver class, passed to Spark's JDBC writer */
    String driverClass();

    /**
     * @param name a column or table name as written in code ({@code ticket_id})
     * @return the name in the warehouse's default case ({@code TICKET_ID} in Snowflake, {@code ticket_id} in PG)
     */
    String identifier(String name);

    /**
     * @param identifier an already normalized identifier, or {@code schema.table}
     * @return it quoted, each part
     */
    default String quote(String identifier) {
        StringBuilder sb = new StringBuilder();
        for (String part : identifier.split("\\.")) {
            if (sb.length() > 0) {
                sb.append('.');
            }
            sb.append('"').append(part.replace("\"", "\"\"")).append('"');
        }
        return sb.toString();
    }

    /**
     * @param value a string
     * @return it as a SQL string literal
     */
    default String literal(String value) {
        return "'" + value.replace("'", "''") + "'";
    }

    /**
     * @param type a Spark type
     * @return the target column type
     */
    String columnType(DataType type);

    /**
     * @param type a Spark type
     * @return true when the value travels through the stage as JSON text (arrays, structs, maps)
     */
    default boolean isJson(DataType type) {
        return type instanceof ArrayType || type instanceof StructType || type instanceof MapType;
    }

    /** @return the stage column type for JSON text */
    String jsonTextType();

    /**
     * @param textExpression an expression holding JSON text
     * @return the expression converted to the target's JSON type
     */
    String parseJson(String textExpression);

    /**
     * @param table the quoted target table
     * @param columns all columns
     * @param keys the quoted business-key columns
     * @param tableComment the table comment, or null
     * @return statements creating the table with its comments
     */
    List<String> createTable(String table, List<WarehouseColumn> columns, List<String> keys, String tableComment);

    /**
     * @param table the quoted target table
     * @param column a column to add (nullable: existing rows get null)
     * @return statements adding it with its comment
     */
    List<String> addColumn(String table, WarehouseColumn column);

    /**
     * @param stage the quoted stage table
     * @param columns the stage columns (JSON values as text)
     * @return the statement creating a stage table visible to other sessions (Spark tasks load it in parallel)
     */
    String createStage(String stage, List<WarehouseColumn> columns);

    /** @return true when DDL runs inside a transaction (PostgreSQL), false when it commits implicitly (Snowflake) */
    boolean transactionalDdl();

    /** @return the query returning the session's current schema */
    String currentSchemaQuery();
}
