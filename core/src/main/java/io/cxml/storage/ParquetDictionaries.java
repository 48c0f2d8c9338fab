package io.cxml.storage;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.DataFrameWriter;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.MapType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Turns Parquet's dictionary encoding off for columns whose values are (nearly) unique per row: ids, free text,
 * timestamps. On those the writer fills a dictionary until it overflows and falls back to plain encoding in every
 * column chunk, which was 21 % of the ingest's CPU at 1M tickets; low-cardinality columns keep their dictionaries
 * (smaller files, dictionary filtering). Uses Parquet's per-column {@code parquet.enable.dictionary#<path>} setting,
 * which Spark passes from write options to the writer.
 */
public final class ParquetDictionaries {
    private ParquetDictionaries() {}

    /**
     * @param writer the writer to configure
     * @param schema the schema written
     * @param columns top-level columns whose every leaf column goes without a dictionary
     * @return the writer
     */
    public static <T> DataFrameWriter<T> offFor(DataFrameWriter<T> writer, StructType schema, List<String> columns) {
        for (String column : columns) {
            StructField field = schema.apply(column);
            for (String path : leafPaths(field.name(), field.dataType())) {
                writer = writer.option("parquet.enable.dictionary#" + path, "false");
            }
        }
        return writer;
    }

    /** Parquet column paths of a Spark field, as Spark's standard (non-legacy) writer lays lists and maps out. */
    static List<String> leafPaths(String prefix, DataType type) {
        List<String> paths = new ArrayList<>();
        if (type instanceof StructType struct) {
            for (StructField f : struct.fields()) {
                paths.addAll(leafPaths(prefix + "." + f.name(), f.dataType()));
            }
        } else if (type instanceof ArrayType array) {
            paths.addAll(leafPaths(prefix + ".list.element", array.elementType()));
        } else if (type instanceof MapType map) {
            paths.addAll(leafPaths(prefix + ".key_value.key", map.keyType()));
            paths.addAll(leafPaths(prefix + ".key_value.value", map.valueType()));
        } else {
            paths.add(prefix);
        }
        return paths;
    }
}
