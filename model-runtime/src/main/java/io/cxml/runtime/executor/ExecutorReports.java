package io.cxml.runtime.executor;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.api.plugin.PluginContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Executor reports on both sides: in an executor JVM, {@link #send} hands the latest {@link ExecutorReport} to the
 * driver through the plugin's RPC channel (blocking, so the driver has it before the task that loaded a model
 * ends); in the driver JVM, {@link #snapshot} holds the latest report of every executor, for run records.
 */
public final class ExecutorReports {
    private static final Logger LOG = LoggerFactory.getLogger(ExecutorReports.class);
    private static final Map<String, ExecutorReport> RECEIVED = new ConcurrentHashMap<>();
    private static volatile PluginContext context;

    private ExecutorReports() {}

    /** Called by the executor plugin at executor start. */
    public static void attach(PluginContext pluginContext) {
        context = pluginContext;
    }

    /** Called by the driver plugin for each message. */
    public static void receive(ExecutorReport report) {
        RECEIVED.put(report.executorId(), report);
    }

    /** Sends this JVM's current report to the driver; a no-op where the cxml plugin is not installed. */
    public static void send() {
        PluginContext ctx = context;
        ExecutorReport report = new ExecutorReport(ctx == null ? "unregistered" : ctx.executorID(),
                ProcessHandle.current().pid(), ExecutorSettings.inForce(), ModelCache.loads());
        if (ctx == null) {
            LOG.debug("no cxml executor plugin in this JVM: report not sent ({})", report);
            return;
        }
        try {
            ctx.ask(report);
        } catch (Exception e) {
            LOG.warn("Could not send the executor report to the driver: {}", e.getMessage());
        }
    }

    /** @return the latest report of every executor that sent one (driver side), by executor id */
    public static Map<String, ExecutorReport> snapshot() {
        return new TreeMap<>(RECEIVED);
    }

    /** Forgets received reports (driver side), e.g. between the jobs of one session. */
    public static void clear() {
        RECEIVED.clear();
    }
}
