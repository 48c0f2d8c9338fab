package io.cxml.testing;

import java.io.StringWriter;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.WriterAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.Configurator;
import org.apache.logging.log4j.core.layout.PatternLayout;

/**
 * Captures everything logged while it is open: Log4j 2 (Spark, Hadoop, AWS SDK, cxml through SLF4J) with stack
 * traces, and java.util.logging (the Snowflake driver's default), with the given loggers turned up to DEBUG.
 */
public final class LogCapture implements AutoCloseable {
    private final StringWriter text = new StringWriter();
    private final WriterAppender appender;
    private final Handler julHandler;
    private final List<String> debugLoggers;

    private LogCapture(List<String> debugLoggers) {
        this.debugLoggers = debugLoggers;
        LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
        Configuration config = ctx.getConfiguration();
        appender = WriterAppender.newBuilder().setName("cxml-log-capture").setTarget(text)
                .setLayout(PatternLayout.newBuilder().withPattern("%p %c: %m%n%throwable").build()).build();
        appender.start();
        config.addAppender(appender);
        config.getRootLogger().addAppender(appender, Level.ALL, null);
        for (String logger : debugLoggers) {
            Configurator.setLevel(logger, Level.DEBUG);
        }
        ctx.updateLoggers();
        julHandler = new Handler() {
            @Override
            public synchronized void publish(LogRecord r) {
                text.write("JUL " + r.getLevel() + " " + r.getLoggerName() + ": " + r.getMessage() + " "
                        + (r.getParameters() == null ? "" : java.util.Arrays.toString(r.getParameters()))
                        + (r.getThrown() == null ? "" : " " + r.getThrown()) + "\n");
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        julHandler.setLevel(java.util.logging.Level.ALL);
        java.util.logging.Logger.getLogger("").addHandler(julHandler);
        java.util.logging.Logger.getLogger("net.snowflake").setLevel(java.util.logging.Level.FINE);
    }

    /**
     * @param debugLoggers loggers to turn up to DEBUG while capturing
     * @return an open capture
     */
    public static LogCapture start(String... debugLoggers) {
        return new LogCapture(List.of(debugLoggers));
    }

    /** @return everything captured so far */
    public String text() {
        return text.toString();
    }

    @Override
    public void close() {
        LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
        ctx.getConfiguration().getRootLogger().removeAppender(appender.getName());
        for (String logger : debugLoggers) {
            Configurator.setLevel(logger, Level.INFO);
        }
        ctx.updateLoggers();
        appender.stop();
        java.util.logging.Logger.getLogger("").removeHandler(julHandler);
        java.util.logging.Logger.getLogger("net.snowflake").setLevel(java.util.logging.Level.INFO);
    }
}
