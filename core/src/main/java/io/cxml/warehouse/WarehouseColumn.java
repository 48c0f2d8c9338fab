package io.cxml.warehouse;

import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.StructField;

/**
 * One column to publish: its warehouse name (already in the dialect's case), Spark type, nullability and comment.
 *
 * @param name the warehouse column name
 * @param type the Spark type of the values
 * @param nullable whether nulls are allowed in the target
 * @param comment what analysts read about the column, or null
 */
public record WarehouseColumn(String name, DataType type, boolean nullable, String comment) {
    /**
     * @param field a Spark field
     * @param dialect the dialect that normalizes the name
     * @param comment the comment to use, or null
     * @return the column
     */
    static WarehouseColumn of(StructField field, WarehouseDialect dialect, String comment) {
        return new WarehouseColumn(dialect.identifier(field.name()), field.dataType(), field.nullable(), comment);
    }
}
