package io.cxml.jobs.cli;

import io.cxml.jobs.config.ConfigLoader;
import io.cxml.jobs.config.CxmlConfig;
import io.cxml.jobs.config.Settings;
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

    /** @return the effective configuration (to show it; jobs take {@link #settings()}) */
    protected CxmlConfig config() {
        GlobalOptions g = globalOptions();
        return ConfigLoader.create().optEnv(g.env).optConfigFile(g.configFile).addOverrides(g.conf).load();
    }

    /**
     * Config keys this command's own options stand for (e.g. {@code --test-share}), applied over the loaded config
     * before it is resolved. None by default.
     *
     * @return key -> value
     */
    protected java.util.Map<String, Object> keyOptions() {
        return java.util.Map.of();
    }

    /** @return the effective configuration resolved into typed settings, once, before any work starts */
    protected Settings settings() {
        CxmlConfig config = config();
        for (java.util.Map.Entry<String, Object> e : keyOptions().entrySet()) {
            config = config.with(e.getKey(), e.getValue());
        }
        return Settings.resolve(config);
    }

    /** @return the command's name as typed, e.g. {@code ingest} or {@code models list} */
    protected String jobName() {
        return spec.qualifiedName(" ").replaceFirst("^cxml ", "");
    }
}
