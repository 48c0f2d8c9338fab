package io.cxml.training.retrain;

import io.cxml.features.TrainingColumns;
import io.cxml.runs.RunRecord;
import io.cxml.runtime.executor.ModelSource;
import io.cxml.storage.StorageLayout;
import io.cxml.training.data.CuratedIntentSource;
import io.cxml.training.data.DataSplitter;
import io.cxml.training.data.TrainingSetSource;
import io.cxml.training.eval.Metrics;
import io.cxml.training.registry.EvaluationSets;
import io.cxml.training.registry.GateCheck;
import io.cxml.training.registry.ModelManifest;
import io.cxml.training.registry.ModelRegistry;
import io.cxml.training.registry.QualityGates;
import io.cxml.training.text.ExecutorEvaluation;
import io.cxml.training.text.TextModelTraining;
import io.cxml.training.text.TrainOutcome;
import io.cxml.training.text.TrainRunOptions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.storage.StorageLevel;

/**
 * One intent retraining: [drift check?] -> evaluation set -> train the challenger -> measure challenger and champion
 * on the same rows -> gates -> promote or keep as challenger. The whole run fills the caller's run record; each step
 * also writes its own ({@code runs/<job>-<step>/}), so that a failed step says where the run stopped.
 */
public final class IntentRetraining {
    private IntentRetraining() {}

    /**
     * Retrains the intent model on the curated tickets of the window.
     *
     * @param spark the session
     * @param layout the storage layout (registry, curated tickets, run records)
     * @param record the run record of the whole retraining, filled here (written by the caller)
     * @param options what to retrain; {@link RetrainOptions#intent()} must be set
     * @return what was done
     * @throws Exception when a step failed (its record is written as failed)
     */
    public static RetrainResult run(SparkSession spark, StorageLayout layout, RunRecord record, RetrainOptions options)
            throws Exception {
        if (options.intent() == null) {
            throw new IllegalArgumentException("Cannot retrain " + options.name() + " as an intent model: the options "
                    + "hold routing settings. Call RoutingRetraining.run, or build the options with setIntent(..)");
        }
        RetrainRun run = new RetrainRun(spark, layout, record, options);
        Optional<RetrainResult> skipped = run.skipUnlessDrifted();
        if (skipped.isPresent()) {
            return skipped.get();
        }
        String name = options.name();
        RetrainOptions.Intent intent = options.intent();
        ModelRegistry registry = new ModelRegistry(layout, run.hadoop);
        EvaluationSets sets = new EvaluationSets(layout, run.hadoop);
        TrainingSetSource window = new CuratedIntentSource(layout, intent.labels(), intent.languages(),
                options.from(), options.to());

        EvaluationSets.EvaluationSet set = run.step("eval-set", step -> {
            EvaluationSets.EvaluationSet s = sets.latest(name).orElseGet(() -> RetrainRun.freeze(spark, sets, name,
                    window.load(spark), window.describe(), TrainingColumns.SCHEMA.fieldNames(),
                    options.evalSetFraction(), record.runId));
            step.details.putAll(EvaluationSets.describe(s));
            return s;
        });
        record.details.put("eval_set", EvaluationSets.describe(set));
        Dataset<Row> evalRows = sets.load(spark, set).persist(StorageLevel.MEMORY_AND_DISK());
        try {
            String championVersion = registry.aliases(name).champion();
            ModelManifest champion = RetrainRun.champion(registry, championVersion, name);
            TrainingSetSource source = new WithoutEvaluationRows(window, evalRows, set.label());
            TrainOutcome trained = run.step("train", step -> {
                TrainOutcome o = new TextModelTraining(spark, registry).run(TrainRunOptions.builder()
                        .setName(name).setTask(name).setSource(source).setTraining(intent.training())
                        .setSplit(options.split()).setUnknownThreshold(intent.unknownThreshold())
                        .optBaseline(intent.baseline()).setRunId(record.runId)
                        .setScoringBatchSize(options.scoringBatchSize()).optOutOfScopeLabel(intent.outOfScopeLabel())
                        .build());
                step.details.put("model", o.manifest().name() + "@" + o.manifest().version());
                step.details.put("report", o.reportUri());
                return o;
            });
            ModelManifest challenger = trained.manifest();
            run.markChallenger(registry, challenger, champion);

            Dataset<Row> recent = new DataSplitter(options.split(), intent.training().seed())
                    .split(source.load(spark))
                    .where(functions.col(TrainingColumns.SPLIT).equalTo(TrainingColumns.TEST))
                    .persist(StorageLevel.MEMORY_AND_DISK());
            Comparison comparison;
            try {
                comparison = run.step("evaluate", step -> {
                    Comparison c = compare(run, registry, challenger, champion, evalRows, recent, set);
                    step.details.putAll(c.details());
                    return c;
                });
            } finally {
                recent.unpersist();
            }
            record.details.put("evaluation", comparison.details());
            QualityGates gates = options.gates();
            List<GateCheck.Result> results = new ArrayList<>();
            results.addAll(RetrainRun.scoped(GateCheck.check(gates, comparison.challengerOnSet(),
                    comparison.championOnSet()), set.label()));
            if (comparison.challengerOnRecent() != null) {
                results.addAll(RetrainRun.scoped(GateCheck.check(gates, comparison.challengerOnRecent(),
                        comparison.championOnRecent()), "recent"));
            }
            return run.decide(registry, challenger, championVersion, set, comparison.details(), results, null,
                    String.format("on %s (%,d rows) and %,d recent held-out rows", set.label(), set.rows(),
                            comparison.recentRows()));
        } finally {
            evalRows.unpersist();
        }
    }

    /** Challenger and champion on the evaluation set and the recent held-out rows, as manifests for the gates. */
    record Comparison(ModelManifest challengerOnSet, ModelManifest championOnSet, ModelManifest challengerOnRecent,
            ModelManifest championOnRecent, long recentRows, Map<String, Object> details) {}

    private static Comparison compare(RetrainRun run, ModelRegistry registry, ModelManifest challenger,
            ModelManifest champion, Dataset<Row> evalRows, Dataset<Row> recent, EvaluationSets.EvaluationSet set) {
        Map<String, Object> d = new LinkedHashMap<>();
        Metrics cSet = evaluate(run, registry, challenger, evalRows);
        Metrics hSet = champion == null ? null : evaluate(run, registry, champion, evalRows);
        long recentRows = recent.count();
        Metrics cRecent = recentRows == 0 ? null : evaluate(run, registry, challenger, recent);
        Metrics hRecent = recentRows == 0 || champion == null ? null : evaluate(run, registry, champion, recent);
        if (cSet.examples() != set.rows() || (hSet != null && hSet.examples() != cSet.examples())
                || (hRecent != null && hRecent.examples() != cRecent.examples())) {
            throw new IllegalStateException("Cannot compare " + challenger.name() + " versions on different rows: "
                    + "challenger " + cSet.examples() + ", champion " + (hSet == null ? "-" : hSet.examples()) + " of "
                    + set.rows() + " evaluation rows");
        }
        d.put("eval_set", set.label());
        d.put("eval_set_fingerprint", set.fingerprint());
        d.put("eval_rows", cSet.examples());
        d.put("challenger", challenger.name() + "@" + challenger.version());
        d.put("challenger_eval_accuracy", cSet.accuracy());
        d.put("challenger_eval_macro_f1", cSet.macroF1());
        if (hSet != null) {
            d.put("champion", champion.name() + "@" + champion.version());
            d.put("champion_eval_rows", hSet.examples());
            d.put("champion_eval_accuracy", hSet.accuracy());
            d.put("champion_eval_macro_f1", hSet.macroF1());
        }
        d.put("recent_rows", recentRows);
        if (cRecent != null) {
            d.put("challenger_recent_accuracy", cRecent.accuracy());
        }
        if (hRecent != null) {
            d.put("champion_recent_accuracy", hRecent.accuracy());
        }
        return new Comparison(measured(challenger, cSet), hSet == null ? null : measured(champion, hSet),
                cRecent == null ? null : measured(challenger, cRecent),
                hRecent == null ? null : measured(champion, hRecent), recentRows, d);
    }

    private static Metrics evaluate(RetrainRun run, ModelRegistry registry, ModelManifest m, Dataset<Row> rows) {
        String uri = registry.modelUri(m.name(), m.version());
        return ExecutorEvaluation.evaluate(rows, new ExecutorEvaluation.Scoring(
                ModelSource.of(uri, m.name() + "@" + m.version(), run.hadoop), ModelSource.readSpec(uri, run.hadoop),
                run.options.scoringBatchSize(), run.options.device()), run.options.intent().outOfScopeLabel());
    }

    /** The manifest with its metrics replaced by the ones measured here (the gates read the manifest's metrics). */
    private static ModelManifest measured(ModelManifest m, Metrics metrics) {
        return new ModelManifest(m.name(), m.version(), m.task(), m.createdAt(), m.params(), m.data(),
                m.featureVersions(), m.codeVersion(), TextModelTraining.summary(metrics), m.baseline(), m.runId());
    }

    /** A training source without the rows of the evaluation set (matched on text and label). */
    static final class WithoutEvaluationRows implements TrainingSetSource {
        private final TrainingSetSource source;
        private final Dataset<Row> evalRows;
        private final String set;

        WithoutEvaluationRows(TrainingSetSource source, Dataset<Row> evalRows, String set) {
            this.source = source;
            this.evalRows = evalRows;
            this.set = set;
        }

        @Override
        public Dataset<Row> load(SparkSession spark) {
            Dataset<Row> held = evalRows.select(TrainingColumns.TEXT, TrainingColumns.LABEL).distinct();
            Dataset<Row> rows = source.load(spark);
            // The truth (generated data) rides along where the source has it: the report measures against it.
            java.util.List<String> keep = new java.util.ArrayList<>(java.util.List.of(TrainingColumns.TEXT,
                    TrainingColumns.LABEL, TrainingColumns.LANGUAGE, TrainingColumns.TENANT,
                    TrainingColumns.EVENT_TIME));
            if (java.util.Arrays.asList(rows.columns()).contains(TrainingColumns.TRUTH)) {
                keep.add(TrainingColumns.TRUTH);
            }
            return rows.join(held, new String[] {TrainingColumns.TEXT, TrainingColumns.LABEL}, "left_anti")
                    .select(keep.stream().map(functions::col).toArray(org.apache.spark.sql.Column[]::new));
        }

        @Override
        public io.cxml.training.data.LabelStats labelStats(SparkSession spark) {
            return source.labelStats(spark);
        }

        @Override
        public String describe() {
            return source.describe() + " without the rows of evaluation set " + set;
        }

        @Override
        public Optional<String> weakLabelRule() {
            return source.weakLabelRule();
        }
    }
}
