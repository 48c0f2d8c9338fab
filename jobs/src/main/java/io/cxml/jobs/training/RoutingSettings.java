package io.cxml.jobs.training;

import io.cxml.jobs.config.ConfigError;
import io.cxml.jobs.config.CxmlConfig;
import io.cxml.runtime.executor.ModelSource;
import io.cxml.runtime.model.ClassifierSpec;
import io.cxml.training.registry.ModelManifest;
import io.cxml.training.registry.ModelRef;
import io.cxml.training.registry.ModelRegistry;
import io.cxml.training.registry.Promotion;
import io.cxml.training.routing.RoutingGates;
import io.cxml.training.routing.RoutingMetrics;
import io.cxml.training.routing.RoutingRun;
import io.cxml.runtime.routing.RoutingTrainingOptions;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** Config keys of routing ({@code cxml.routing.*}) and their resolution into typed options. */
public final class RoutingSettings {
    /** Prefix of the routing keys. */
    public static final String ROUTING = "cxml.routing";
    /** Intent version whose probabilities routing reads, or {@code none}. */
    public static final String INTENT_MODEL = ROUTING + ".intent-model";
    /** Hashed text buckets. */
    public static final String TEXT_BUCKETS = ROUTING + ".text-buckets";

    private RoutingSettings() {}

    /**
     * @param config the config
     * @return the training options
     */
    public static RoutingTrainingOptions options(CxmlConfig config) {
        String p = ROUTING + ".";
        try {
            return new RoutingTrainingOptions(config.getInt(p + "epochs"), config.getInt(p + "batch-size"),
                    (float) config.getDouble(p + "learning-rate"), (float) config.getDouble(p + "weight-decay"),
                    config.getLong(p + "seed"), config.getInt(p + "min-tenant-examples"),
                    config.getInt(p + "max-tenant-examples"), config.getInt(p + "lookback-days"),
                    config.getInt(p + "half-life-days"),
                    config.getInt(p + "global-examples"), config.getInt(p + "tenants-per-task"));
        } catch (IllegalArgumentException e) {
            throw new ConfigError(e.getMessage() + " (keys " + p + "*)");
        }
    }

    /**
     * What one routing training run trains, from the config ({@code train routing} and {@code retrain routing}).
     *
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
        return new RoutingRun.Options(name, rows, description, options(config), config.getInt(TEXT_BUCKETS),
                TrainingSettings.splitShares(config).validation(), TrainingSettings.splitShares(config).test(), intent,
                config.getInt(TrainingSettings.SCORING_BATCH_SIZE), TrainingSettings.device(config), gates(config),
                versions, runId);
    }

    /**
     * @param config the config
     * @return the routing gates
     */
    public static RoutingGates gates(CxmlConfig config) {
        String p = ROUTING + ".gates.";
        return new RoutingGates(config.getDouble(p + "max-regressed-share"), config.getDouble(p + "tenant-tolerance"),
                config.getDouble(p + "max-median-drop"));
    }

    /**
     * The intent model routing reads: the configured reference, resolved and checked on the driver.
     *
     * @param ref {@code intent@champion}, {@code intent@v3} or {@code none}
     * @param registry the registry
     * @param hadoop Hadoop configuration
     * @return the intent input, or null for {@code none}
     */
    public static RoutingRun.IntentInput intent(String ref, ModelRegistry registry, Configuration hadoop) {
        if (ref == null || ref.isBlank() || "none".equals(ref.trim())) {
            return null;
        }
        ModelManifest m;
        try {
            m = registry.resolve(ModelRef.parse(ref.trim()));
        } catch (IllegalArgumentException e) {
            throw new ConfigError("Cannot read the intent model " + ref + " that routing uses as input: "
                    + e.getMessage() + ". Train and promote intent first, or set " + INTENT_MODEL + "=none");
        }
        return intentAt(m.name() + "@" + m.version(), registry.modelUri(m.name(), m.version()), hadoop);
    }

    /**
     * @param label {@code intent@v3}
     * @param modelUri its model directory
     * @param hadoop Hadoop configuration
     * @return the intent input
     */
    public static RoutingRun.IntentInput intentAt(String label, String modelUri, Configuration hadoop) {
        ModelSource source = ModelSource.of(modelUri, label, hadoop);
        ClassifierSpec spec = ModelSource.readSpec(modelUri, hadoop);
        return new RoutingRun.IntentInput(label, source, spec);
    }

    /**
     * @param registry the registry
     * @param gates the routing gates
     * @return the promotion gates of routing versions (none for other tasks)
     */
    public static Promotion.ExtraGates promotionGates(ModelRegistry registry, RoutingGates gates) {
        return (candidate, champion) -> {
            if (!RoutingRun.TASK.equals(candidate.task())) {
                return List.of();
            }
            RoutingMetrics m = metrics(registry, candidate);
            return gates.check(m, champion == null ? null : champion.name() + "@" + champion.version());
        };
    }

    /**
     * @param registry the registry
     * @param version a routing version
     * @return its held-out routing metrics
     */
    public static RoutingMetrics metrics(ModelRegistry registry, ModelManifest version) {
        return RoutingMetrics.read(registry.versionUri(version.name(), version.version()) + "/"
                + ModelRegistry.REPORT_DIR, registry.hadoop());
    }
}
