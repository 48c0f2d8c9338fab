package io.cxml.jobs.training;

import io.cxml.jobs.config.CxmlConfig;
import io.cxml.jobs.config.Settings;
import io.cxml.training.registry.ModelRegistry;
import io.cxml.training.routing.RoutingGates;
import io.cxml.training.routing.RoutingRun;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Compatibility path for the retraining jobs ({@code io.cxml.jobs.retrain}), which still take a {@link CxmlConfig}
 * while they move into training: delegates to {@link io.cxml.jobs.config.RoutingSettings} and {@link RoutingModels}.
 * Reads no key itself. New code uses {@link Settings#routing()}.
 */
@Deprecated
public final class RoutingSettings {
    /** See {@link io.cxml.jobs.config.RoutingSettings#ROUTING}. */
    public static final String ROUTING = io.cxml.jobs.config.RoutingSettings.ROUTING;
    /** See {@link io.cxml.jobs.config.RoutingSettings#INTENT_MODEL}. */
    public static final String INTENT_MODEL = io.cxml.jobs.config.RoutingSettings.INTENT_MODEL;
    /** See {@link io.cxml.jobs.config.RoutingSettings#TEXT_BUCKETS}. */
    public static final String TEXT_BUCKETS = io.cxml.jobs.config.RoutingSettings.TEXT_BUCKETS;

    private RoutingSettings() {}

    /**
     * @param config the config
     * @param name registry name
     * @param rows routing rows
     * @param description where they came from
     * @param intent the intent input, or null
     * @param versions feature view versions joined
     * @param runId the run
     * @return the options
     */
    public static RoutingRun.Options runOptions(CxmlConfig config, String name, Dataset<Row> rows, String description,
            RoutingRun.IntentInput intent, Map<String, String> versions, String runId) {
        return RoutingModels.runOptions(Settings.resolve(config), name, rows, description, intent, versions, runId);
    }

    /**
     * @param config the config
     * @return the routing gates
     */
    public static RoutingGates gates(CxmlConfig config) {
        return io.cxml.jobs.config.RoutingSettings.resolve(config).gates();
    }

    /**
     * @param ref {@code intent@champion}, {@code intent@v3} or {@code none}
     * @param registry the registry
     * @param hadoop Hadoop configuration
     * @return the intent input, or null for {@code none}
     */
    public static RoutingRun.IntentInput intent(String ref, ModelRegistry registry, Configuration hadoop) {
        return RoutingModels.intent(ref, registry, hadoop);
    }
}
