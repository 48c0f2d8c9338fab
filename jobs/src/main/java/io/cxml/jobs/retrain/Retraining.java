package io.cxml.jobs.retrain;

import io.cxml.inference.monitoring.DriftLevel;
import io.cxml.jobs.cli.JobRun;
import io.cxml.jobs.config.ConfigError;
import io.cxml.jobs.config.CxmlConfig;
import io.cxml.jobs.monitor.MonitorDriftCommand;
import io.cxml.jobs.training.TrainingSettings;
import io.cxml.runs.RunRecord;
import io.cxml.runs.RunRecordStore;
import io.cxml.training.data.CuratedIntentSource;
import io.cxml.training.data.DataSplitter;
import io.cxml.features.TrainingColumns;
import io.cxml.training.data.TrainingSetSource;
import io.cxml.training.eval.Metrics;
import io.cxml.runtime.executor.ModelSource;
import io.cxml.training.registry.Aliases;
import io.cxml.training.registry.EvaluationSets;
import io.cxml.training.registry.GateCheck;
import io.cxml.training.registry.ModelManifest;
import io.cxml.training.registry.ModelRegistry;
import io.cxml.training.registry.Promotion;
import io.cxml.training.registry.QualityGates;
import io.cxml.training.text.ExecutorEvaluation;
import io.cxml.training.text.TextModelTraining;
import io.cxml.training.text.TrainOutcome;
import io.cxml.training.text.TrainRunOptions;
import io.cxml.training.text.TrainingOptions;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.storage.StorageLevel;

/**
 * One retraining: [drift check?] -> evaluation set -> train the challenger -> measure challenger and champion on the
 * same rows -> gates -> promote or keep as challenger. The whole run is {@code runs/retrain-<name>/}; each step also
 * writes its own record ({@code runs/retrain-<name>-<step>/}).
 */
public final class Retraining {
    /** Config key: share of the window (its latest part) frozen as the first evaluation set. */
    public static final String EVAL_SET_FRACTION = "cxml.retrain.eval-set-fraction";
    /** Run-record detail: skipped, refused or promoted. */
    public static final String ACTION = "action";
    /** Run-record detail: the drift check answered. */
    public static final String DRIFT_RUN = "drift_run";

    /**
     * What a retraining did.
     *
     * @param action {@code skipped}, {@code refused} or {@code promoted}
     * @param challenger the trained version ({@code intent@v4}), or null when skipped
     * @param champion the champion after the run, or null
     * @param record the run record
     */
    public record Outcome(String action, String challenger, String champion, RunRecord record) {}

    private Retraining() {}

    /**
     * @param config the validated config
     * @param name registry name (and task)
     * @param from first creation day
     * @param to last creation day, inclusive
     * @param ifDrifted only act on an unanswered drift alert
     * @return what was done
     */
    public static Outcome run(CxmlConfig config, String name, LocalDate from, LocalDate to, boolean ifDrifted) {
        double evalFraction = evalSetFraction(config, from, to);
        TrainingOptions training = TrainingSettings.options(config, name);
        QualityGates gates = TrainingSettings.gates(config);
        Outcome[] out = new Outcome[1];
        String job = "retrain " + name;
        JobRun.execute(config, job, System.out, (spark, layout, record) -> {
            record.window.put("from", from.toString());
            record.window.put("to", to.toString());
            Configuration hadoop = spark.sparkContext().hadoopConfiguration();
            RunRecordStore runs = new RunRecordStore(layout, hadoop);
            Steps steps = new Steps(runs, record.job);
            Optional<Outcome> skipped = skipUnlessDrifted(ifDrifted, runs, record, name);
            if (skipped.isPresent()) {
                out[0] = skipped.get();
                return;
            }
            ModelRegistry registry = new ModelRegistry(layout, hadoop);
            EvaluationSets sets = new EvaluationSets(layout, hadoop);
            TrainingSetSource window = new CuratedIntentSource(layout, from, to.plusDays(1));

            EvaluationSets.EvaluationSet set = steps.run("eval-set", step -> {
                EvaluationSets.EvaluationSet s = sets.latest(name).orElseGet(() -> freeze(spark, sets, name, window,
                        evalFraction, record.runId));
                step.details.putAll(EvaluationSets.describe(s));
                return s;
            });
            record.details.put("eval_set", EvaluationSets.describe(set));
            Dataset<Row> evalRows = sets.load(spark, set).persist(StorageLevel.MEMORY_AND_DISK());
            try {
                String championVersion = registry.aliases(name).champion();
                ModelManifest champion = championVersion == null ? null
                        : registry.readManifest(name, championVersion).orElse(null);
                TrainingSetSource source = new WithoutEvaluationRows(window, evalRows, set.label());
                TrainOutcome trained = steps.run("train", step -> {
                    TrainOutcome o = new TextModelTraining(spark, registry).run(new TrainRunOptions(name, name,
                            source, training, TrainingSettings.splitShares(config),
                            config.getDouble(TrainingSettings.UNKNOWN_THRESHOLD),
                            TrainingSettings.baseline(config), Map.of(), record.runId,
                            config.getInt(TrainingSettings.SCORING_BATCH_SIZE),
                            config.getString(TrainingSettings.OUT_OF_SCOPE_LABEL)));
                    step.details.put("model", o.manifest().name() + "@" + o.manifest().version());
                    step.details.put("report", o.reportUri());
                    return o;
                });
                ModelManifest challenger = trained.manifest();
                String challengerLabel = markChallenger(record, registry, gates, challenger, champion);

                Dataset<Row> recent = new DataSplitter(TrainingSettings.splitShares(config), training.seed())
                        .split(source.load(spark))
                        .where(functions.col(TrainingColumns.SPLIT).equalTo(TrainingColumns.TEST))
                        .persist(StorageLevel.MEMORY_AND_DISK());
                Comparison comparison;
                try {
                    comparison = steps.run("evaluate", step -> {
                        Comparison c = compare(registry, hadoop, config, name, challenger, champion, evalRows, recent,
                                set);
                        step.details.putAll(c.details());
                        return c;
                    });
                } finally {
                    recent.unpersist();
                }
                record.details.put("evaluation", comparison.details());
                List<GateCheck.Result> results = new ArrayList<>();
                results.addAll(scoped(GateCheck.check(gates, comparison.challengerOnSet(), comparison.championOnSet()),
                        set.label()));
                if (comparison.challengerOnRecent() != null) {
                    results.addAll(scoped(GateCheck.check(gates, comparison.challengerOnRecent(),
                            comparison.championOnRecent()), "recent"));
                }
                out[0] = decide(steps, record, registry, challenger, championVersion, results, () -> { },
                        String.format("on %s (%,d rows) and %,d recent held-out rows", set.label(), set.rows(),
                                comparison.recentRows()));
            } finally {
                evalRows.unpersist();
            }
        });
        return out[0];
    }

    /**
     * With {@code --if-drifted}: the skipped outcome when there is no drift alert to answer (recorded and printed),
     * else empty, with the answered drift run recorded.
     */
    static Optional<Outcome> skipUnlessDrifted(boolean ifDrifted, RunRecordStore runs, RunRecord record, String name) {
        if (!ifDrifted) {
            return Optional.empty();
        }
        Optional<String> why = nothingToAnswer(runs, record.job);
        if (why.isPresent()) {
            record.details.put(ACTION, "skipped");
            record.details.put("reason", why.get());
            System.out.println("retrain " + name + ": nothing to do (" + why.get() + ")");
            return Optional.of(new Outcome("skipped", null, null, record));
        }
        record.details.put(DRIFT_RUN, runs.latestSucceeded(MonitorDriftCommand.JOB.replace(' ', '-')).orElseThrow()
                .runId);
        return Optional.empty();
    }

    /** Records the challenger and the champion it is measured against, and marks it {@code @challenger}. */
    static String markChallenger(RunRecord record, ModelRegistry registry, QualityGates gates,
            ModelManifest challenger, ModelManifest champion) {
        String name = challenger.name();
        String label = name + "@" + challenger.version();
        record.details.put("challenger", label);
        record.details.put("champion_before", champion == null ? null : name + "@" + champion.version());
        new Promotion(registry, gates).challenge(name, challenger.version(), record.runId);
        return label;
    }

    /**
     * Prints the gates, then promotes (every gate passed) or refuses as a step of its own, and records the action
     * and the champion after it.
     *
     * @param onRefuse prints what explains a refusal (e.g. the worst tenants)
     * @param measuredOn what the versions were measured on, for the summary line
     */
    static Outcome decide(Steps steps, RunRecord record, ModelRegistry registry, ModelManifest challenger,
            String championVersion, List<GateCheck.Result> results, Runnable onRefuse, String measuredOn)
            throws Exception {
        String name = challenger.name();
        boolean pass = results.stream().allMatch(GateCheck.Result::passed);
        System.out.print(GateCheck.table(results));
        String action = steps.run(pass ? "promote" : "refuse", step -> {
            step.details.put("gates", results.stream().map(r -> (r.passed() ? "ok " : "FAIL ") + r.gate() + " "
                    + r.scope() + " " + String.format("%.4f", r.actual()) + " vs " + r.limit()).toList());
            if (!pass) {
                step.details.put("champion", championVersion);
                onRefuse.run();
                return "refused";
            }
            promoteIfUnchanged(registry, name, championVersion, challenger.version(), record.runId);
            step.details.put("champion", challenger.version());
            return "promoted";
        });
        Aliases after = registry.aliases(name);
        String championAfter = after.champion() == null ? null : name + "@" + after.champion();
        record.details.put(ACTION, action);
        record.details.put("champion_after", championAfter);
        System.out.printf("retrain %s: %s@%s %s (champion %s) %s%n", name, name, challenger.version(), action,
                after.champion(), measuredOn);
        return new Outcome(action, name + "@" + challenger.version(), championAfter, record);
    }

    /** The configured evaluation-set share, checked, and the window checked. */
    static double evalSetFraction(CxmlConfig config, LocalDate from, LocalDate to) {
        if (to.isBefore(from)) {
            throw new ConfigError("Cannot retrain on " + from + ".." + to + ": --to is before --from");
        }
        double fraction = config.getDouble(EVAL_SET_FRACTION);
        if (!(fraction > 0 && fraction < 0.5)) {
            throw new ConfigError("Cannot freeze " + fraction + " of the window as evaluation set: "
                    + EVAL_SET_FRACTION + " must be in (0, 0.5)");
        }
        return fraction;
    }

    /**
     * Promotes the challenger as one alias-history entry, refusing when the champion changed since it was measured.
     */
    static void promoteIfUnchanged(ModelRegistry registry, String name, String championVersion, String challenger,
            String runId) {
        registry.updateAliases(name, "promote", runId, aliases -> {
            if (!Objects.equals(aliases.champion(), championVersion)) {
                throw new IllegalStateException("Cannot promote " + name + "@" + challenger + ": the champion changed "
                        + "to " + aliases.champion() + " while it was measured against " + championVersion
                        + ". Run cxml retrain " + name + " again");
            }
            return aliases.promote(challenger);
        });
    }

    /** Why there is no drift alert to answer, or empty when there is one. */
    static Optional<String> nothingToAnswer(RunRecordStore runs, String retrainJob) {
        Optional<RunRecord> drift = runs.latestSucceeded(MonitorDriftCommand.JOB.replace(' ', '-'));
        if (drift.isEmpty()) {
            return Optional.of("no drift check has run");
        }
        Object verdict = drift.get().details.get(MonitorDriftCommand.VERDICT);
        if (!DriftLevel.ALERT.name().equals(verdict)) {
            return Optional.of("the last drift check (" + drift.get().runId + ") said " + verdict);
        }
        for (RunRecord r : runs.list(retrainJob)) {
            if ("succeeded".equals(r.status) && drift.get().runId.equals(r.details.get(DRIFT_RUN))) {
                return Optional.of("retrain " + r.runId + " already answered drift alert " + drift.get().runId);
            }
        }
        return Optional.empty();
    }

    private static EvaluationSets.EvaluationSet freeze(SparkSession spark, EvaluationSets sets, String name,
            TrainingSetSource window, double fraction, String runId) {
        return freeze(spark, sets, name, window.load(spark), window.describe(), TrainingColumns.SCHEMA.fieldNames(),
                fraction, runId);
    }

    /** Freezes the latest {@code fraction} of the window's rows (by event time) as the model's next set. */
    static EvaluationSets.EvaluationSet freeze(SparkSession spark, EvaluationSets sets, String name, Dataset<Row> rows,
            String describe, String[] columns, double fraction, String runId) {
        double[] cut = rows.select(functions.unix_micros(functions.col(TrainingColumns.EVENT_TIME)).cast("double")
                .as("t")).stat().approxQuantile("t", new double[] {1 - fraction}, 0.001);
        if (cut.length == 0) {
            throw new IllegalArgumentException("Cannot freeze an evaluation set for " + name + ": " + describe
                    + " has no labelled row. Widen --from/--to");
        }
        Dataset<Row> latest = rows.where(functions.unix_micros(functions.col(TrainingColumns.EVENT_TIME))
                .geq(functions.lit((long) cut[0])));
        return sets.create(spark, name, latest, columns, "latest " + fraction + " of " + describe, runId);
    }

    /** Challenger and champion on the evaluation set and the recent held-out rows, as manifests for the gates. */
    record Comparison(ModelManifest challengerOnSet, ModelManifest championOnSet, ModelManifest challengerOnRecent,
            ModelManifest championOnRecent, long recentRows, Map<String, Object> details) {}

    private static Comparison compare(ModelRegistry registry, Configuration hadoop, CxmlConfig config, String name,
            ModelManifest challenger, ModelManifest champion, Dataset<Row> evalRows, Dataset<Row> recent,
            EvaluationSets.EvaluationSet set) {
        Map<String, Object> d = new LinkedHashMap<>();
        Metrics cSet = evaluate(registry, hadoop, config, challenger, evalRows);
        Metrics hSet = champion == null ? null : evaluate(registry, hadoop, config, champion, evalRows);
        long recentRows = recent.count();
        Metrics cRecent = recentRows == 0 ? null : evaluate(registry, hadoop, config, challenger, recent);
        Metrics hRecent = recentRows == 0 || champion == null ? null
                : evaluate(registry, hadoop, config, champion, recent);
        if (cSet.examples() != set.rows() || (hSet != null && hSet.examples() != cSet.examples())
                || (hRecent != null && hRecent.examples() != cRecent.examples())) {
            throw new IllegalStateException("Cannot compare " + name + " versions on different rows: challenger "
                    + cSet.examples() + ", champion " + (hSet == null ? "-" : hSet.examples()) + " of " + set.rows()
                    + " evaluation rows");
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

    private static Metrics evaluate(ModelRegistry registry, Configuration hadoop, CxmlConfig config,
            ModelManifest m, Dataset<Row> rows) {
        String uri = registry.modelUri(m.name(), m.version());
        return ExecutorEvaluation.evaluate(rows, new ExecutorEvaluation.Scoring(
                ModelSource.of(uri, m.name() + "@" + m.version(), hadoop), ModelSource.readSpec(uri, hadoop),
                config.getInt(TrainingSettings.SCORING_BATCH_SIZE), TrainingSettings.device(config)),
                config.getString(TrainingSettings.OUT_OF_SCOPE_LABEL).isBlank() ? null
                        : config.getString(TrainingSettings.OUT_OF_SCOPE_LABEL));
    }

    /** The manifest with its metrics replaced by the ones measured here (the gates read the manifest's metrics). */
    private static ModelManifest measured(ModelManifest m, Metrics metrics) {
        return new ModelManifest(m.name(), m.version(), m.task(), m.createdAt(), m.params(), m.data(),
                m.featureVersions(), m.codeVersion(), TextModelTraining.summary(metrics), m.baseline(), m.runId());
    }

    static List<GateCheck.Result> scoped(List<GateCheck.Result> results, String where) {
        return results.stream().map(r -> new GateCheck.Result(r.gate(), where + ":" + r.scope(), r.actual(),
                r.limit(), r.passed())).toList();
    }

    /** Run records of the steps. */
    static final class Steps {
        private final RunRecordStore runs;
        private final String job;

        Steps(RunRecordStore runs, String job) {
            this.runs = runs;
            this.job = job;
        }

        interface Body<T> {
            T run(RunRecord step) throws Exception;
        }

        <T> T run(String name, Body<T> body) throws Exception {
            RunRecord step = RunRecord.start(job + "-" + name);
            try {
                T out = body.run(step);
                step.succeed();
                runs.write(step);
                return out;
            } catch (Exception e) {
                step.fail(JobRun.oneLine(e));
                runs.write(step);
                throw e;
            }
        }
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
            return source.load(spark).join(held, new String[] {TrainingColumns.TEXT, TrainingColumns.LABEL},
                    "left_anti").select(TrainingColumns.TEXT, TrainingColumns.LABEL, TrainingColumns.LANGUAGE,
                    TrainingColumns.TENANT, TrainingColumns.EVENT_TIME);
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
