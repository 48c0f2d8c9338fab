package io.cxml.jobs.cli;

import io.cxml.jobs.config.CxmlConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code cxml config --show}: the effective configuration, secrets redacted. Starts no Spark. */
@Command(name = "config", mixinStandardHelpOptions = true,
        description = "Validate the configuration and print it (secrets redacted) with the layers it came from.")
public final class ConfigCommand extends CxmlCommand {
    @Option(names = "--show", description = "Print the effective configuration (the default).")
    boolean show = true;

    @Override
    public Integer call() {
        CxmlConfig config = settings().config();
        System.out.println("# layers, lowest precedence first: " + String.join(" < ", config.sources()));
        System.out.println(config.renderRedacted());
        return 0;
    }
}
