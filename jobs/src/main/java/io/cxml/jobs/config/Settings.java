package io.cxml.jobs.config;

/**
 * The effective configuration, resolved once at start-up into typed, immutable settings per area. Each area class
 * declares its keys next to their resolution and is the only place they are read; defaults live in
 * {@code conf/application.conf}. Commands receive this object and never read keys themselves.
 */
public final class Settings {
    private final CxmlConfig config;
    private final StorageSettings storage;
    private final SparkSettings spark;
    private final IngestSettings ingest;
    private final SampleSettings.Values sample;
    private final FeatureSettings features;
    private final EmbeddingSettings embeddings;
    private final TrainingSettings training;
    private final LabelSettings labels;
    private final RunSettings run;
    private final RoutingSettings routing;
    private final ScoringSettings scoring;
    private final MonitoringSettings monitoring;
    private final ExperimentSettings experiments;
    private final AssistSettings assist;

    private Settings(CxmlConfig config) {
        this.config = config;
        this.storage = StorageSettings.resolve(config);
        this.spark = SparkSettings.resolve(config);
        this.ingest = IngestSettings.resolve(config);
        this.sample = SampleSettings.resolve(config);
        this.features = FeatureSettings.resolve(config);
        this.embeddings = EmbeddingSettings.resolve(config);
        this.training = TrainingSettings.resolve(config, embeddings);
        this.labels = LabelSettings.resolve(config);
        this.run = RunSettings.resolve(config);
        this.routing = RoutingSettings.resolve(config);
        this.scoring = ScoringSettings.resolve(config);
        this.monitoring = MonitoringSettings.resolve(config);
        this.experiments = ExperimentSettings.resolve(config);
        this.assist = AssistSettings.resolve(config);
    }

    /**
     * Resolves every area.
     *
     * @param config the validated config (from {@link ConfigLoader#load()})
     * @return the settings
     * @throws ConfigError naming the key and the fix
     */
    public static Settings resolve(CxmlConfig config) {
        return new Settings(config);
    }

    /**
     * The configuration these settings were resolved from: for showing it ({@code cxml config --show}, run records)
     * and for the retraining jobs, which still take it until they move into training. Not for reading keys.
     *
     * @return the config
     */
    public CxmlConfig config() {
        return config;
    }

    /** @return storage root, S3, Snowflake source and warehouse */
    public StorageSettings storage() {
        return storage;
    }

    /** @return Spark and the executors' runtime */
    public SparkSettings spark() {
        return spark;
    }

    /** @return ingest limits */
    public IngestSettings ingest() {
        return ingest;
    }

    /** @return sample-data defaults */
    public SampleSettings.Values sample() {
        return sample;
    }

    /** @return feature views and the training-set split */
    public FeatureSettings features() {
        return features;
    }

    /** @return the base encoder of the ticket_embedding view and the heads */
    public EmbeddingSettings embeddings() {
        return embeddings;
    }

    /** @return model training, evaluation device and promotion gates */
    public TrainingSettings training() {
        return training;
    }

    /** @return where classification labels come from in the export */
    public LabelSettings labels() {
        return labels;
    }

    /** @return the run id an orchestrator gave the job */
    public RunSettings run() {
        return run;
    }

    /** @return per-tenant routing */
    public RoutingSettings routing() {
        return routing;
    }

    /** @return batch scoring */
    public ScoringSettings scoring() {
        return scoring;
    }

    /** @return drift and quality monitoring */
    public MonitoringSettings monitoring() {
        return monitoring;
    }

    /** @return online experiments and their analysis */
    public ExperimentSettings experiments() {
        return experiments;
    }

    /** @return agent assist and its knowledge base */
    public AssistSettings assist() {
        return assist;
    }
}
