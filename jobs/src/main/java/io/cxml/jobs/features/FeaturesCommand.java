package io.cxml.jobs.features;

import io.cxml.jobs.cli.CxmlCommand;
import picocli.CommandLine.Command;

/** {@code cxml features}: the group of feature-store commands. */
@Command(name = "features", mixinStandardHelpOptions = true,
        description = {"Feature store: list the feature views, materialize them to features/<view>/v<N>/, and build "
                + "point-in-time-correct training sets."},
        subcommands = {FeaturesListCommand.class, FeaturesBuildCommand.class, TrainingSetCommand.class})
public final class FeaturesCommand extends CxmlCommand {
    @Override
    public Integer call() {
        spec.commandLine().usage(System.out);
        return 0;
    }
}
