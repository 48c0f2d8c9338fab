package io.cxml.jobs.training;

import io.cxml.jobs.config.ConfigError;
import io.cxml.jobs.config.RoutingSettings;
import io.cxml.jobs.config.Settings;
import io.cxml.runtime.executor.ModelSource;
import io.cxml.runtime.model.ClassifierSpec;
import io.cxml.training.registry.ModelManifest;
import io.cxml.training.registry.ModelRef;
import io.cxml.training.registry.ModelRegistry;
import io.cxml.training.registry.Promotion;
import io.cxml.training.routing.RoutingGates;
import io.cxml.training.routing.RoutingMetrics;
import io.cxml.training.routing.RoutingRun;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** Routing models in the registry: the intent input, the run options built from the settings, promotion gates. */
public final class RoutingModels {
    private RoutingModels() {}

    /**
     * What one routing training run trains ({@code train routing}, the pipeline).
     *
     * @param settings the resolved settings
     * @param name registry name
     * @param rows routing rows
     * @param description where they came from
     * @param intent the intent input, or null
     * @param versions feature view versions joined
     * @param runId the run
     * @return the options
     */
    public static RoutingRun.Options runOptions(Settings settings, String name, Dataset<Row> rows, String description,
            RoutingRun.IntentInput intent, Map<String, String> versions, String runId) {
        RoutingSettings r = settings.routing();
        return RoutingRun.Options.builder().setName(name).setRows(rows).setDescription(description)
                .setTraining(r.options()).setTextBuckets(r.textBuckets())
                .setValidationFraction(settings.training().splitShares().validation())
                .setTestFraction(settings.training().splitShares().test()).optIntent(intent)
                .optEmbedding(embedding(settings))
                .setBatchSize(settings.scoring().batchSize()).setDevice(settings.training().device())
                .setGates(r.gates()).setFeatureVersions(versions).setRunId(runId).build();
    }

    /**
     * The ticket embedding routing reads: the configured base encoder (checked here, before Spark reads data) and
     * {@code cxml.routing.embedding-dims} directions; none without an encoder or with 0 directions.
     *
     * @param settings the resolved settings
     * @return the embedding input, or null
     */
    public static RoutingRun.EmbeddingInput embedding(Settings settings) {
        int dims = settings.routing().embeddingDims();
        if (dims == 0 || !settings.embeddings().enabled()) {
            return null;
        }
        return new RoutingRun.EmbeddingInput(settings.embeddings().requireEncoder(), dims,
                settings.embeddings().batchSize());
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
                    + e.getMessage() + ". Train and promote intent first, or set " + RoutingSettings.INTENT_MODEL + "=none");
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
