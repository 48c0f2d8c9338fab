package io.cxml.runtime;

import io.cxml.runtime.executor.ExecutorReport;
import io.cxml.runtime.executor.ExecutorReports;
import io.cxml.runtime.executor.ExecutorSettings;
import io.cxml.runtime.executor.ModelCache;
import java.util.Map;
import org.apache.spark.api.plugin.DriverPlugin;
import org.apache.spark.api.plugin.ExecutorPlugin;
import org.apache.spark.api.plugin.PluginContext;
import org.apache.spark.api.plugin.SparkPlugin;

/**
 * cxml's Spark plugin ({@code spark.plugins=io.cxml.runtime.CxmlSparkPlugin}, set by the session
 * factory): at executor start it applies {@link ExecutorSettings} before any task runs and reports them; at executor
 * stop it closes every cached model (native memory). On the driver it collects {@link ExecutorReport}s.
 */
public final class CxmlSparkPlugin implements SparkPlugin {
    @Override
    public DriverPlugin driverPlugin() {
        return new DriverPlugin() {
            @Override
            public Object receive(Object message) {
                if (message instanceof ExecutorReport report) {
                    ExecutorReports.receive(report);
                }
                return Boolean.TRUE;
            }
        };
    }

    @Override
    public ExecutorPlugin executorPlugin() {
        return new ExecutorPlugin() {
            @Override
            public void init(PluginContext ctx, Map<String, String> extraConf) {
                ExecutorSettings.apply(Math.max(1, ctx.conf().getInt("spark.task.cpus", 1)));
                ExecutorReports.attach(ctx);
                ExecutorReports.send();
            }

            @Override
            public void shutdown() {
                ModelCache.closeAll();
                io.cxml.runtime.routing.RoutingScorer.closeAll();
            }
        };
    }
}
