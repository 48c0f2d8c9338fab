package io.cxml.jobs.retrain;

import io.cxml.jobs.cli.CxmlCommand;
import java.time.LocalDate;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code cxml retrain intent --from DATE --to DATE [--if-drifted]}. */
@Command(name = "retrain", mixinStandardHelpOptions = true,
        description = "Train a challenger on a recent window, measure it and the champion on the same fixed "
                + "evaluation set of the registry (and on the window's held-out days), and promote it only when the "
                + "quality gates pass (docs/operations.md).",
        subcommands = {RetrainCommand.Intent.class})
public final class RetrainCommand extends CxmlCommand {
    @Override
    public Integer call() {
        spec.commandLine().usage(System.out);
        return 0;
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
    public static final class Intent extends CxmlCommand {
        @Option(names = "--from", required = true, paramLabel = "DATE", description = "First creation day.")
        LocalDate from;

        @Option(names = "--to", required = true, paramLabel = "DATE", description = "Last creation day, inclusive.")
        LocalDate to;

        @Option(names = "--if-drifted", description = "Do nothing unless the last `cxml monitor drift` alerted and no "
                + "retrain has answered that alert yet.")
        boolean ifDrifted;

        @Override
        public Integer call() {
            Retraining.run(config(), "intent", from, to, ifDrifted);
            return 0;
        }
    }
}
