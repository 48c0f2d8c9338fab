package io.cxml.training.routing;

import ai.djl.Device;
import io.cxml.runtime.executor.ExecutorSettings;
import io.cxml.runtime.routing.PackedArtifact;
import io.cxml.runtime.routing.RoutingColumns;
import io.cxml.runtime.routing.RoutingExample;
import io.cxml.runtime.routing.RoutingFeatures;
import io.cxml.runtime.routing.RoutingIndex;
import io.cxml.runtime.routing.RoutingTrainingOptions;
import io.cxml.runtime.routing.TenantModel;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.Function2;
import org.apache.spark.sql.Row;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.Tuple2;

/**
 * The body of one routing training task: its rows arrive sorted by tenant; each tenant's examples (at most
 * {@link RoutingTrainingOptions#maxTenantExamples()}, already cut upstream) are gathered, put in a fixed order,
 * vectorised and trained ({@link LinearRoutingTrainer}), and the model appended to the task's packed artifact.
 * Returns one index entry per tenant, as {@code tenant \t json}.
 */
final class TenantTrainingTask implements Function2<Integer, Iterator<Tuple2<String, Row>>, Iterator<String>> {
    private static final long serialVersionUID = 1L;
    /** Seed salt of the global model (a tenant's is derived from its id). */
    static final long GLOBAL_SALT = 0x610BA1L;
    private static final Logger LOG = LoggerFactory.getLogger(TenantTrainingTask.class);

    private final RoutingFeatures features;
    private final RoutingColumns columns;
    private final RoutingTrainingOptions options;
    private final String modelUri;
    private final HashMap<String, String> hadoopConf;
    private final int timeColumn;
    private final int orderColumn;

    TenantTrainingTask(RoutingFeatures features, RoutingColumns columns, RoutingTrainingOptions options,
            String modelUri, Map<String, String> hadoopConf, int timeColumn, int orderColumn) {
        this.features = features;
        this.columns = columns;
        this.options = options;
        this.modelUri = modelUri;
        this.hadoopConf = new HashMap<>(hadoopConf);
        this.timeColumn = timeColumn;
        this.orderColumn = orderColumn;
    }

    @Override
    public Iterator<String> call(Integer partition, Iterator<Tuple2<String, Row>> rows) throws Exception {
        if (!rows.hasNext()) {
            return java.util.Collections.emptyIterator();
        }
        ExecutorSettings.applyForThisExecutor();
        Configuration conf = new Configuration(false);
        hadoopConf.forEach(conf::set);
        TaskContext task = TaskContext.get();
        String name = String.format("tenants-%05d-%d.bin", partition, task == null ? 0 : task.attemptNumber());
        List<String> out = new ArrayList<>();
        long start = System.nanoTime();
        try (PackedArtifact artifact = PackedArtifact.create(modelUri, name, conf)) {
            String tenant = null;
            List<Row> group = new ArrayList<>();
            while (rows.hasNext()) {
                Tuple2<String, Row> next = rows.next();
                if (tenant != null && !tenant.equals(next._1())) {
                    out.add(train(tenant, group, artifact));
                    group.clear();
                    logProgress(out.size(), start, partition);
                }
                tenant = next._1();
                group.add(next._2());
            }
            out.add(train(tenant, group, artifact));
        }
        LOG.info("routing task {}: trained {} tenant models in {} s", partition, out.size(),
                String.format("%.1f", (System.nanoTime() - start) / 1e9));
        return out.iterator();
    }

    private static void logProgress(int done, long start, int partition) {
        if (done % 100 == 0) {
            LOG.info("routing task {}: {} tenant models trained ({} models/s)", partition, done,
                    String.format("%.1f", done / ((System.nanoTime() - start) / 1e9)));
        }
    }

    private String train(String tenant, List<Row> rows, PackedArtifact artifact) throws Exception {
        TrainedModel m = fit(rows, features, columns, options, timeColumn, orderColumn, true, tenantSalt(tenant));
        RoutingIndex.Entry entry = artifact.append(m.model(), rows.size(), m.mostFrequentTeam());
        return tenant + "\t" + RoutingIndex.JSON.writeValueAsString(entry);
    }

    /**
     * A tenant's seed salt, from its id alone (String.hashCode is specified, so every JVM agrees): the tenant's
     * model does not depend on which task or which other tenants it was trained with.
     *
     * @param tenant the tenant id
     * @return the salt mixed into the training seed
     */
    static long tenantSalt(String tenant) {
        return tenant.hashCode();
    }

    /**
     * A trained model and its most frequent training team.
     *
     * @param model the model
     * @param mostFrequentTeam the most frequent team
     */
    record TrainedModel(TenantModel model, String mostFrequentTeam) {}

    /** Weight 0.5^(age / half-life), age counted back from the newest of the rows (sorted oldest first). */
    static float[] recencyWeights(List<Row> sorted, int timeColumn, int halfLifeDays) {
        if (halfLifeDays <= 0 || timeColumn < 0 || sorted.get(sorted.size() - 1).isNullAt(timeColumn)) {
            return null;
        }
        long newest = ((java.sql.Timestamp) sorted.get(sorted.size() - 1).get(timeColumn)).getTime();
        float[] w = new float[sorted.size()];
        for (int i = 0; i < w.length; i++) {
            Row r = sorted.get(i);
            double ageDays = r.isNullAt(timeColumn) ? 0
                    : (newest - ((java.sql.Timestamp) r.get(timeColumn)).getTime()) / 86_400_000.0;
            w[i] = (float) Math.pow(0.5, ageDays / halfLifeDays);
        }
        return w;
    }

    /**
     * Trains one model on rows (their order does not matter: they are sorted first, oldest first, ties by content).
     *
     * @param rows the examples
     * @param features the feature spec
     * @param columns the row positions
     * @param options training settings
     * @param timeColumn position of the event time (-1: none)
     * @param orderColumn position of the rows' content hash ({@link RoutingTraining#ORDER})
     * @param teamLoad whether the team-load block is used (tenant models: yes; the global model: no)
     * @param salt per-model seed salt
     * @return the model
     */
    static TrainedModel fit(List<Row> rows, RoutingFeatures features, RoutingColumns columns,
            RoutingTrainingOptions options, int timeColumn, int orderColumn, boolean teamLoad, long salt) {
        List<RoutingExample> examples = new ArrayList<>(rows.size());
        List<Row> sorted = new ArrayList<>(rows);
        sorted.sort(Comparator.<Row, Long>comparing(r -> timeColumn < 0 || r.isNullAt(timeColumn) ? 0L
                : ((java.sql.Timestamp) r.get(timeColumn)).getTime()).thenComparing(r -> r.getLong(orderColumn)));
        Map<String, Long> counts = new TreeMap<>();
        for (Row r : sorted) {
            RoutingExample e = columns.example(r);
            examples.add(e);
            counts.merge(e.team(), 1L, Long::sum);
        }
        List<String> teams = new ArrayList<>(new TreeSet<>(counts.keySet()));
        String mostFrequent = RoutingTraining.mostFrequent(counts);
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < teams.size(); i++) {
            index.put(teams.get(i), i);
        }
        float[][] x = new float[examples.size()][];
        int[] y = new int[examples.size()];
        for (int i = 0; i < x.length; i++) {
            x[i] = features.vector(examples.get(i), teamLoad ? teams : null);
            y[i] = index.get(examples.get(i).team());
        }
        float[] weight = recencyWeights(sorted, timeColumn, options.halfLifeDays());
        // Routing models are a few thousand weights: a CPU step is cheaper than a GPU kernel launch.
        TenantModel model = LinearRoutingTrainer.train(x, y, weight, teams, options, Device.cpu(),
                options.seed() ^ salt);
        return new TrainedModel(model, mostFrequent);
    }
}
