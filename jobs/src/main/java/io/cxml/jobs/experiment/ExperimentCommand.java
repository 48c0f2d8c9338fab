package io.cxml.jobs.experiment;

import io.cxml.jobs.cli.CxmlCommand;
import picocli.CommandLine.Command;

/** {@code cxml experiment analyze | simulate-outcomes | replay}. */
@Command(name = "experiment", mixinStandardHelpOptions = true,
        description = "Online A/B experiments of models (cxml.experiments, docs/experiments.md): scoring assigns the "
                + "arms; analyze looks at the outcomes and decides; replay estimates a challenger's routing offline "
                + "on logged tickets.",
        subcommands = {ExperimentAnalyzeCommand.class, ExperimentSimulateCommand.class,
            ExperimentReplayCommand.class})
public final class ExperimentCommand extends CxmlCommand {
    @Override
    public Integer call() {
        spec.commandLine().usage(System.out);
        return 0;
    }
}
