package io.cxml.jobs.config;

import io.cxml.runtime.routing.RoutingTrainingOptions;
import io.cxml.training.routing.RoutingGates;

/**
 * Routing area ({@code cxml.routing.*}): per-tenant training options, the text buckets, the intent model routing
 * reads, the active-team lookback and the promotion gates. Resolved once by {@link Settings#resolve}; the only place
 * these keys are read. Defaults live in {@code conf/application.conf}.
 */
public final class RoutingSettings {
    /** Prefix of the routing keys. */
    public static final String ROUTING = "cxml.routing";
    /** Config key: training epochs. */
    public static final String EPOCHS = ROUTING + ".epochs";
    /** Config key: examples per training batch. */
    public static final String BATCH_SIZE = ROUTING + ".batch-size";
    /** Config key: AdamW learning rate. */
    public static final String LEARNING_RATE = ROUTING + ".learning-rate";
    /** Config key: AdamW weight decay. */
    public static final String WEIGHT_DECAY = ROUTING + ".weight-decay";
    /** Config key: training seed. */
    public static final String SEED = ROUTING + ".seed";
    /** Config key: tenants with fewer training tickets use the global model. */
    public static final String MIN_TENANT_EXAMPLES = ROUTING + ".min-tenant-examples";
    /** Config key: a tenant's most recent tickets kept for training. */
    public static final String MAX_TENANT_EXAMPLES = ROUTING + ".max-tenant-examples";
    /** Config key: a tenant's current teams are those seen in its last N days (also scoring's active teams). */
    public static final String LOOKBACK_DAYS = ROUTING + ".lookback-days";
    /** Config key: an example's weight halves every N days of age. */
    public static final String HALF_LIFE_DAYS = ROUTING + ".half-life-days";
    /** Config key: tickets the global fallback model learns from. */
    public static final String GLOBAL_EXAMPLES = ROUTING + ".global-examples";
    /** Config key: target tenants per training task. */
    public static final String TENANTS_PER_TASK = ROUTING + ".tenants-per-task";
    /** Hashed text buckets. */
    public static final String TEXT_BUCKETS = ROUTING + ".text-buckets";
    /** Intent version whose probabilities routing reads, or {@code none}. */
    public static final String INTENT_MODEL = ROUTING + ".intent-model";
    /** Directions of the ticket embedding routing reads when a base encoder is configured; 0 = none. */
    public static final String EMBEDDING_DIMS = ROUTING + ".embedding-dims";
    /** Config keys of the routing promotion gates. */
    public static final String GATE_MAX_REGRESSED_SHARE = ROUTING + ".gates.max-regressed-share";
    public static final String GATE_TENANT_TOLERANCE = ROUTING + ".gates.tenant-tolerance";
    public static final String GATE_MAX_MEDIAN_DROP = ROUTING + ".gates.max-median-drop";

    private final RoutingTrainingOptions options;
    private final int textBuckets;
    private final String intentModel;
    private final int lookbackDays;
    private final int embeddingDims;
    private final RoutingGates gates;

    private RoutingSettings(CxmlConfig config) {
        try {
            this.options = RoutingTrainingOptions.builder()
                    .setEpochs(config.getInt(EPOCHS))
                    .setBatchSize(config.getInt(BATCH_SIZE))
                    .setLearningRate((float) config.getDouble(LEARNING_RATE))
                    .setWeightDecay((float) config.getDouble(WEIGHT_DECAY))
                    .setSeed(config.getLong(SEED))
                    .setMinTenantExamples(config.getInt(MIN_TENANT_EXAMPLES))
                    .setMaxTenantExamples(config.getInt(MAX_TENANT_EXAMPLES))
                    .setLookbackDays(config.getInt(LOOKBACK_DAYS))
                    .setHalfLifeDays(config.getInt(HALF_LIFE_DAYS))
                    .setGlobalExamples(config.getInt(GLOBAL_EXAMPLES))
                    .setTenantsPerTask(config.getInt(TENANTS_PER_TASK))
                    .build();
        } catch (IllegalArgumentException e) {
            throw new ConfigError(e.getMessage() + " (keys " + ROUTING + ".*)");
        }
        this.textBuckets = config.getInt(TEXT_BUCKETS);
        this.intentModel = config.getString(INTENT_MODEL);
        this.lookbackDays = config.getInt(LOOKBACK_DAYS);
        this.embeddingDims = config.getInt(EMBEDDING_DIMS);
        if (embeddingDims < 0) {
            throw new ConfigError("Cannot route on " + embeddingDims + " embedding directions: set " + EMBEDDING_DIMS
                    + " to 0 (none) or more");
        }
        this.gates = new RoutingGates(config.getDouble(GATE_MAX_REGRESSED_SHARE),
                config.getDouble(GATE_TENANT_TOLERANCE), config.getDouble(GATE_MAX_MEDIAN_DROP));
    }

    /**
     * @param config the validated config
     * @return the routing settings
     * @throws ConfigError when a training option is out of range
     */
    public static RoutingSettings resolve(CxmlConfig config) {
        return new RoutingSettings(config);
    }

    /** @return the per-tenant training options */
    public RoutingTrainingOptions options() {
        return options;
    }

    /** @return hashed word buckets of the text block of the input vector */
    public int textBuckets() {
        return textBuckets;
    }

    /** @return the intent version whose probabilities routing reads ({@code intent@champion}), or {@code none} */
    public String intentModel() {
        return intentModel;
    }

    /** @return days of history that make a tenant's current teams (0 = every team ever seen) */
    public int lookbackDays() {
        return lookbackDays;
    }

    /**
     * @return directions of the ticket embedding routing reads (0: none; used only when a base encoder is
     *     configured, {@code cxml.embeddings.encoder.path})
     */
    public int embeddingDims() {
        return embeddingDims;
    }

    /** @return the routing promotion gates */
    public RoutingGates gates() {
        return gates;
    }
}
