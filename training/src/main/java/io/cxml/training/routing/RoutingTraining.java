package io.cxml.training.routing;

import static org.apache.spark.sql.functions.col;

import io.cxml.features.TrainingColumns;
import io.cxml.runtime.routing.PackedArtifact;
import io.cxml.runtime.routing.RoutingColumns;
import io.cxml.runtime.routing.RoutingFeatures;
import io.cxml.runtime.routing.RoutingIndex;
import io.cxml.runtime.routing.RoutingTrainingOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.functions;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.Tuple2;

/**
 * Trains one routing version from prepared, split rows ({@link RoutingColumns}, with {@link TrainingColumns#SPLIT}):
 * <ol>
 *   <li>the fit rows (train and validation windows) of each tenant keep only its current teams (seen in the last
 *       {@code lookbackDays} before its newest example) and its most recent {@code maxTenantExamples}; the trainer
 *       weighs them by recency ({@code halfLifeDays});</li>
 *   <li>tenants with at least {@code minTenantExamples} get their own model; they are packed into tasks by size
 *       ({@link TenantPlan}) and trained there, many per task ({@link TenantTrainingTask});</li>
 *   <li>one global model learns from a seeded sample of every tenant's recent rows, in one task: the fallback for
 *       small and unseen tenants;</li>
 *   <li>the index is written once every artifact is complete; artifacts of failed task attempts are deleted.</li>
 * </ol>
 * Only per-tenant counts and index entries reach the driver.
 */
public final class RoutingTraining {
    /** Column: a hash of the row's content, the tie-break of every ordering ({@link #withOrder}). */
    static final String ORDER = "_routing_order";
    private static final Logger LOG = LoggerFactory.getLogger(RoutingTraining.class);

    private RoutingTraining() {}

    /**
     * What a training produced.
     *
     * @param index the index written
     * @param fitRows rows the models learned from, after the lookback and the cap
     * @param droppedByLookback fit rows left out as older than a tenant's recent window
     * @param seconds wall time of the training tasks (tenant models and global model)
     */
    public record Trained(RoutingIndex index, long fitRows, long droppedByLookback, double seconds) {}

    /**
     * @param split prepared rows with a split column
     * @param features the feature spec
     * @param options training settings
     * @param modelUri the version's model directory (written here)
     * @param hadoop Hadoop configuration
     * @return the index and counts
     */
    public static Trained train(Dataset<Row> split, RoutingFeatures features, RoutingTrainingOptions options,
            String modelUri, Configuration hadoop) {
        Dataset<Row> fitAll = split.where(col(TrainingColumns.SPLIT).isin(TrainingColumns.TRAIN,
                TrainingColumns.VALIDATION).and(col(TrainingColumns.LABEL).isNotNull()));
        Dataset<Row> fit = recent(fitAll, options).persist(StorageLevel.MEMORY_AND_DISK());
        try {
            long start = System.nanoTime();
            Map<String, Map<String, Long>> teams = teamCounts(fit);
            long fitRows = teams.values().stream().flatMap(m -> m.values().stream()).mapToLong(Long::longValue)
                    .sum();
            long dropped = fitAll.count() - fitRows;
            if (fitRows == 0) {
                throw new IllegalArgumentException("Cannot train routing: no labelled row in the training window. "
                        + "Check that tickets are solved (label = the team that solved them) and the window");
            }
            Map<String, Long> ownModel = new TreeMap<>();
            RoutingIndex index = new RoutingIndex();
            index.features = features;
            index.options = options;
            teams.forEach((tenant, counts) -> {
                long n = counts.values().stream().mapToLong(Long::longValue).sum();
                if (tenant.isEmpty()) {
                    return; // rows without a tenant only feed the global model
                }
                if (n >= options.minTenantExamples()) {
                    ownModel.put(tenant, n);
                } else {
                    index.fallback.put(tenant, new RoutingIndex.Fallback(new ArrayList<>(new TreeSet<>(
                            counts.keySet())), (int) n, mostFrequent(counts)));
                }
            });
            LOG.info("routing: {} tenants get their own model, {} use the global model ({} fit rows, {} left out: "
                    + "a team absent from the tenant's last {} days, or beyond the per-tenant cap)", ownModel.size(), index.fallback.size(), fitRows, dropped,
                    options.lookbackDays());
            Map<String, String> conf = new HashMap<>();
            hadoop.forEach(e -> conf.put(e.getKey(), e.getValue()));
            mkdirs(modelUri, hadoop);
            index.global = trainGlobal(fit, features, options, modelUri, conf, fitRows);
            index.artifacts.add(RoutingIndex.GLOBAL_ARTIFACT);
            if (!ownModel.isEmpty()) {
                trainTenants(fit, features, options, modelUri, conf, TenantPlan.of(ownModel, options.tenantsPerTask()),
                        index);
            }
            deleteUnindexed(modelUri, index, hadoop);
            index.write(modelUri, hadoop);
            double seconds = (System.nanoTime() - start) / 1e9;
            LOG.info("routing: trained {} tenant models and the global model in {} s", index.tenants.size(),
                    String.format("%.1f", seconds));
            return new Trained(index, fitRows, dropped, seconds);
        } finally {
            fit.unpersist();
        }
    }

    /**
     * The rows with {@link #ORDER}: a hash of everything a row holds but its position (the row id that the splitter
     * numbers by partition, and the team-load map, which Spark cannot hash; the account load's other columns stand
     * in for it), so that every choice made among rows (the per-tenant cap, the global sample, the order in which a
     * model sees its examples) is the same whatever the input order and partitioning.
     *
     * @param rows routing rows
     * @return the rows with the order column (unchanged when they have it)
     */
    static Dataset<Row> withOrder(Dataset<Row> rows) {
        if (java.util.Arrays.asList(rows.columns()).contains(ORDER)) {
            return rows;
        }
        List<Column> content = new ArrayList<>();
        for (org.apache.spark.sql.types.StructField f : rows.schema().fields()) {
            if (!f.name().equals(TrainingColumns.ROW_ID)
                    && !(f.dataType() instanceof org.apache.spark.sql.types.MapType)) {
                content.add(col(f.name()));
            }
        }
        return rows.withColumn(ORDER, functions.xxhash64(content.toArray(new Column[0])));
    }

    /**
     * Each tenant's current teams and its most recent examples: rows whose team was not seen in the tenant's last
     * {@code lookbackDays} (before its newest row) are dropped, so a retired team is never learnt; then the newest
     * {@code maxTenantExamples} rows are kept.
     */
    static Dataset<Row> recent(Dataset<Row> fit, RoutingTrainingOptions options) {
        Column tenant = functions.coalesce(col(TrainingColumns.TENANT), functions.lit(""));
        Dataset<Row> out = withOrder(fit);
        if (options.lookbackDays() > 0) {
            out = out.withColumn("_newest", functions.max(col(TrainingColumns.EVENT_TIME))
                            .over(Window.partitionBy(tenant)))
                    .withColumn("_team_seen", functions.max(col(TrainingColumns.EVENT_TIME))
                            .over(Window.partitionBy(tenant, col(TrainingColumns.LABEL))))
                    .where(col("_newest").isNull().or(col("_team_seen").geq(col("_newest").minus(
                            functions.expr("INTERVAL " + options.lookbackDays() + " DAYS")))))
                    .drop("_newest", "_team_seen");
        }
        Column rank = functions.row_number().over(Window.partitionBy(tenant).orderBy(
                col(TrainingColumns.EVENT_TIME).desc_nulls_last(), col(ORDER)));
        return out.withColumn("_recency", rank).where(col("_recency").leq(options.maxTenantExamples()))
                .drop("_recency");
    }

    private static Map<String, Map<String, Long>> teamCounts(Dataset<Row> fit) {
        Map<String, Map<String, Long>> out = new TreeMap<>();
        for (Row r : fit.groupBy(functions.coalesce(col(TrainingColumns.TENANT), functions.lit("")).as("t"),
                col(TrainingColumns.LABEL)).count().collectAsList()) {
            out.computeIfAbsent(r.getString(0), k -> new TreeMap<>()).put(r.getString(1), r.getLong(2));
        }
        return out;
    }

    /**
     * The rows the global model and the MLlib baseline learn from: a seeded sample of about
     * {@code globalExamples} of the fit rows, capped there.
     *
     * @param fit the fit rows
     * @param options training settings
     * @param fitRows how many fit rows there are
     * @return the sample
     */
    static Dataset<Row> globalSample(Dataset<Row> fit, RoutingTrainingOptions options, long fitRows) {
        if (fitRows <= options.globalExamples()) {
            return fit;
        }
        // A seeded hash of the row's content, not Spark's sampler (whose draw depends on the partitioning): a
        // first cut to about 1.1x the target, then the rows of smallest key.
        double fraction = Math.min(1.0, 1.1 * options.globalExamples() / (double) fitRows);
        Column key = functions.pmod(functions.xxhash64(functions.lit(options.seed()), col(ORDER)),
                functions.lit(1L << 30)).divide((double) (1L << 30));
        return fit.withColumn("_sample_key", key).where(col("_sample_key").lt(fraction))
                .orderBy(col("_sample_key"), col(ORDER)).limit(options.globalExamples()).drop("_sample_key");
    }

    /** The most frequent team; ties go to the first name in order, so the choice is stable. */
    static String mostFrequent(Map<String, Long> counts) {
        return counts.entrySet().stream().max(Map.Entry.<String, Long>comparingByValue()
                .thenComparing(Map.Entry.comparingByKey(java.util.Comparator.reverseOrder()))).orElseThrow()
                .getKey();
    }

    private static RoutingIndex.Entry trainGlobal(Dataset<Row> fit, RoutingFeatures features,
            RoutingTrainingOptions options, String modelUri, Map<String, String> conf, long fitRows) {
        Dataset<Row> sample = globalSample(fit, options, fitRows).repartition(1);
        RoutingColumns columns = RoutingColumns.of(sample.schema(), features, TrainingColumns.TEXT);
        int time = java.util.Arrays.asList(sample.schema().fieldNames()).indexOf(TrainingColumns.EVENT_TIME);
        int order = sample.schema().fieldIndex(ORDER);
        List<String> out = sample.mapPartitions(new GlobalTask(features, columns, options, modelUri, conf, time, order),
                Encoders.STRING()).collectAsList();
        if (out.size() != 1) {
            throw new IllegalStateException("Cannot train the global routing model: expected one task result, got "
                    + out.size());
        }
        try {
            return RoutingIndex.JSON.readValue(out.get(0), RoutingIndex.Entry.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Trains the global model on every row of its single partition. */
    private record GlobalTask(RoutingFeatures features, RoutingColumns columns, RoutingTrainingOptions options,
            String modelUri, Map<String, String> conf, int time, int order)
            implements MapPartitionsFunction<Row, String> {
        @Override
        public Iterator<String> call(Iterator<Row> rows) throws Exception {
            List<Row> all = new ArrayList<>();
            rows.forEachRemaining(all::add);
            if (all.isEmpty()) {
                return java.util.Collections.emptyIterator();
            }
            io.cxml.runtime.executor.ExecutorSettings.applyForThisExecutor();
            Configuration hadoop = new Configuration(false);
            conf.forEach(hadoop::set);
            TenantTrainingTask.TrainedModel m = TenantTrainingTask.fit(all, features, columns, options, time, order,
                    false, TenantTrainingTask.GLOBAL_SALT);
            try (PackedArtifact artifact = PackedArtifact.create(modelUri, RoutingIndex.GLOBAL_ARTIFACT, hadoop)) {
                RoutingIndex.Entry entry = artifact.append(m.model(), all.size(), m.mostFrequentTeam());
                return List.of(RoutingIndex.JSON.writeValueAsString(entry)).iterator();
            }
        }
    }

    private static void trainTenants(Dataset<Row> fit, RoutingFeatures features, RoutingTrainingOptions options,
            String modelUri, Map<String, String> conf, TenantPlan plan, RoutingIndex index) {
        RoutingColumns columns = RoutingColumns.of(fit.schema(), features, TrainingColumns.TEXT);
        int tenantAt = fit.schema().fieldIndex(TrainingColumns.TENANT);
        int time = fit.schema().fieldIndex(TrainingColumns.EVENT_TIME);
        int order = fit.schema().fieldIndex(ORDER);
        JavaPairRDD<String, Row> byTenant = fit.javaRDD()
                .filter(r -> !r.isNullAt(tenantAt) && plan.contains(r.getString(tenantAt)))
                .mapToPair(r -> new Tuple2<>(r.getString(tenantAt), r))
                .repartitionAndSortWithinPartitions(plan);
        LOG.info("routing: training {} tenant models in {} tasks", plan.size(), plan.numPartitions());
        List<String> entries = byTenant.mapPartitionsWithIndex(new TenantTrainingTask(features, columns, options,
                modelUri, conf, time, order), false).collect();
        Set<String> artifacts = new TreeSet<>();
        for (String line : entries) {
            int tab = line.indexOf('\t');
            try {
                RoutingIndex.Entry e = RoutingIndex.JSON.readValue(line.substring(tab + 1), RoutingIndex.Entry.class);
                index.tenants.put(line.substring(0, tab), e);
                artifacts.add(e.artifact());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        index.artifacts.addAll(artifacts);
    }

    private static void mkdirs(String modelUri, Configuration hadoop) {
        try {
            Path dir = new Path(modelUri);
            dir.getFileSystem(hadoop).mkdirs(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create " + modelUri + ": " + e.getMessage(), e);
        }
    }

    /** Artifacts of task attempts whose results the driver did not receive (retried, speculative) are removed. */
    private static void deleteUnindexed(String modelUri, RoutingIndex index, Configuration hadoop) {
        Set<String> keep = new HashSet<>(index.artifacts);
        try {
            Path dir = new Path(modelUri);
            FileSystem fs = dir.getFileSystem(hadoop);
            for (FileStatus f : fs.listStatus(dir)) {
                String name = f.getPath().getName();
                if (name.endsWith(".bin") && !keep.contains(name)) {
                    LOG.info("routing: removing {} (a task attempt whose result was not used)", name);
                    fs.delete(f.getPath(), false);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot clean " + modelUri + ": " + e.getMessage(), e);
        }
    }
}
