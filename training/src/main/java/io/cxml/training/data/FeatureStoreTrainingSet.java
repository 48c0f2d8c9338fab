package io.cxml.training.data;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cxml.features.TrainingColumns;
import io.cxml.features.TrainingSetBuilder;
import io.cxml.features.TrainingSetColumns;
import io.cxml.features.split.SplitPlan;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;

/**
 * A training set written by {@code cxml features training-set}, read exactly as its manifest
 * ({@value TrainingSetBuilder#MANIFEST}) describes it: the text, language, tenant and label-time columns and each
 * task's label column it records ({@link TrainingSetColumns}), the split it wrote (kept, never re-split) and the view
 * versions, which the trained model records. A column the manifest names but the set lacks, a manifest that names no
 * columns (written before they were recorded) or a task without a label column fails naming what is missing.
 * Rows without a label, a text or a split (labels without a time under date windows) are left out.
 */
public final class FeatureStoreTrainingSet implements TrainingSetSource {
    /** Prefix of a column holding a task's hidden truth (generated data): measured against, never trained on. */
    public static final String TRUTH_PREFIX = "true_";
    private final String path;
    private final String task;
    private final JsonNode manifest;
    private final TrainingSetColumns columns;
    private final String labelColumn;
    private final String textColumn;
    private final String weakLabels;

    /**
     * Reads the manifest (so a missing, unfinished or old training set fails before any Spark work).
     *
     * @param path the training set directory
     * @param task the task trained ({@code intent}, {@code sentiment}, ...): picks the label column the manifest
     *     records for it
     * @param labelColumn a label column chosen by the user instead, or null
     * @param hadoop Hadoop configuration to read the manifest with
     */
    public FeatureStoreTrainingSet(String path, String task, String labelColumn, Configuration hadoop) {
        this.path = path;
        this.task = task;
        Path file = new Path(path, TrainingSetBuilder.MANIFEST);
        try (InputStream in = file.getFileSystem(hadoop).open(file)) {
            this.manifest = new ObjectMapper().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read training set " + path + ": no readable " + file.getName()
                    + " (" + e.getMessage() + "). Build it with `cxml features training-set --out " + path + "`", e);
        }
        this.columns = columns(manifest, path);
        TrainingSetColumns.Task recorded = columns.tasks().get(task);
        if (labelColumn == null && recorded == null) {
            throw new IllegalArgumentException("Cannot train " + task + " from training set " + path + ": its manifest"
                    + " records no label column for " + task + " (tasks: " + columns.tasks().keySet() + "). Pass "
                    + "--label-column, or rebuild it with --task-label " + task + "=COLUMN");
        }
        this.labelColumn = labelColumn != null ? labelColumn : recorded.label();
        boolean recordedLabel = recorded != null && recorded.label().equals(this.labelColumn);
        this.textColumn = recordedLabel && recorded.text() != null ? recorded.text() : columns.text();
        this.weakLabels = recordedLabel ? recorded.weakLabels() : null;
    }

    private static TrainingSetColumns columns(JsonNode manifest, String path) {
        JsonNode c = manifest.path("columns");
        if (manifest.path("format").asInt(1) < TrainingSetBuilder.FORMAT || !c.isObject()) {
            throw new IllegalArgumentException("Cannot train from training set " + path + ": its manifest (format "
                    + manifest.path("format").asInt(1) + ") does not record which columns are the text, language, "
                    + "tenant and label time. Rebuild it with `cxml features training-set --out " + path + "`");
        }
        Map<String, TrainingSetColumns.Task> tasks = new LinkedHashMap<>();
        c.path("tasks").fields().forEachRemaining(e -> tasks.put(e.getKey(), new TrainingSetColumns.Task(
                e.getValue().path("label").asText(null), text(e.getValue(), "text"),
                text(e.getValue(), "weakLabels"))));
        return new TrainingSetColumns(text(c, "text"), text(c, "language"), text(c, "tenant"), text(c, "labelTime"),
                tasks);
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.path(field);
        return v.isTextual() ? v.asText() : null;
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

    /** @return the columns the manifest records */
    public TrainingSetColumns columns() {
        return columns;
    }

    /**
     * @return rows of {@link TrainingColumns#SCHEMA} plus {@link TrainingColumns#SPLIT} as written in the set
     */
    @Override
    public Dataset<Row> load(SparkSession spark) {
        return select(spark, false);
    }

    /**
     * The same rows as {@link #load} plus every joined feature column ({@code <view>__<feature>}, including
     * {@code <view>__event_time}), for trainers whose inputs go beyond the text (routing).
     *
     * @param spark the session
     * @return rows of {@link TrainingColumns#SCHEMA}, {@link TrainingColumns#SPLIT} and the feature columns
     */
    public Dataset<Row> loadWithFeatures(SparkSession spark) {
        return select(spark, true);
    }

    private Dataset<Row> select(SparkSession spark, boolean withFeatures) {
        Dataset<Row> set = spark.read().parquet(path);
        List<String> have = Arrays.asList(set.columns());
        Map<String, String> used = new LinkedHashMap<>();
        used.put("text", textColumn);
        used.put(task + " label", labelColumn);
        used.put("label-time", columns.labelTime());
        used.put("split", SplitPlan.SPLIT);
        if (columns.language() != null) {
            used.put("language", columns.language());
        }
        if (columns.tenant() != null) {
            used.put("tenant", columns.tenant());
        }
        for (Map.Entry<String, String> e : used.entrySet()) {
            if (!have.contains(e.getValue())) {
                throw new IllegalArgumentException("Cannot train " + task + " from training set " + path + ": its "
                        + e.getKey() + " column '" + e.getValue() + "' is missing (columns: " + have + ")"
                        + (e.getKey().endsWith(" label") ? ". Pick the label with --label-column" : ". Rebuild it "
                        + "with `cxml features training-set --out " + path + "`"));
            }
        }
        Column text = functions.col(textColumn);
        Column label = functions.col(labelColumn);
        List<Column> out = new ArrayList<>(List.of(text.cast(DataTypes.StringType).as(TrainingColumns.TEXT),
                label.cast(DataTypes.StringType).as(TrainingColumns.LABEL),
                optional(columns.language()).as(TrainingColumns.LANGUAGE),
                optional(columns.tenant()).as(TrainingColumns.TENANT),
                functions.col(columns.labelTime()).cast(DataTypes.TimestampType).as(TrainingColumns.EVENT_TIME),
                functions.col(SplitPlan.SPLIT).as(TrainingColumns.SPLIT)));
        if (have.contains(truthColumn())) {
            out.add(functions.col(truthColumn()).cast(DataTypes.StringType).as(TrainingColumns.TRUTH));
        }
        if (withFeatures) {
            have.stream().filter(c -> c.contains(TrainingSetBuilder.SEPARATOR) && !c.equals(textColumn))
                    .forEach(c -> out.add(functions.col(c)));
        }
        return set.where(label.isNotNull().and(text.isNotNull()).and(functions.col(SplitPlan.SPLIT).isNotNull()))
                .select(out.toArray(new Column[0]));
    }

    /** @return the column of the task's hidden truth in a set built from generated data: {@code true_<task>} */
    private String truthColumn() {
        return TRUTH_PREFIX + task;
    }

    /** Label coverage of the set's rows and, where it holds the truth, the labels' agreement with it. */
    @Override
    public LabelStats labelStats(SparkSession spark) {
        Dataset<Row> set = spark.read().parquet(path);
        Column label = functions.col(labelColumn).cast(DataTypes.StringType);
        boolean truth = Arrays.asList(set.columns()).contains(truthColumn());
        Column t = truth ? functions.col(truthColumn()).cast(DataTypes.StringType)
                : functions.lit(null).cast(DataTypes.StringType);
        Row r = set.agg(functions.count(functions.lit(1)), functions.count(label),
                functions.count(functions.when(label.isNotNull(), t)),
                functions.sum(functions.when(label.equalTo(t), 1L).otherwise(0L))).first();
        return new LabelStats("training set " + path + " column " + labelColumn, r.getLong(0), r.getLong(1), 0,
                r.getLong(1), r.getLong(2), r.isNullAt(3) ? 0 : r.getLong(3));
    }

    private static Column optional(String column) {
        return column == null ? functions.lit(null).cast(DataTypes.StringType)
                : functions.col(column).cast(DataTypes.StringType);
    }

    @Override
    public Optional<String> weakLabelRule() {
        return Optional.ofNullable(weakLabels);
    }

    @Override
    public String describe() {
        JsonNode split = manifest.path("split");
        return "feature-store training set " + path + " (" + task + " label " + labelColumn + ", text " + textColumn
                + ", labels from " + manifest.path("labels").asText() + ", split kept: " + split.path("method")
                .asText() + ")";
    }
}
