package io.cxml.jobs.retrain;

import io.cxml.features.TrainingColumns;
import io.cxml.jobs.cli.JobRun;
import io.cxml.jobs.config.CxmlConfig;
import io.cxml.jobs.training.RoutingSettings;
import io.cxml.jobs.training.TrainingSettings;
import io.cxml.runs.RunRecordStore;
import io.cxml.runtime.executor.ModelSource;
import io.cxml.runtime.routing.RoutingColumns;
import io.cxml.runtime.routing.RoutingData;
import io.cxml.runtime.routing.RoutingScorer;
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
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;

/**
 * {@code cxml retrain routing}: [drift check?] -> evaluation set (solved tickets with their point-in-time features,
 * frozen) -> train the challenger on the window without those tickets -> challenger and champion on the same
 * frozen rows (the champion reads today's intent probabilities by label, as scoring serves it) and on the window's
 * held-out days -> routing gates (tenants regressed, median tenant, overall top-1) -> promote or keep as challenger.
 * Same run records and actions as {@link Retraining}.
 */
final class RoutingRetraining {
    /** Columns frozen with a routing evaluation set: the ticket and every input routing reads. */
    private static final List<String> BASE = List.of(RoutingData.TICKET_ID, TrainingColumns.TEXT,
            TrainingColumns.LABEL, TrainingColumns.LANGUAGE, TrainingColumns.TENANT, TrainingColumns.EVENT_TIME,
            RoutingColumns.CHANNEL, RoutingColumns.PRIORITY,
            RoutingColumns.TEAM_LOAD);

    private RoutingRetraining() {}

    static Retraining.Outcome run(CxmlConfig config, String name, LocalDate from, LocalDate to, boolean ifDrifted) {
        double evalFraction = Retraining.evalSetFraction(config, from, to);
        QualityGates floors = TrainingSettings.gates(config);
        RoutingGates gates = RoutingSettings.gates(config);
        Retraining.Outcome[] out = new Retraining.Outcome[1];
        JobRun.execute(config, "retrain " + RoutingRun.TASK, System.out, (spark, layout, record) -> {
            record.window.put("from", from.toString());
            record.window.put("to", to.toString());
            Configuration hadoop = spark.sparkContext().hadoopConfiguration();
            RunRecordStore runs = new RunRecordStore(layout, hadoop);
            Retraining.Steps steps = new Retraining.Steps(runs, record.job);
            Optional<Retraining.Outcome> skipped = Retraining.skipUnlessDrifted(ifDrifted, runs, record, name);
            if (skipped.isPresent()) {
                out[0] = skipped.get();
                return;
            }
            ModelRegistry registry = new ModelRegistry(layout, hadoop);
            EvaluationSets sets = new EvaluationSets(layout, hadoop);
            Map<String, String> versions = new LinkedHashMap<>();
            Dataset<Row> window = RoutingData.fromFeatureStore(spark, layout,
                    from.atStartOfDay(ZoneOffset.UTC).toInstant(),
                    to.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant(), true, versions)
                    .persist(StorageLevel.MEMORY_AND_DISK());
            versions.forEach((view, v) -> record.versions.put("features." + view, v));
            String describe = "solved tickets of curated/interactions [" + from + ", " + to + "] with "
                    + versions.keySet();
            try {
                EvaluationSets.EvaluationSet set = steps.run("eval-set", step -> {
                    EvaluationSets.EvaluationSet s = sets.latest(name).orElseGet(() -> Retraining.freeze(spark, sets,
                            name, window, describe, frozenColumns(window), evalFraction, record.runId));
                    step.details.putAll(EvaluationSets.describe(s));
                    return s;
                });
                record.details.put("eval_set", EvaluationSets.describe(set));
                Dataset<Row> evalRows = sets.load(spark, set);
                String championVersion = registry.aliases(name).champion();
                ModelManifest champion = championVersion == null ? null
                        : registry.readManifest(name, championVersion).orElse(null);

                Dataset<Row> training = window.join(evalRows.select(RoutingData.TICKET_ID), RoutingData.TICKET_ID,
                        "left_anti");
                RoutingRun.Outcome trained = steps.run("train", step -> {
                    RoutingRun.IntentInput intent = RoutingSettings.intent(
                            config.getString(RoutingSettings.INTENT_MODEL), registry, hadoop);
                    RoutingRun.Outcome o = RoutingRun.run(spark, registry, RoutingSettings.runOptions(config, name,
                            training, describe + " without the tickets of evaluation set " + set.label(), intent,
                            versions, record.runId));
                    step.details.put("model", o.manifest().name() + "@" + o.manifest().version());
                    step.details.put("report", o.reportUri());
                    return o;
                });
                ModelManifest challenger = trained.manifest();
                Retraining.markChallenger(record, registry, floors, challenger, champion);

                RoutingMetrics onSet = steps.run("evaluate", step -> {
                    RoutingMetrics m = onEvaluationSet(config, registry, hadoop, challenger, champion, evalRows,
                            set);
                    step.details.putAll(details(m, trained.metrics(), set));
                    return m;
                });
                record.details.put("evaluation", details(onSet, trained.metrics(), set));
                String championLabel = champion == null ? null : name + "@" + champion.version();
                List<GateCheck.Result> results = new ArrayList<>();
                results.addAll(Retraining.scoped(GateCheck.check(floors, measured(challenger, onSet), null),
                        set.label()));
                results.addAll(Retraining.scoped(gates.check(onSet, championLabel), set.label()));
                results.addAll(Retraining.scoped(topOneDrop(onSet, floors), set.label()));
                results.addAll(Retraining.scoped(gates.check(trained.metrics(), championLabel), "recent"));
                out[0] = Retraining.decide(steps, record, registry, challenger, championVersion, results,
                        () -> System.out.print("largest top-1 change against the champion on " + set.label() + ":\n"
                                + RoutingGates.worstTenants(onSet, 10)),
                        String.format("on %s (%,d tickets) and %,d recent held-out tickets", set.label(), set.rows(),
                                trained.metrics().overall.examples));
            } finally {
                window.unpersist();
            }
        });
        return out[0];
    }

    /** The base columns and the numeric features present, in the window's order. */
    private static String[] frozenColumns(Dataset<Row> window) {
        List<String> columns = new ArrayList<>(BASE);
        columns.addAll(RoutingColumns.present(window.schema(), RoutingData.NUMERIC));
        return columns.toArray(new String[0]);
    }

    /** Challenger and champion on the frozen rows, in one pass on the executors. */
    private static RoutingMetrics onEvaluationSet(CxmlConfig config, ModelRegistry registry, Configuration hadoop,
            ModelManifest challenger, ModelManifest champion, Dataset<Row> evalRows, EvaluationSets.EvaluationSet set) {
        RoutingEvaluation.Inputs rows = RoutingEvaluation.withIntent(evalRows, RoutingRun.intentOf(challenger, hadoop),
                champion == null ? null : RoutingRun.intentOf(champion, hadoop),
                config.getInt(TrainingSettings.SCORING_BATCH_SIZE), TrainingSettings.device(config));
        String name = challenger.name();
        ModelSource championSource = champion == null ? null : RoutingScorer.source(registry.modelUri(name,
                champion.version()), name + "@" + champion.version(), hadoop);
        RoutingMetrics m = RoutingEvaluation.evaluate(rows, RoutingScorer.source(registry.modelUri(name,
                challenger.version()), name + "@" + challenger.version(), hadoop), championSource,
                GlobalLrBaseline.load(registry.versionUri(name, challenger.version()) + "/" + GlobalLrBaseline.DIR),
                "evaluation set " + set.label());
        if (m.overall.examples != set.rows()) {
            throw new IllegalStateException("Cannot compare " + name + " versions: " + m.overall.examples
                    + " of the " + set.rows() + " rows of evaluation set " + set.label() + " were scored");
        }
        return m;
    }

    /** The overall top-1 drop against the champion on the same rows (the routing gates judge tenants). */
    private static List<GateCheck.Result> topOneDrop(RoutingMetrics m, QualityGates floors) {
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
