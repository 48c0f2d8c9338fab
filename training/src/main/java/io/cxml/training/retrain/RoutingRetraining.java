package io.cxml.training.retrain;

import io.cxml.features.TrainingColumns;
import io.cxml.runs.RunRecord;
import io.cxml.runtime.executor.ModelSource;
import io.cxml.runtime.routing.RoutingColumns;
import io.cxml.runtime.routing.RoutingData;
import io.cxml.runtime.routing.RoutingScorer;
import io.cxml.storage.StorageLayout;
import io.cxml.training.registry.EvaluationSets;
import io.cxml.training.registry.GateCheck;
import io.cxml.training.registry.ModelManifest;
import io.cxml.training.registry.ModelRegistry;
import io.cxml.training.registry.QualityGates;
import io.cxml.training.routing.GlobalLrBaseline;
import io.cxml.training.routing.RoutingEvaluation;
import io.cxml.training.routing.RoutingGates;
import io.cxml.training.routing.RoutingMetrics;
import io.cxml.training.routing.RoutingRun;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;

/**
 * One routing retraining: [drift check?] -> evaluation set (solved tickets with their point-in-time features, frozen)
 * -> train the challenger on the window without those tickets -> challenger and champion on the same frozen rows (the
 * champion reads today's intent probabilities by label, as scoring serves it) and on the window's held-out days ->
 * routing gates (tenants regressed, median tenant, overall top-1) -> promote or keep as challenger. Same run records
 * and decisions as {@link IntentRetraining}.
 */
public final class RoutingRetraining {
    /** Columns frozen with a routing evaluation set: the ticket and every input routing reads. */
    private static final List<String> BASE = List.of(RoutingData.TICKET_ID, TrainingColumns.TEXT,
            TrainingColumns.LABEL, TrainingColumns.LANGUAGE, TrainingColumns.TENANT, TrainingColumns.EVENT_TIME,
            RoutingColumns.CHANNEL, RoutingColumns.PRIORITY, RoutingColumns.TEAM_LOAD);

    private RoutingRetraining() {}

    /**
     * Retrains per-tenant routing on the solved tickets of the window, with their point-in-time features.
     *
     * @param spark the session
     * @param layout the storage layout (registry, feature store, run records)
     * @param record the run record of the whole retraining, filled here (written by the caller)
     * @param options what to retrain; {@link RetrainOptions#routing()} must be set
     * @return what was done
     * @throws Exception when a step failed (its record is written as failed)
     */
    public static RetrainResult run(SparkSession spark, StorageLayout layout, RunRecord record, RetrainOptions options)
            throws Exception {
        if (options.routing() == null) {
            throw new IllegalArgumentException("Cannot retrain " + options.name() + " as a routing model: the options "
                    + "hold intent settings. Call IntentRetraining.run, or build the options with setRouting(..)");
        }
        RetrainRun run = new RetrainRun(spark, layout, record, options);
        Optional<RetrainResult> skipped = run.skipUnlessDrifted();
        if (skipped.isPresent()) {
            return skipped.get();
        }
        String name = options.name();
        RetrainOptions.Routing routing = options.routing();
        ModelRegistry registry = new ModelRegistry(layout, run.hadoop);
        EvaluationSets sets = new EvaluationSets(layout, run.hadoop);
        Map<String, String> versions = new LinkedHashMap<>();
        Dataset<Row> window = RoutingData.fromFeatureStore(spark, layout,
                options.from().atStartOfDay(ZoneOffset.UTC).toInstant(),
                options.to().atStartOfDay(ZoneOffset.UTC).toInstant(), true, versions)
                .persist(StorageLevel.MEMORY_AND_DISK());
        versions.forEach((view, v) -> record.versions.put("features." + view, v));
        String describe = "solved tickets of curated/interactions [" + options.from() + ", " + options.to() + ") with "
                + versions.keySet();
        try {
            EvaluationSets.EvaluationSet set = run.step("eval-set", step -> {
                EvaluationSets.EvaluationSet s = sets.latest(name).orElseGet(() -> RetrainRun.freeze(spark, sets,
                        name, window, describe, frozenColumns(window), options.evalSetFraction(), record.runId));
                step.details.putAll(EvaluationSets.describe(s));
                return s;
            });
            record.details.put("eval_set", EvaluationSets.describe(set));
            Dataset<Row> evalRows = sets.load(spark, set);
            String championVersion = registry.aliases(name).champion();
            ModelManifest champion = RetrainRun.champion(registry, championVersion, name);

            Dataset<Row> training = window.join(evalRows.select(RoutingData.TICKET_ID), RoutingData.TICKET_ID,
                    "left_anti");
            RoutingRun.Outcome trained = run.step("train", step -> {
                RoutingRun.IntentInput intent = routing.intentModel().resolve(registry, run.hadoop);
                RoutingRun.Outcome o = RoutingRun.run(spark, registry, RoutingRun.Options.builder()
                        .setName(name).setRows(training)
                        .setDescription(describe + " without the tickets of evaluation set " + set.label())
                        .setTraining(routing.training()).setTextBuckets(routing.textBuckets())
                        .setValidationFraction(options.split().validation())
                        .setTestFraction(options.split().test()).optIntent(intent).optEmbedding(routing.embedding())
                        .setBatchSize(options.scoringBatchSize()).setDevice(options.device())
                        .setGates(routing.gates()).setFeatureVersions(versions).setRunId(record.runId).build());
                step.details.put("model", o.manifest().name() + "@" + o.manifest().version());
                step.details.put("report", o.reportUri());
                return o;
            });
            ModelManifest challenger = trained.manifest();
            run.markChallenger(registry, challenger, champion);

            RoutingMetrics onSet = run.step("evaluate", step -> {
                RoutingMetrics m = onEvaluationSet(run, registry, challenger, champion, evalRows, set);
                step.details.putAll(details(m, trained.metrics(), set));
                return m;
            });
            Map<String, Object> evaluation = details(onSet, trained.metrics(), set);
            record.details.put("evaluation", evaluation);
            String championLabel = champion == null ? null : name + "@" + champion.version();
            QualityGates floors = options.gates();
            List<GateCheck.Result> results = new ArrayList<>();
            results.addAll(RetrainRun.scoped(GateCheck.check(floors, measured(challenger, onSet), null), set.label()));
            results.addAll(RetrainRun.scoped(routing.gates().check(onSet, championLabel), set.label()));
            results.addAll(RetrainRun.scoped(topOneDrop(onSet, floors), set.label()));
            results.addAll(RetrainRun.scoped(routing.gates().check(trained.metrics(), championLabel), "recent"));
            return run.decide(registry, challenger, championVersion, set, evaluation, results,
                    () -> "largest top-1 change against the champion on " + set.label() + ":\n"
                            + RoutingGates.worstTenants(onSet, 10),
                    String.format("on %s (%,d tickets) and %,d recent held-out tickets", set.label(), set.rows(),
                            trained.metrics().overall.examples));
        } finally {
            window.unpersist();
        }
    }

    /** The base columns and the numeric features present, in the window's order. */
    private static String[] frozenColumns(Dataset<Row> window) {
        List<String> columns = new ArrayList<>(BASE);
        columns.addAll(RoutingColumns.present(window.schema(), RoutingData.NUMERIC));
        return columns.toArray(new String[0]);
    }

    /** Challenger and champion on the frozen rows, in one pass on the executors. */
    private static RoutingMetrics onEvaluationSet(RetrainRun run, ModelRegistry registry, ModelManifest challenger,
            ModelManifest champion, Dataset<Row> evalRows, EvaluationSets.EvaluationSet set) {
        RoutingEvaluation.Inputs rows = RoutingEvaluation.withIntent(evalRows, RoutingRun.intentOf(challenger,
                run.hadoop), champion == null ? null : RoutingRun.intentOf(champion, run.hadoop),
                run.options.scoringBatchSize(), run.options.device());
        String name = challenger.name();
        ModelSource championSource = champion == null ? null : RoutingScorer.source(registry.modelUri(name,
                champion.version()), name + "@" + champion.version(), run.hadoop);
        RoutingMetrics m = RoutingEvaluation.evaluate(rows, RoutingScorer.source(registry.modelUri(name,
                challenger.version()), name + "@" + challenger.version(), run.hadoop), championSource,
                GlobalLrBaseline.load(registry.versionUri(name, challenger.version()) + "/" + GlobalLrBaseline.DIR),
                "evaluation set " + set.label());
        if (m.overall.examples != set.rows()) {
            throw new IllegalStateException("Cannot compare " + name + " versions: " + m.overall.examples
                    + " of the " + set.rows() + " rows of evaluation set " + set.label() + " were scored");
        }
        return m;
    }

    /** The overall top-1 drop against the champion on the same rows (the routing gates judge tenants). */
    static List<GateCheck.Result> topOneDrop(RoutingMetrics m, QualityGates floors) {
        if (m.champion == null) {
            return List.of();
        }
        double drop = m.overall.getChampion() - m.overall.getTop1();
        return List.of(new GateCheck.Result("top-1 drop vs champion " + m.champion, "overall", drop,
                floors.maxAccuracyDrop(), drop <= floors.maxAccuracyDrop() + 1e-12));
    }

    /** The manifest with the figures measured on the set (the floors read the manifest's metrics). */
    private static ModelManifest measured(ModelManifest m, RoutingMetrics metrics) {
        return new ModelManifest(m.name(), m.version(), m.task(), m.createdAt(), m.params(), m.data(),
                m.featureVersions(), m.codeVersion(), RoutingRun.summary(metrics, false), m.baseline(), m.runId());
    }

    private static Map<String, Object> details(RoutingMetrics onSet, RoutingMetrics recent,
            EvaluationSets.EvaluationSet set) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("eval_set", set.label());
        d.put("eval_set_fingerprint", set.fingerprint());
        d.put("eval_rows", onSet.overall.examples);
        d.put("challenger", onSet.model);
        d.put("challenger_eval_top1", onSet.overall.getTop1());
        d.put("challenger_eval_top3", onSet.overall.getTop3());
        d.put("challenger_eval_median_tenant_top1", onSet.medianTenantTop1);
        d.put("eval_most_frequent_top1", onSet.overall.getMostFrequent());
        if (onSet.champion != null) {
            d.put("champion", onSet.champion);
            // One pass scores both versions on every row: the champion's row count is the challenger's.
            d.put("champion_eval_rows", onSet.overall.examples);
            d.put("champion_eval_top1", onSet.overall.getChampion());
        }
        d.put("recent_rows", recent.overall.examples);
        d.put("challenger_recent_top1", recent.overall.getTop1());
        if (recent.champion != null) {
            d.put("champion_recent_top1", recent.overall.getChampion());
        }
        return d;
    }
}
