package io.cxml.jobs.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.config.Configurator;

/**
 * What a job prints while it runs: the shipped {@code conf/log4j2.properties} (one line per step, library noise
 * lowered), or with {@code --verbose} {@code conf/log4j2-verbose.properties} (INFO everywhere) and stack traces of
 * failures. The Snowflake driver logs through SLF4J (so through the same configuration) instead of its default
 * java.util.logging console handler.
 */
public final class ConsoleLogging {
    /** The global option that turns on full logs and stack traces. */
    public static final String VERBOSE_OPTION = "--verbose";
    /** snowflake-jdbc's switch of its logging back end. */
    static final String SNOWFLAKE_LOGGER_PROPERTY = "net.snowflake.jdbc.loggerImpl";
    static final String SNOWFLAKE_SLF4J = "net.snowflake.client.log.SLF4JLogger";
    private static final String VERBOSE_CONFIG = "log4j2-verbose.properties";

    private static volatile boolean verbose;

    private ConsoleLogging() {}

    /**
     * Sets up logging for one command line; call before any job code runs.
     *
     * @param args the command line
     */
    public static void configure(String... args) {
        if (System.getProperty(SNOWFLAKE_LOGGER_PROPERTY) == null) {
            System.setProperty(SNOWFLAKE_LOGGER_PROPERTY, SNOWFLAKE_SLF4J);
        }
        verbose = java.util.Arrays.asList(args).contains(VERBOSE_OPTION);
        if (verbose) {
            String confDir = System.getProperty("cxml.conf.dir");
            Path file = confDir == null ? null : Path.of(confDir, VERBOSE_CONFIG);
            if (file != null && Files.isRegularFile(file)) {
                Configurator.reconfigure(file.toUri());
            } else {
                Configurator.setAllLevels(LogManager.ROOT_LOGGER_NAME, Level.INFO);
            }
        }
    }

    /** @return whether {@value #VERBOSE_OPTION} was given */
    public static boolean verbose() {
        return verbose;
    }
}
