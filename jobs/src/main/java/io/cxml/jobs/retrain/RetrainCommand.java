package io.cxml.jobs.retrain;

import io.cxml.inference.monitoring.DriftLevel;
import io.cxml.jobs.cli.DayWindow;
import io.cxml.jobs.cli.CxmlCommand;
import io.cxml.jobs.cli.JobRun;
import io.cxml.jobs.config.ConfigError;
import io.cxml.jobs.config.RoutingSettings;
import io.cxml.jobs.config.Settings;
import io.cxml.jobs.config.TrainingSettings;
import io.cxml.jobs.monitor.MonitorDriftCommand;
import io.cxml.jobs.training.RoutingModels;
import io.cxml.training.registry.GateCheck;
import io.cxml.training.retrain.IntentRetraining;
import io.cxml.training.retrain.RetrainListener;
import io.cxml.training.retrain.RetrainOptions;
import io.cxml.training.retrain.RetrainResult;
import io.cxml.training.retrain.RoutingRetraining;
import io.cxml.training.routing.RoutingRun;
import java.time.LocalDate;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code cxml retrain intent|routing --from DATE --to DATE [--if-drifted]}: parses the options, translates the config
 * into {@link RetrainOptions}, runs the retraining of {@code io.cxml.training.retrain} as one job and prints what it
 * did.
 */
@Command(name = "retrain", mixinStandardHelpOptions = true,
        description = "Train a challenger on a recent window, measure it and the champion on the same fixed "
                + "evaluation set of the registry (and on the window's held-out days), and promote it only when the "
                + "quality gates pass (docs/operations.md).",
        subcommands = {RetrainCommand.Intent.class, RetrainCommand.Routing.class})
public final class RetrainCommand extends CxmlCommand {

    @Override
    public Integer call() {
        spec.commandLine().usage(System.out);
        return 0;
    }

    /**
     * Retrains the intent model as the job {@code retrain intent} (the command and the pipeline's drift demo).
     *
     * @param config the validated config
     * @param from first creation day
     * @param to first creation day left out
     * @param ifDrifted only act on an unanswered drift alert
     * @return what was done
     * @throws ConfigError when the window or a setting is invalid (before Spark starts)
     */
    public static RetrainResult intent(Settings config, LocalDate from, LocalDate to, boolean ifDrifted) {
        String name = "intent";
        TrainingSettings training = config.training();
        RetrainOptions options = common(config, name, from, to, ifDrifted)
                .setIntent(new RetrainOptions.Intent(training.options(name), training.unknownThreshold(),
                        training.baseline(), training.outOfScopeLabel(), config.labels().intent(),
                        config.features().languages()))
                .build();
        RetrainResult[] out = new RetrainResult[1];
        JobRun.execute(config, "retrain " + name, System.out,
                (spark, layout, record) -> {
                    io.cxml.jobs.features.EmbeddingViews.activate(config, spark, layout);
                    out[0] = IntentRetraining.run(spark, layout, record, options);
                    flagRefusal(out[0], record);
                });
        return out[0];
    }

    /**
     * Retrains per-tenant routing as the job {@code retrain routing}.
     *
     * @param config the validated config
     * @param name registry name
     * @param from first creation day
     * @param to first creation day left out
     * @param ifDrifted only act on an unanswered drift alert
     * @return what was done
     * @throws ConfigError when the window or a setting is invalid (before Spark starts)
     */
    public static RetrainResult routing(Settings config, String name, LocalDate from, LocalDate to,
            boolean ifDrifted) {
        RoutingSettings routing = config.routing();
        RetrainOptions options = common(config, name, from, to, ifDrifted)
                .setRouting(new RetrainOptions.Routing(routing.options(), routing.textBuckets(), routing.gates(),
                        // Resolved when the challenger trains: the registry may change until then.
                        (registry, hadoop) -> RoutingModels.intent(routing.intentModel(), registry, hadoop),
                        RoutingModels.embedding(config)))
                .build();
        RetrainResult[] out = new RetrainResult[1];
        JobRun.execute(config, "retrain " + RoutingRun.TASK, System.out,
                (spark, layout, record) -> {
                    io.cxml.jobs.features.EmbeddingViews.activate(config, spark, layout);
                    out[0] = RoutingRetraining.run(spark, layout, record, options);
                    flagRefusal(out[0], record);
                });
        return out[0];
    }

    /** A refused challenger is the run's outcome (exit 0 stays: the run did what it should). */
    private static void flagRefusal(RetrainResult result, io.cxml.runs.RunRecord record) {
        if (result.decision() == RetrainResult.Decision.REFUSED) {
            record.flag(io.cxml.runs.RunRecord.Outcome.REFUSED, "the gates refused " + result.challenger()
                    + "; it stays the challenger");
        }
    }

    /** The window checked, and the settings intent and routing share, from the config. */
    private static RetrainOptions.Builder common(Settings config, String name, LocalDate from, LocalDate to,
            boolean ifDrifted) {
        DayWindow.lastDay("retrain on", from, to);
        TrainingSettings training = config.training();
        return RetrainOptions.builder()
                .setName(name)
                .setWindow(from, to)
                .optEvalSetFraction(training.evalSetFraction())
                .optGates(training.gates())
                .optSplit(training.splitShares())
                .optScoringBatchSize(config.scoring().batchSize())
                .optDevice(training.device())
                .optIfDrifted(ifDrifted ? new RetrainOptions.DriftAlerts(MonitorDriftCommand.JOB.replace(' ', '-'),
                        MonitorDriftCommand.VERDICT, DriftLevel.ALERT.name()) : null)
                .optListener(new Report())
                .optFailureMessage(JobRun::oneLine);
    }

    /** Prints the retraining as it goes, to the standard output of the moment. */
    private static final class Report implements RetrainListener {
        @Override
        public void skipped(RetrainResult result) {
            System.out.println("retrain " + result.name() + ": nothing to do (" + result.skipReason() + ")");
        }

        @Override
        public void gatesChecked(List<GateCheck.Result> gates) {
            System.out.print(GateCheck.table(gates));
        }

        @Override
        public void refusing(String explanation) {
            System.out.print(explanation);
        }

        @Override
        public void decided(RetrainResult r) {
            System.out.printf("retrain %s: %s@%s %s (champion %s) %s%n", r.name(), r.name(), r.challengerVersion(),
                    r.action(), r.championAfter(), r.measuredOn());
        }
    }

    /** The options every retrain takes: the window and {@code --if-drifted}. */
    abstract static class Window extends CxmlCommand {
        @Option(names = "--from", required = true, paramLabel = "DATE", description = "First creation day.")
        LocalDate from;

        @Option(names = "--to", required = true, paramLabel = "DATE", description = "First creation day left out: "
                + "the window is [--from, --to).")
        LocalDate to;

        @Option(names = "--if-drifted", description = "Do nothing unless the last `cxml monitor drift` alerted and no "
                + "retrain of this model has answered that alert yet.")
        boolean ifDrifted;
    }

    /** {@code cxml retrain intent}. */
    @Command(name = "intent", mixinStandardHelpOptions = true,
            description = {"Retrain the intent model on the curated tickets created in [--from, --to). "
                    + "The evaluation set is the registry's newest (intent/eval-sets/e<N>); when there is none, the "
                    + "latest cxml.retrain.eval-set-fraction of the window is frozen as e1 first. Its rows never "
                    + "reach the challenger's training. Gates: cxml.models.gates, on the evaluation set and on the "
                    + "window's held-out days. Every step writes a run record (runs/retrain-intent*/).",
                "Exit 0 when the challenger was promoted, refused by the gates (it stays the challenger) or, with "
                    + "--if-drifted, when there was nothing to do; 1 when a step failed."})
    public static final class Intent extends Window {
        @Override
        public Integer call() {
            intent(settings(), from, to, ifDrifted);
            return 0;
        }
    }

    /** {@code cxml retrain routing}. */
    @Command(name = "routing", mixinStandardHelpOptions = true,
            description = {"Retrain per-tenant routing on the solved tickets created in [--from, --to), "
                    + "with their point-in-time features. The evaluation set is the registry's newest "
                    + "(routing/eval-sets/e<N>: tickets and their features as frozen); when there is none, the latest "
                    + "cxml.retrain.eval-set-fraction of the window is frozen as e1 first. Its tickets never reach the "
                    + "challenger's training. Gates on the evaluation set (both versions scored on every row) and on "
                    + "the window's held-out days: cxml.routing.gates (share of tenants regressed, median tenant), "
                    + "the overall top-1 drop (cxml.models.gates.max-accuracy-drop) and the floors of "
                    + "cxml.models.gates. Run records: runs/retrain-routing*/.",
                "Exit 0 when the challenger was promoted, refused by the gates (it stays the challenger) or, with "
                    + "--if-drifted, when there was nothing to do; 1 when a step failed."})
    public static final class Routing extends Window {
        @Option(names = "--name", paramLabel = "NAME", defaultValue = "routing",
                description = "Registry name (default: ${DEFAULT-VALUE}).")
        String name;

        @Override
        public Integer call() {
            routing(settings(), name, from, to, ifDrifted);
            return 0;
        }
    }
}
