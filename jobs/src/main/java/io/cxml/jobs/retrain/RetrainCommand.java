package io.cxml.jobs.retrain;

import io.cxml.jobs.cli.CxmlCommand;
import java.time.LocalDate;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code cxml retrain intent|routing --from DATE --to DATE [--if-drifted]}. */
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

    /** The options every retrain takes: the window and {@code --if-drifted}. */
    abstract static class Window extends CxmlCommand {
        @Option(names = "--from", required = true, paramLabel = "DATE", description = "First creation day.")
        LocalDate from;

        @Option(names = "--to", required = true, paramLabel = "DATE", description = "Last creation day, inclusive.")
        LocalDate to;

        @Option(names = "--if-drifted", description = "Do nothing unless the last `cxml monitor drift` alerted and no "
                + "retrain of this model has answered that alert yet.")
        boolean ifDrifted;
    }

    /** {@code cxml retrain intent}. */
    @Command(name = "intent", mixinStandardHelpOptions = true,
            description = {"Retrain the intent model on the curated tickets created --from..--to (inclusive days). "
                    + "The evaluation set is the registry's newest (intent/eval-sets/e<N>); when there is none, the "
                    + "latest cxml.retrain.eval-set-fraction of the window is frozen as e1 first. Its rows never "
                    + "reach the challenger's training. Gates: cxml.models.gates, on the evaluation set and on the "
                    + "window's held-out days. Every step writes a run record (runs/retrain-intent*/).",
                "Exit 0 when the challenger was promoted, refused by the gates (it stays the challenger) or, with "
                    + "--if-drifted, when there was nothing to do; 1 when a step failed."})
    public static final class Intent extends Window {
        @Override
        public Integer call() {
            Retraining.run(config(), "intent", from, to, ifDrifted);
            return 0;
        }
    }

    /** {@code cxml retrain routing}. */
    @Command(name = "routing", mixinStandardHelpOptions = true,
            description = {"Retrain per-tenant routing on the solved tickets created --from..--to (inclusive days), "
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
            RoutingRetraining.run(config(), name, from, to, ifDrifted);
            return 0;
        }
    }
}
