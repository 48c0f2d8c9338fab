package io.cxml.training.data;

import io.cxml.features.TrainingColumns;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;

/**
 * A user's labelled file: CSV (with a header row, RFC 4180 quoting, multi-line fields) or Parquet, chosen by the
 * extension ({@code .csv} / anything else = Parquet). Required columns {@code text,label}; optional
 * {@code language}, {@code tenant} (or {@code account_id}) and {@code event_time} (or {@code created_at}).
 */
public final class LabelledFileSource implements TrainingSetSource {
    private final String path;

    /**
     * @param path a local path or Hadoop URI
     */
    public LabelledFileSource(String path) {
        this.path = path;
    }

    @Override
    public Dataset<Row> load(SparkSession spark) {
        boolean csv = path.toLowerCase(Locale.ROOT).endsWith(".csv");
        Dataset<Row> raw = csv
                ? spark.read().option("header", "true").option("multiLine", "true").option("escape", "\"")
                        .csv(path)
                : spark.read().parquet(path);
        List<String> columns = Arrays.asList(raw.columns());
        for (String required : List.of(TrainingColumns.TEXT, TrainingColumns.LABEL)) {
            if (!columns.contains(required)) {
                throw new IllegalArgumentException("Cannot read labelled file " + path + ": column '" + required
                        + "' is missing (found " + columns + "). Provide columns text,label[,language]");
            }
        }
        Column language = optional(columns, TrainingColumns.LANGUAGE, null, DataTypes.StringType);
        Column tenant = optional(columns, TrainingColumns.TENANT, "account_id", DataTypes.StringType);
        Column time = optional(columns, TrainingColumns.EVENT_TIME, "created_at", DataTypes.TimestampType);
        return raw.select(
                        functions.col(TrainingColumns.TEXT).cast(DataTypes.StringType).as(TrainingColumns.TEXT),
                        functions.trim(functions.col(TrainingColumns.LABEL).cast(DataTypes.StringType))
                                .as(TrainingColumns.LABEL),
                        language.as(TrainingColumns.LANGUAGE), tenant.as(TrainingColumns.TENANT),
                        time.as(TrainingColumns.EVENT_TIME))
                .where(functions.col(TrainingColumns.TEXT).isNotNull()
                        .and(functions.col(TrainingColumns.LABEL).isNotNull())
                        .and(functions.length(functions.col(TrainingColumns.LABEL)).gt(0)));
    }

    private static Column optional(List<String> columns, String name, String alias,
            org.apache.spark.sql.types.DataType type) {
        if (columns.contains(name)) {
            return functions.col(name).cast(type);
        }
        if (alias != null && columns.contains(alias)) {
            return functions.col(alias).cast(type);
        }
        return functions.lit(null).cast(type);
    }

    @Override
    public String describe() {
        return "labelled file " + path;
    }
}
