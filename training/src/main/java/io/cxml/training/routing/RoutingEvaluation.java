package io.cxml.training.routing;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.sum;

import io.cxml.features.TrainingColumns;
import io.cxml.runtime.executor.ModelSource;
import io.cxml.runtime.routing.EmbeddingProjection;
import io.cxml.runtime.routing.Routed;
import io.cxml.runtime.routing.RoutingColumns;
import io.cxml.runtime.routing.RoutingExample;
import io.cxml.runtime.routing.RoutingFeatures;
import io.cxml.runtime.routing.RoutingIndex;
import io.cxml.runtime.routing.RoutingScorer;
import io.cxml.runtime.routing.TenantModel;
import io.cxml.runtime.stages.AppendColumns;
import io.cxml.runtime.stages.EmbeddingStage;
import io.cxml.training.profile.Profile;
import io.cxml.training.profile.ProfileColumns;
import io.cxml.training.profile.Profiler;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;

/**
 * Scores labelled routing rows on the executors with a routing version (exactly as batch scoring does), its
 * champion when given, and the two baselines, and aggregates hits per tenant, language and team there: only counts
 * reach the driver ({@link RoutingMetrics}).
 */
public final class RoutingEvaluation {
    private static final StructType PER_ROW = new StructType()
            .add("tenant", DataTypes.StringType, false)
            .add("language", DataTypes.StringType, false)
            .add("source", DataTypes.StringType, false)
            .add("team", DataTypes.StringType, false)
            .add("predicted", DataTypes.StringType, false)
            .add("confidence", DataTypes.DoubleType, false)
            .add("top1", DataTypes.IntegerType, false)
            .add("top3", DataTypes.IntegerType, false)
            .add("mf", DataTypes.IntegerType, false)
            .add("lr", DataTypes.IntegerType, false)
            .add("champion", DataTypes.IntegerType, false)
            .add("channel", DataTypes.StringType, true)
            .add("priority", DataTypes.StringType, true)
            .add("text_chars", DataTypes.DoubleType, false);

    private static final int EMBEDDING_BATCH = 256;

    private RoutingEvaluation() {}

    /**
     * @param rows labelled rows ({@link RoutingColumns}, with intent probabilities when the version reads them)
     * @param candidate the version evaluated
     * @param champion the champion to score on the same rows, or null
     * @param baseline the global MLlib baseline, or null
     * @param description what the rows are, for the report
     * @return the metrics
     */
    public static RoutingMetrics evaluate(Dataset<Row> rows, ModelSource candidate, ModelSource champion,
            GlobalLrBaseline baseline, String description) {
        return evaluate(new Inputs(rows, RoutingIndex.read(candidate.uri(), candidate.hadoop()).features
                .intentLabels()), candidate, champion, baseline, description);
    }

    /**
     * Labelled rows and the labels of the intent model whose probabilities they carry (empty: none).
     *
     * @param rows the rows
     * @param intentLabels labels of {@link RoutingColumns#INTENT}, in its order
     */
    public record Inputs(Dataset<Row> rows, List<String> intentLabels) {}

    /**
     * Adds the intent probabilities the compared versions read: the candidate's intent model, else the champion's
     * (a candidate trained without intent must not leave the champion without its input). Each version then reads
     * them by label.
     *
     * @param rows labelled rows
     * @param candidate the candidate's intent input, or null
     * @param champion the champion's, or null
     * @param batchSize texts per predictor call
     * @param device device preference
     * @return the inputs
     */
    public static Inputs withIntent(Dataset<Row> rows, RoutingRun.IntentInput candidate,
            RoutingRun.IntentInput champion, int batchSize, io.cxml.runtime.executor.DevicePreference device) {
        RoutingRun.IntentInput producer = candidate != null ? candidate : champion;
        return producer == null ? new Inputs(rows, List.of()) : new Inputs(RoutingIntent.add(rows, producer.source(),
                batchSize, device), producer.spec().labels());
    }

    /**
     * @param inputs labelled rows and the labels of their intent probabilities
     * @param candidate the version evaluated
     * @param champion the champion to score on the same rows, or null
     * @param baseline the global MLlib baseline, or null
     * @param description what the rows are, for the report
     * @return the metrics
     */
    public static RoutingMetrics evaluate(Inputs inputs, ModelSource candidate, ModelSource champion,
            GlobalLrBaseline baseline, String description) {
        return evaluate(inputs, candidate, champion, baseline, description, null).metrics();
    }

    /**
     * The metrics and, when asked, the candidate's reference profile of the same rows (drift monitoring): the
     * inputs' mix, the routed team as the predicted class, its confidence, and as "unknown" the tickets the
     * tenant's own model did not route (a fallback).
     *
     * @param metrics the metrics
     * @param profile the profile, or null
     */
    public record Evaluated(RoutingMetrics metrics, Profile profile) {}

    /**
     * @param inputs labelled rows and the labels of their intent probabilities
     * @param candidate the version evaluated
     * @param champion the champion to score on the same rows, or null
     * @param baseline the global MLlib baseline, or null
     * @param description what the rows are, for the report
     * @param profileFacts facts of the reference profile to compute, or null for none
     * @return the metrics and the profile
     */
    public static Evaluated evaluate(Inputs inputs, ModelSource candidate, ModelSource champion,
            GlobalLrBaseline baseline, String description, Map<String, String> profileFacts) {
        Dataset<Row> rows = inputs.rows();
        RoutingIndex index = RoutingIndex.read(candidate.uri(), candidate.hadoop());
        RoutingIndex championIndex = champion == null ? null : RoutingIndex.read(champion.uri(), champion.hadoop());
        Dataset<Row> labelled = withVectors(withVectors(rows.where(col(TrainingColumns.LABEL).isNotNull()),
                index.features), championIndex == null ? null : championIndex.features);
        Dataset<Row> input = labelled;
        List<String> lrLabels = null;
        if (baseline != null) {
            input = baseline.transform(RoutingVectors.add(labelled, index.features, TrainingColumns.TEXT));
            lrLabels = baseline.labels();
        }
        RoutingColumns read = RoutingColumns.of(input.schema(), index.features, TrainingColumns.TEXT);
        RoutingColumns columns = read.withIntentLabels(inputs.intentLabels(), index.features.intentLabels());
        int lrAt = baseline == null ? -1 : input.schema().fieldIndex(GlobalLrBaseline.PROBABILITY);
        // The champion reads the rows' intent probabilities by label, as scoring serves it with today's intent model.
        RoutingColumns championColumns = champion == null ? columns : read.withIntentLabels(inputs.intentLabels(),
                championIndex.features.intentLabels());
        StructType appended = input.schema();
        List<org.apache.spark.sql.Column> named = new java.util.ArrayList<>();
        for (org.apache.spark.sql.types.StructField f : PER_ROW.fields()) {
            appended = appended.add(f.copy("_eval_" + f.name(), f.dataType(), f.nullable(), f.metadata()));
            named.add(col("_eval_" + f.name()).as(f.name()));
        }
        Dataset<Row> perRow = AppendColumns.apply(input, appended, 256, new Score(candidate, champion, columns,
                championColumns, lrAt, lrLabels)).select(named.toArray(new org.apache.spark.sql.Column[0])).persist(StorageLevel.MEMORY_AND_DISK());
        try {
            RoutingMetrics m = new RoutingMetrics();
            m.model = candidate.label();
            m.evaluatedOn = description;
            m.champion = champion == null ? null : champion.label();
            for (Row r : perRow.groupBy("tenant", "language", "source").agg(count("*"), sum("top1"), sum("top3"),
                    sum("mf"), sum("lr"), sum("champion")).collectAsList()) {
                RoutingMetrics.Slice s = new RoutingMetrics.Slice();
                s.examples = r.getLong(3);
                s.top1Hits = r.getLong(4);
                s.top3Hits = r.getLong(5);
                s.mostFrequentHits = r.getLong(6);
                s.globalLrHits = r.getLong(7);
                s.championHits = r.getLong(8);
                m.overall.add(s);
                m.perLanguage.computeIfAbsent(r.getString(1), k -> new RoutingMetrics.Slice()).add(s);
                RoutingMetrics.Slice t = m.perTenant.computeIfAbsent(r.getString(0), k -> new RoutingMetrics.Slice());
                t.add(s);
                t.source = r.getString(2);
            }
            m.macroF1 = macroF1(perRow.groupBy("team", "predicted").count().collectAsList());
            m.ece = ece(perRow.groupBy(org.apache.spark.sql.functions.least(
                    org.apache.spark.sql.functions.floor(col("confidence").multiply(10)),
                    org.apache.spark.sql.functions.lit(9))).agg(count("*"), sum("confidence"), sum("top1"))
                    .collectAsList(), m.overall.examples);
            m.summarise();
            Profile profile = profileFacts == null ? null : Profiler.profile(perRow.select(
                    col("language").as(ProfileColumns.LANGUAGE), col("channel").as(ProfileColumns.CHANNEL),
                    col("priority").as(ProfileColumns.PRIORITY), col("tenant").as(ProfileColumns.TENANT),
                    col("team").as(ProfileColumns.TEAM), col("text_chars").as(ProfileColumns.TEXT_CHARS),
                    org.apache.spark.sql.functions.nullif(col("predicted"), org.apache.spark.sql.functions.lit(""))
                            .as(ProfileColumns.PREDICTED),
                    col("confidence").as(ProfileColumns.CONFIDENCE),
                    col("source").notEqual(Routed.TENANT).as(ProfileColumns.UNKNOWN)), null, profileFacts);
            return new Evaluated(m, profile);
        } finally {
            perRow.unpersist();
        }
    }

    /** The ticket vectors a version reads, when it reads some and the rows lack them (stored first, then embedded). */
    private static Dataset<Row> withVectors(Dataset<Row> rows, RoutingFeatures features) {
        EmbeddingProjection p = features == null ? null : features.embedding();
        return p == null ? rows : EmbeddingStage.withVectors(rows, TrainingColumns.TEXT, p.encoder(),
                EMBEDDING_BATCH, io.cxml.runtime.executor.DevicePreference.AUTO);
    }

    static double macroF1(List<Row> pairs) {
        Map<String, long[]> perTeam = new HashMap<>(); // tp, fp, fn
        for (Row r : pairs) {
            String truth = r.getString(0);
            String predicted = r.getString(1);
            long n = r.getLong(2);
            if (truth.equals(predicted)) {
                perTeam.computeIfAbsent(truth, k -> new long[3])[0] += n;
            } else {
                perTeam.computeIfAbsent(predicted, k -> new long[3])[1] += n;
                perTeam.computeIfAbsent(truth, k -> new long[3])[2] += n;
            }
        }
        double sum = 0;
        int teams = 0;
        for (long[] c : perTeam.values()) {
            if (c[0] + c[2] == 0) {
                continue; // predicted but never the truth: counted in the others' precision only
            }
            double p = c[0] + c[1] == 0 ? 0 : (double) c[0] / (c[0] + c[1]);
            double rcl = (double) c[0] / (c[0] + c[2]);
            sum += p + rcl == 0 ? 0 : 2 * p * rcl / (p + rcl);
            teams++;
        }
        return teams == 0 ? 0 : sum / teams;
    }

    static double ece(List<Row> bins, long total) {
        double e = 0;
        for (Row r : bins) {
            long n = r.getLong(1);
            e += Math.abs(r.getDouble(2) / n - (double) r.getLong(3) / n) * n / Math.max(1, total);
        }
        return e;
    }

    /** The executor side: each row routed by the candidate (and the champion) and scored against its team. */
    private record Score(ModelSource candidate, ModelSource champion, RoutingColumns columns,
            RoutingColumns championColumns, int lrAt, List<String> lrLabels) implements AppendColumns.Scorer {
        @Override
        public AppendColumns.Batch open() {
            RoutingScorer scorer = RoutingScorer.get(candidate);
            RoutingScorer championScorer = champion != null ? RoutingScorer.get(champion) : null;
            Map<String, Set<String>> teams = new HashMap<>();
            return AppendColumns.Batch.eachRow(r -> {
                RoutingExample e = columns.example(r);
                Routed routed = scorer.route(e, null);
                String truth = e.team();
                int top3 = 0;
                for (TenantModel.Scored s : routed.top()) {
                    top3 |= s.team().equals(truth) ? 1 : 0;
                }
                String mf = scorer.index().mostFrequentTeam(e.tenant());
                if (mf == null) {
                    mf = scorer.index().global.mostFrequentTeam();
                }
                int lr = 0;
                if (lrAt >= 0) {
                    Set<String> allowed = e.tenant() == null ? null : teams.computeIfAbsent(e.tenant(), t -> {
                        List<String> known = scorer.index().teamsOf(t);
                        return known == null ? null : new HashSet<>(known);
                    });
                    lr = truth.equals(bestAllowed((Vector) r.get(lrAt), lrLabels, allowed)) ? 1 : 0;
                }
                int champ = 0;
                if (championScorer != null) {
                    Routed c = championScorer.route(championColumns == columns ? e : championColumns.example(r),
                            null);
                    champ = truth.equals(c.team()) ? 1 : 0;
                }
                String predicted = routed.team() == null ? "" : routed.team();
                return new Object[] {e.tenant() == null ? "" : e.tenant(),
                    e.language() == null ? "unknown" : e.language(), routed.source(), truth, predicted,
                    routed.confidence(), predicted.equals(truth) ? 1 : 0, top3, truth.equals(mf) ? 1 : 0, lr,
                    champ, e.channel(), e.priority(), e.text() == null ? 0.0 : (double) e.text().length()};
            });
        }

        private static String bestAllowed(Vector p, List<String> labels, Set<String> allowed) {
            String best = null;
            double max = -1;
            for (int i = 0; i < labels.size() && i < p.size(); i++) {
                if ((allowed == null || allowed.contains(labels.get(i))) && p.apply(i) > max) {
                    max = p.apply(i);
                    best = labels.get(i);
                }
            }
            return best;
        }
    }
}
