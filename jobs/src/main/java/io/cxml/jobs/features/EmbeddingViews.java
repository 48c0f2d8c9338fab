package io.cxml.jobs.features;

import io.cxml.features.FeatureRegistry;
import io.cxml.features.view.FeatureView;
import io.cxml.features.view.FeatureViews;
import io.cxml.jobs.config.ConfigError;
import io.cxml.jobs.config.Settings;
import io.cxml.runtime.embedding.BaseEncoder;
import io.cxml.runtime.embedding.EmbeddingStore;
import io.cxml.runtime.views.TicketEmbeddingView;
import io.cxml.storage.StorageFiles;
import io.cxml.storage.StorageLayout;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code ticket_embedding} view of the configured base encoder, in the jobs' catalog beside the built-in views
 * (it needs the encoder, which lives above the feature store), and its activation as the session's
 * {@link EmbeddingStore}, so that heads read the stored vectors instead of embedding again.
 */
public final class EmbeddingViews {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddingViews.class);

    private EmbeddingViews() {}

    /**
     * @param config the settings
     * @return the built-in views, plus {@code ticket_embedding} when a base encoder is configured (checked here)
     */
    public static FeatureViews catalog(Settings config) {
        List<FeatureView> views = new ArrayList<>(FeatureViews.builtIn(config.features().options()).all());
        if (config.embeddings().enabled()) {
            views.add(view(config, config.embeddings().requireEncoder()));
        }
        return FeatureViews.of(views);
    }

    private static TicketEmbeddingView view(Settings config, BaseEncoder base) {
        return new TicketEmbeddingView(base, config.embeddings().ttl(), config.embeddings().batchSize(),
                config.training().device());
    }

    /**
     * Names the configured encoder's stored vectors for the session, when they exist. Lenient: without an encoder
     * folder or a built view the heads embed what they read themselves.
     *
     * @param config the settings
     * @param spark the session
     * @param layout the storage layout
     */
    public static void activate(Settings config, SparkSession spark, StorageLayout layout) {
        if (!config.embeddings().enabled()) {
            return;
        }
        BaseEncoder base;
        try {
            base = config.embeddings().requireEncoder();
        } catch (ConfigError e) {
            LOG.info("no stored embeddings: {}", e.getMessage());
            return;
        }
        FeatureRegistry registry = new FeatureRegistry(layout, spark.sparkContext().hadoopConfiguration());
        registry.find(view(config, base).definition()).ifPresent(version -> {
            String path = registry.pathOf(version);
            if (StorageFiles.exists(path, spark.sparkContext().hadoopConfiguration())) {
                EmbeddingStore.activate(spark, base, path);
                LOG.info("stored embeddings of {}: {} v{}", base, TicketEmbeddingView.NAME, version.version);
            }
        });
    }
}
