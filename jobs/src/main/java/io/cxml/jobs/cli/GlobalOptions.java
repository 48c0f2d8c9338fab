package io.cxml.jobs.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** Options every command takes, before or after the job name. */
public final class GlobalOptions {
    @Option(names = "--env", paramLabel = "ENV",
            description = "Config overlay conf/ENV.conf (e.g. dev, prod) on top of application.conf.")
    String env;

    @Option(names = "--conf", paramLabel = "KEY=VALUE",
            description = "Override any config key (repeatable), e.g. --conf cxml.storage.root=/tmp/cxml. "
                    + "spark.* keys go to Spark: --conf spark.sql.shuffle.partitions=8.")
    List<String> conf = new ArrayList<>();

    @Option(names = "--config-file", paramLabel = "FILE", description = "Extra HOCON file, above --env.")
    Path configFile;

    @Option(names = ConsoleLogging.VERBOSE_OPTION,
            description = "Log every library at INFO, unfiltered, and print the stack trace of a failure.")
    boolean verbose;

    /**
     * Merges options given at several levels ({@code cxml --conf a=1 ingest --conf b=2}); the later level wins.
     *
     * @param outer the options given before the job name
     * @return the merged options
     */
    GlobalOptions mergedOver(GlobalOptions outer) {
        GlobalOptions merged = new GlobalOptions();
        merged.env = env != null ? env : outer.env;
        merged.configFile = configFile != null ? configFile : outer.configFile;
        merged.verbose = verbose || outer.verbose;
        merged.conf.addAll(outer.conf);
        merged.conf.addAll(conf);
        return merged;
    }
}
