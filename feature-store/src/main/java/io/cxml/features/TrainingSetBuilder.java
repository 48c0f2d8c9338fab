package io.cxml.features;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.cxml.features.join.PointInTimeJoin;
import io.cxml.features.split.SplitPlan;
import io.cxml.runs.RunRecord;
import io.cxml.storage.StorageLayout;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds a point-in-time-correct training set: every label row gets, for each requested view version, the latest
 * feature event at or before the label time and within the view's TTL ({@link PointInTimeJoin}), then the
 * {@link SplitPlan#SPLIT} column of a {@link SplitPlan}. Writes Parquet and, last, {@value #MANIFEST} recording the
 * split, which columns are the model's inputs ({@link TrainingSetColumns}) and the exact view versions and
 * fingerprints used: every trainer reads the set through that manifest and keeps its split.
 */
public final class TrainingSetBuilder {
    private static final Logger LOG = LoggerFactory.getLogger(TrainingSetBuilder.class);
    /** Manifest file written beside the training set. */
    public static final String MANIFEST = "_training_set.json";
    /** Separator between a view name and its feature in output columns: {@code customer_history__csat_mean_90d}. */
    public static final String SEPARATOR = "__";
    /** Current manifest format. */
    public static final int FORMAT = 2;

    private final SparkSession spark;
    private final OfflineStore store;

    /**
     * @param spark the session
     * @param layout storage layout of the offline store
     */
    public TrainingSetBuilder(SparkSession spark, StorageLayout layout) {
        this.spark = spark;
        this.store = new OfflineStore(spark, layout);
    }

    /**
     * A view to join: a name and a version (null for the newest registered).
     *
     * @param name view name
     * @param version version, or null for the latest
     */
    public record ViewRef(String name, Integer version) {
        /**
         * @param spec {@code name} or {@code name:v3}
         * @return the reference
         */
        public static ViewRef parse(String spec) {
            String s = spec.trim();
            int colon = s.indexOf(':');
            if (colon < 0) {
                return new ViewRef(s, null);
            }
            String v = s.substring(colon + 1).replaceFirst("^v", "");
            try {
                return new ViewRef(s.substring(0, colon), Integer.parseInt(v));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("Cannot parse feature view '" + spec + "': expected NAME or "
                        + "NAME:vN such as customer_history:v2", e);
            }
        }
    }

    /** What the manifest records. */
    @JsonPropertyOrder({"format", "labels", "labelTimeColumn", "columns", "rows", "split", "views", "runId",
        "createdAt"})
    public static final class Manifest {
        /** Manifest format: 2 records {@link #columns} and {@link #split}; sets without them must be rebuilt. */
        public int format = FORMAT;
        public String labels;
        public String labelTimeColumn;
        public TrainingSetColumns columns;
        public Map<String, Long> rows = new LinkedHashMap<>();
        public Map<String, String> split = new LinkedHashMap<>();
        public List<Map<String, Object>> views = new ArrayList<>();
        public String runId;
        public Instant createdAt;
    }

    /**
     * Joins the views onto the labels (no write).
     *
     * @param labels label rows, holding each view's entity key
     * @param labelTimeColumn the labels' time column
     * @param views the views
     * @param manifest filled with the resolved versions
     * @return labels with {@code <view>__event_time} and {@code <view>__<feature>} columns
     */
    public Dataset<Row> join(Dataset<Row> labels, String labelTimeColumn, List<ViewRef> views, Manifest manifest) {
        Dataset<Row> out = labels;
        for (ViewRef ref : views) {
            FeatureRegistry.VersionEntry v = ref.version() == null ? store.registry().latest(ref.name())
                    : store.registry().version(ref.name(), ref.version());
            PointInTimeJoin.Spec spec = new PointInTimeJoin.Spec(v.entityKey, v.eventTimeColumn,
                    new ArrayList<>(v.columns.keySet()), Duration.ofSeconds(v.ttlSeconds), ref.name() + SEPARATOR,
                    null);
            LOG.info("Joining {} v{} on {} as of {}", ref.name(), v.version, v.entityKey, labelTimeColumn);
            // Labels and events are both tickets here, so AUTO's labels per entity measure the events per entity.
            // What the join learns of the labels before it runs, it reads from the original labels: the chain of
            // joins so far is never computed twice.
            out = PointInTimeJoin.asOf(out, labelTimeColumn, store.read(ref.name(), v.version), spec,
                    PointInTimeJoin.Strategy.AUTO, labels);
            Map<String, Object> used = new LinkedHashMap<>();
            used.put("name", ref.name());
            used.put("version", v.version);
            used.put("fingerprint", v.fingerprint);
            used.put("path", v.path);
            used.put("ttlSeconds", v.ttlSeconds);
            manifest.views.add(used);
        }
        return out;
    }

    /**
     * Builds and writes the training set (overwriting {@code out}); fills the record. The recorded columns are
     * checked against the joined rows before anything is written.
     *
     * @param labels label rows
     * @param labelsSource where the labels came from, for the manifest
     * @param columns which columns are text, language, tenant, label time and each task's label
     * @param views the views
     * @param split the split, decided on the labels ({@link SplitPlan#choose} or {@link SplitPlan#byTime})
     * @param out output folder
     * @param record run record
     * @return the manifest written
     */
    public Manifest build(Dataset<Row> labels, String labelsSource, TrainingSetColumns columns, List<ViewRef> views,
            SplitPlan split, String out, RunRecord record) {
        Manifest manifest = new Manifest();
        manifest.labels = labelsSource;
        manifest.labelTimeColumn = columns.labelTime();
        manifest.columns = columns;
        manifest.runId = record.runId;
        manifest.split.putAll(split.describe());
        Dataset<Row> joined = split.apply(join(labels, columns.labelTime(), views, manifest));
        columns.check(joined.columns(), "training set " + out);
        joined.write().mode(SaveMode.Overwrite).parquet(out);
        for (Row r : spark.read().parquet(out).groupBy(SplitPlan.SPLIT).count().collectAsList()) {
            manifest.rows.put(r.isNullAt(0) ? "none" : r.getString(0), r.getLong(1));
        }
        manifest.createdAt = Instant.now();
        writeManifest(out, manifest);
        record.window.put("labels", labelsSource);
        manifest.rows.forEach((k, n) -> record.count("rows." + k, n));
        manifest.views.forEach(v -> record.versions.put("features." + v.get("name"), "v" + v.get("version")));
        record.details.put("output", out);
        record.details.put("split", split.method());
        LOG.info("Wrote training set {} ({} rows by split, {} split; columns {})", out, manifest.rows,
                split.method(), columns.roles());
        return manifest;
    }

    private void writeManifest(String out, Manifest manifest) {
        Path file = new Path(out, MANIFEST);
        try {
            FileSystem fs = file.getFileSystem(spark.sparkContext().hadoopConfiguration());
            try (OutputStream o = fs.create(file, true)) {
                o.write(FeatureRegistry.JSON.writeValueAsString(manifest).getBytes(StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write training-set manifest " + file + ": " + e.getMessage(), e);
        }
    }
}
