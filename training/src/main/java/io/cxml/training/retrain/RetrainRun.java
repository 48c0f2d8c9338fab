package io.cxml.training.retrain;

import io.cxml.features.TrainingColumns;
import io.cxml.runs.RunRecord;
import io.cxml.runs.RunRecordStore;
import io.cxml.storage.StorageLayout;
import io.cxml.training.registry.Aliases;
import io.cxml.training.registry.EvaluationSets;
import io.cxml.training.registry.GateCheck;
import io.cxml.training.registry.ModelManifest;
import io.cxml.training.registry.ModelRegistry;
import io.cxml.training.registry.Promotion;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;

/**
 * What intent and routing retraining share, once: the run's context, the {@code --if-drifted} check, the step records,
 * freezing an evaluation set, marking the challenger, scoping the gates and the decision (promote or refuse).
 */
final class RetrainRun {
    /** Run-record detail: skipped, refused or promoted. */
    static final String ACTION = "action";
    /** Run-record detail: the drift check answered. */
    static final String DRIFT_RUN = "drift_run";

    final SparkSession spark;
    final StorageLayout layout;
    final RunRecord record;
    final RetrainOptions options;
    final Configuration hadoop;
    final RunRecordStore runs;

    /** Starts the run: records the window. */
    RetrainRun(SparkSession spark, StorageLayout layout, RunRecord record, RetrainOptions options) {
        this.spark = Objects.requireNonNull(spark, "spark");
        this.layout = Objects.requireNonNull(layout, "layout");
        this.record = Objects.requireNonNull(record, "record");
        this.options = Objects.requireNonNull(options, "options");
        record.window.put("from", options.from().toString());
        record.window.put("to", options.to().toString());
        this.hadoop = spark.sparkContext().hadoopConfiguration();
        this.runs = new RunRecordStore(layout, hadoop);
    }

    /**
     * With {@code --if-drifted}: the skipped result when there is no drift alert to answer (recorded and reported),
     * else empty, with the answered drift run recorded.
     */
    Optional<RetrainResult> skipUnlessDrifted() {
        RetrainOptions.DriftAlerts alerts = options.ifDrifted();
        if (alerts == null) {
            return Optional.empty();
        }
        Optional<String> why = nothingToAnswer(runs, record.job, alerts);
        if (why.isPresent()) {
            record.details.put(ACTION, "skipped");
            record.details.put("reason", why.get());
            RetrainResult skipped = new RetrainResult(options.name(), RetrainResult.Decision.SKIPPED, why.get(), null,
                    null, null, null, Map.of(), List.of(), null, record);
            options.listener().skipped(skipped);
            return Optional.of(skipped);
        }
        record.details.put(DRIFT_RUN, runs.latestSucceeded(alerts.job()).orElseThrow().runId);
        return Optional.empty();
    }

    /** Why there is no drift alert to answer, or empty when there is one. */
    static Optional<String> nothingToAnswer(RunRecordStore runs, String retrainJob, RetrainOptions.DriftAlerts alerts) {
        Optional<RunRecord> drift = runs.latestSucceeded(alerts.job());
        if (drift.isEmpty()) {
            return Optional.of("no drift check has run");
        }
        Object verdict = drift.get().details.get(alerts.verdictDetail());
        if (!alerts.alertVerdict().equals(verdict)) {
            return Optional.of("the last drift check (" + drift.get().runId + ") said " + verdict);
        }
        for (RunRecord r : runs.list(retrainJob)) {
            if ("succeeded".equals(r.status) && drift.get().runId.equals(r.details.get(DRIFT_RUN))) {
                return Optional.of("retrain " + r.runId + " already answered drift alert " + drift.get().runId);
            }
        }
        return Optional.empty();
    }

    /** The work of one step. */
    interface Step<T> {
        /**
         * @param step the step's own run record
         * @return what the step made
         * @throws Exception on failure; the step's record is then written as failed
         */
        T run(RunRecord step) throws Exception;
    }

    /** Runs one step with its own run record ({@code <job>-<step>}), written whether it succeeds or fails. */
    <T> T step(String name, Step<T> body) throws Exception {
        RunRecord step = RunRecord.start(record.job + "-" + name);
        try {
            T out = body.run(step);
            step.succeed();
            runs.write(step);
            return out;
        } catch (Exception e) {
            step.fail(options.failureMessage().apply(e));
            runs.write(step);
            throw e;
        }
    }

    /** Records the challenger and the champion it is measured against, and marks it {@code @challenger}. */
    void markChallenger(ModelRegistry registry, ModelManifest challenger, ModelManifest champion) {
        String name = challenger.name();
        record.details.put("challenger", name + "@" + challenger.version());
        record.details.put("champion_before", champion == null ? null : name + "@" + champion.version());
        new Promotion(registry, options.gates()).challenge(name, challenger.version(), record.runId);
    }

    /**
     * Reports the gates, then promotes (every gate passed) or refuses as a step of its own, and records the action
     * and the champion after it.
     *
     * @param explainRefusal what explains a refusal (e.g. the worst tenants), or null for nothing
     * @param measuredOn what the versions were measured on, for the summary line
     */
    RetrainResult decide(ModelRegistry registry, ModelManifest challenger, String championVersion,
            EvaluationSets.EvaluationSet set, Map<String, Object> evaluation, List<GateCheck.Result> results,
            Supplier<String> explainRefusal, String measuredOn) throws Exception {
        String name = challenger.name();
        boolean pass = results.stream().allMatch(GateCheck.Result::passed);
        options.listener().gatesChecked(results);
        String action = step(pass ? "promote" : "refuse", step -> {
            step.details.put("gates", results.stream().map(r -> (r.passed() ? "ok " : "FAIL ") + r.gate() + " "
                    + r.scope() + " " + String.format("%.4f", r.actual()) + " vs " + r.limit()).toList());
            if (!pass) {
                step.details.put("champion", championVersion);
                if (explainRefusal != null) {
                    options.listener().refusing(explainRefusal.get());
                }
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
        RetrainResult result = new RetrainResult(name, pass ? RetrainResult.Decision.PROMOTED
                : RetrainResult.Decision.REFUSED, null, challenger.version(), championVersion, after.champion(), set,
                evaluation, results, measuredOn, record);
        options.listener().decided(result);
        return result;
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

    /** The results with their scope prefixed by where they were measured ({@code intent/e1:overall}). */
    static List<GateCheck.Result> scoped(List<GateCheck.Result> results, String where) {
        return results.stream().map(r -> new GateCheck.Result(r.gate(), where + ":" + r.scope(), r.actual(),
                r.limit(), r.passed())).toList();
    }

    /** The champion's manifest, or null when there is no champion (or its manifest is gone). */
    static ModelManifest champion(ModelRegistry registry, String championVersion, String name) {
        return championVersion == null ? null : registry.readManifest(name, championVersion).orElse(null);
    }
}
