package io.cxml.training.data;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cxml.features.TrainingSetBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;

/**
 * A training set written by {@code cxml features training-set}: label rows with point-in-time feature values and the
 * manifest ({@value TrainingSetBuilder#MANIFEST}) naming the exact view versions, which the trained model records.
 * Text comes from the {@code ticket_text} view when it was joined (else the labels' {@code text}), the language from
 * the detector in that view (else {@code true_language}), the time from the manifest's label-time column.
 */
public final class FeatureStoreTrainingSet implements TrainingSetSource {
    /** Columns of the {@code ticket_text} view as joined by the builder ({@code <view>__<feature>}). */
    static final String VIEW_TEXT = "ticket_text" + TrainingSetBuilder.SEPARATOR + "text_normalized";
    static final String VIEW_LANGUAGE = "ticket_text" + TrainingSetBuilder.SEPARATOR + "language";

    private final String path;
    private final String labelColumn;
    private final JsonNode manifest;

    /**
     * Reads the manifest (so a missing or unfinished training set fails before any Spark work).
     *
     * @param path the training set directory
     * @param labelColumn the label column, e.g. {@code true_intent}
     * @param hadoop Hadoop configuration to read the manifest with
     */
    public FeatureStoreTrainingSet(String path, String labelColumn, Configuration hadoop) {
        this.path = path;
        this.labelColumn = labelColumn;
        Path file = new Path(path, TrainingSetBuilder.MANIFEST);
        try (InputStream in = file.getFileSystem(hadoop).open(file)) {
            this.manifest = new ObjectMapper().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read training set " + path + ": no readable " + file.getName()
                    + " (" + e.getMessage() + "). Build it with `cxml features training-set --out " + path + "`", e);
        }
    }

    /** @return view name -> {@code v<N> (<fingerprint>)} for every view joined into the set */
    public Map<String, String> featureVersions() {
        Map<String, String> out = new LinkedHashMap<>();
        for (JsonNode v : manifest.path("views")) {
            out.put(v.path("name").asText(), "v" + v.path("version").asInt() + " (" + v.path("fingerprint").asText()
                    + ")");
        }
        return out;
    }

    @Override
    public Dataset<Row> load(SparkSession spark) {
        Dataset<Row> set = spark.read().parquet(path);
        List<String> columns = Arrays.asList(set.columns());
        String time = manifest.path("labelTimeColumn").asText();
        for (String required : List.of(labelColumn, time)) {
            if (!columns.contains(required)) {
                throw new IllegalArgumentException("Cannot train from " + path + ": no column '" + required
                        + "' (columns: " + columns + "). Pick the label with --label-column");
            }
        }
        Column text = columns.contains(VIEW_TEXT) ? functions.col(VIEW_TEXT) : functions.col("text");
        Column language = columns.contains(VIEW_LANGUAGE) ? functions.col(VIEW_LANGUAGE)
                : columns.contains("true_language") ? functions.col("true_language")
                : functions.lit(null).cast(DataTypes.StringType);
        Column tenant = columns.contains("account_id") ? functions.col("account_id")
                : functions.lit(null).cast(DataTypes.StringType);
        return set.where(functions.col(labelColumn).isNotNull().and(text.isNotNull()))
                .select(text.as(TrainingColumns.TEXT),
                        functions.col(labelColumn).cast(DataTypes.StringType).as(TrainingColumns.LABEL),
                        language.as(TrainingColumns.LANGUAGE), tenant.as(TrainingColumns.TENANT),
                        functions.col(time).cast(DataTypes.TimestampType).as(TrainingColumns.EVENT_TIME));
    }

    @Override
    public String describe() {
        return "feature-store training set " + path + " (label " + labelColumn + ", labels from "
                + manifest.path("labels").asText() + ")";
    }
}
