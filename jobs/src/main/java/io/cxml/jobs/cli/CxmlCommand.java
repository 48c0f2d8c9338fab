package io.cxml.jobs.cli;

import io.cxml.jobs.config.ConfigLoader;
import io.cxml.jobs.config.CxmlConfig;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * Base of every cxml command: global options at any level, and the effective config, loaded and validated before
 * any work (and before Spark) starts.
 */
public abstract class CxmlCommand implements Callable<Integer> {
    @Mixin
    GlobalOptions global = new GlobalOptions();

    /** The command's model, injected by picocli. */
    @Spec
    protected CommandSpec spec;

    /** @return the global options of this command and of every command above it, merged */
    protected GlobalOptions globalOptions() {
        GlobalOptions merged = new GlobalOptions();
        for (CommandSpec s = spec; s != null; s = s.parent()) {
            if (s.userObject() instanceof CxmlCommand c) {
                merged = merged.mergedOver(c.global);
            }
        }
        return merged;
    }

    /** @return the effective configuration */
    protected CxmlConfig config() {
        GlobalOptions g = globalOptions();
        return ConfigLoader.create().optEnv(g.env).optConfigFile(g.configFile).addOverrides(g.conf).load();
    }

    /** @return the command's name as typed, e.g. {@code ingest} or {@code models list} */
    protected String jobName() {
        return spec.qualifiedName(" ").replaceFirst("^cxml ", "");
    }
}
