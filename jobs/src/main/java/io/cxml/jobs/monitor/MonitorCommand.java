package io.cxml.jobs.monitor;

import io.cxml.jobs.cli.CxmlCommand;
import picocli.CommandLine.Command;

/** {@code cxml monitor drift|quality}. */
@Command(name = "monitor", mixinStandardHelpOptions = true,
        description = "Watch the models in production: drift of the scored tickets against the champion's reference "
                + "profile, and realised quality once outcomes arrive (docs/operations.md).",
        subcommands = {MonitorDriftCommand.class, MonitorQualityCommand.class})
public final class MonitorCommand extends CxmlCommand {
    @Override
    public Integer call() {
        spec.commandLine().usage(System.out);
        return 0;
    }
}
