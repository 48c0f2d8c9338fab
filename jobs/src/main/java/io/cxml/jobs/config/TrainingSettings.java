package io.cxml.jobs.config;

import io.cxml.runtime.embedding.EmbeddingHead;
import io.cxml.training.text.HeadOptions;
import io.cxml.features.split.SplitShares;
import io.cxml.runtime.executor.DevicePreference;
import io.cxml.runtime.text.FeaturizerConfig;
import io.cxml.runtime.text.HashedNgramEncoder;
import io.cxml.training.baseline.BaselineSettings;
import io.cxml.training.registry.QualityGates;
import io.cxml.training.text.FineTuneOptions;
import io.cxml.training.text.TrainingOptions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Training area ({@code cxml.training.*} and the promotion gates {@code cxml.models.gates.*}): the trainers' options
 * per task, held-out shares, baseline, encoder, device. Resolved once by {@link Settings#resolve}; the only place these
 * keys are read. Defaults live in {@code conf/application.conf}; {@code --conf} overrides them.
 */
public final class TrainingSettings {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(TrainingSettings.class);
    /** Prefix of the training keys. */
    public static final String TRAINING = "cxml.training";
    /** Share of rows for validation (early stopping, temperature) when the source carries no split. */
    public static final String VALIDATION_SHARE = TRAINING + ".validation-share";
    /** Share of rows held out for evaluation when the source carries no split. */
    public static final String TEST_SHARE = TRAINING + ".test-share";
    /** Former name of {@link #VALIDATION_SHARE} (same meaning), read with a warning. */
    public static final String OLD_VALIDATION_FRACTION = TRAINING + ".validation-fraction";
    /** Former name of {@link #TEST_SHARE} (same meaning), read with a warning. */
    public static final String OLD_TEST_FRACTION = TRAINING + ".test-fraction";
    /** Confidence below which predictions route to "unknown". */
    public static final String UNKNOWN_THRESHOLD = TRAINING + ".unknown-threshold";
    /** Prefix of the baseline's settings ({@code features} (0 = no baseline), {@code reg-param}, ...). */
    public static final String BASELINE = TRAINING + ".baseline";
    /** Former name of {@code cxml.training.baseline.features} (same meaning), read with a warning. */
    public static final String OLD_BASELINE_FEATURES = TRAINING + ".baseline-features";
    /** auto, cpu or gpu. */
    public static final String DEVICE = TRAINING + ".device";
    /** Config key: gold label of out-of-scope rows (correct when routed to unknown); empty for none. */
    public static final String OUT_OF_SCOPE_LABEL = TRAINING + ".out-of-scope-label";
    /** Share of the first retraining window frozen as the evaluation set, in (0, 0.5). */
    public static final String EVAL_SET_FRACTION = "cxml.retrain.eval-set-fraction";
    /** Prefix of the text-encoder keys ({@code kind}, {@code path} and the fine-tuning settings). */
    public static final String ENCODER = TRAINING + ".encoder";
    /** Prefix of the head-on-embeddings settings ({@code reg-param}, {@code max-iter}, {@code tol}). */
    public static final String HEAD = TRAINING + ".head";
    /** Prefix of the promotion gates. */
    public static final String GATES = "cxml.models.gates";

    /** The tasks with a per-task block under {@code cxml.training} ({@code buckets}, {@code dim}, ...). */
    public static final List<String> TASKS = List.of("intent", "sentiment");

    private final Map<String, TrainingOptions> tasks = new LinkedHashMap<>();
    private final SplitShares splitShares;
    private final double unknownThreshold;
    private final BaselineSettings baseline;
    private final DevicePreference device;
    private final String outOfScopeLabel;
    private final QualityGates gates;
    private final double evalSetFraction;

    private final EmbeddingSettings embeddings;
    private final String encoderKind;
    private final List<Double> headRegParams;
    private final int headMaxIter;
    private final double headTol;
    private final double headOosQuantile;
    private final int headNgramBuckets;
    private final List<Double> headNgramRegParams;

    private TrainingSettings(CxmlConfig config, EmbeddingSettings embeddings) {
        this.device = device(config);
        this.embeddings = embeddings;
        this.encoderKind = encoderKind(config, embeddings);
        this.headRegParams = strengths(config, HEAD + ".reg-param");
        this.headMaxIter = config.getInt(HEAD + ".max-iter");
        this.headTol = config.getDouble(HEAD + ".tol");
        this.headOosQuantile = config.getDouble(HEAD + ".oos-quantile");
        if (!(headOosQuantile > 0 && headOosQuantile <= 1)) {
            throw new ConfigError("Cannot calibrate out-of-scope detection at " + HEAD + ".oos-quantile = "
                    + headOosQuantile + ": use a value in (0, 1] (0.95 rejects about 5% of in-scope tickets)");
        }
        this.headNgramBuckets = config.getInt(HEAD + ".ngram-buckets");
        this.headNgramRegParams = strengths(config, HEAD + ".ngram-reg-param");
        if (headNgramBuckets != 0 && (headNgramBuckets < 2 || headNgramBuckets > 1 << 20)) {
            throw new ConfigError("Cannot train a hybrid head with " + HEAD + ".ngram-buckets = " + headNgramBuckets
                    + ": use 0 (the vector alone) or 2..1048576 (32768 is the measured setting; the head holds "
                    + "labels x buckets weights)");
        }
        for (String task : TASKS) {
            tasks.put(task, options(config, task, encoderKind));
        }
        this.splitShares = splitShares(config);
        this.unknownThreshold = config.getDouble(UNKNOWN_THRESHOLD);
        this.baseline = baseline(config);
        this.outOfScopeLabel = config.getString(OUT_OF_SCOPE_LABEL);
        this.gates = gates(config);
        this.evalSetFraction = config.getDouble(EVAL_SET_FRACTION);
        if (!(evalSetFraction > 0 && evalSetFraction < 0.5)) {
            throw new ConfigError("Cannot freeze " + evalSetFraction + " of the window as evaluation set: "
                    + EVAL_SET_FRACTION + " must be in (0, 0.5)");
        }
    }

    /**
     * @param config the validated config
     * @return the training settings
     * @throws ConfigError when a value is out of range
     */
    public static TrainingSettings resolve(CxmlConfig config) {
        return resolve(config, EmbeddingSettings.resolve(config));
    }

    /**
     * @param config the validated config
     * @param embeddings the embeddings area (the base encoder of heads)
     * @return the training settings
     * @throws ConfigError when a value is out of range
     */
    public static TrainingSettings resolve(CxmlConfig config, EmbeddingSettings embeddings) {
        return new TrainingSettings(config, embeddings);
    }

    /**
     * {@code auto} is {@value EmbeddingHead#KIND} when a base encoder is configured, else the hashed n-gram model.
     */
    /**
     * L2 strengths to choose from on the validation rows: a list ({@code [1e-4, 1e-3]}). The loader already rejects a
     * lone number for these keys (their reference value is a list); a config built without it may still hold one.
     */
    private static List<Double> strengths(CxmlConfig config, String key) {
        com.typesafe.config.ConfigValue value = config.raw().getValue(key);
        List<Double> out = new java.util.ArrayList<>();
        try {
            switch (value.valueType()) {
                case LIST -> out.addAll(config.raw().getDoubleList(key));
                default -> out.add(config.getDouble(key));
            }
        } catch (RuntimeException e) {
            out.clear();
        }
        if (out.isEmpty() || !out.stream().allMatch(r -> r >= 0 && Double.isFinite(r))) {
            throw new ConfigError("Cannot train a head with " + key + " = "
                    + value.render(com.typesafe.config.ConfigRenderOptions.concise()) + ": give one or more "
                    + "values >= 0 to choose from on the validation rows, e.g. [1e-3] or [1e-4, 1e-3, 1e-2]");
        }
        return List.copyOf(out);
    }

    private static String encoderKind(CxmlConfig config, EmbeddingSettings embeddings) {
        String kind = config.getString(ENCODER + ".kind").trim().toLowerCase(Locale.ROOT);
        if ("auto".equals(kind)) {
            return embeddings.enabled() ? EmbeddingHead.KIND : HashedNgramEncoder.KIND;
        }
        if (!List.of(EmbeddingHead.KIND, HashedNgramEncoder.KIND, "pretrained").contains(kind)) {
            throw new ConfigError("Cannot use " + ENCODER + ".kind = '" + kind + "': expected auto, "
                    + EmbeddingHead.KIND + ", " + HashedNgramEncoder.KIND + " or pretrained");
        }
        if (EmbeddingHead.KIND.equals(kind) && !embeddings.enabled()) {
            throw new ConfigError("Cannot train heads on embeddings: " + EmbeddingSettings.ENCODER_PATH + " is 'none'. "
                    + "Set it (empty = the default encoder) or use " + ENCODER + ".kind = hashed-ngram");
        }
        return kind;
    }

    /** @return the text-model kind trained: {@value EmbeddingHead#KIND}, hashed-ngram or pretrained */
    public String encoderKind() {
        return encoderKind;
    }

    /**
     * @param task {@code intent} or {@code sentiment}
     * @return the trainer's options of that task
     */
    public TrainingOptions options(String task) {
        TrainingOptions o = tasks.get(task);
        if (o != null && EmbeddingHead.KIND.equals(encoderKind) && o.head() == null) {
            // The encoder is checked and fingerprinted only by jobs that train, not by every job's start.
            // A hybrid head's n-grams are the task's hashed model's, into the head's own (smaller) bucket count.
            FeaturizerConfig f = o.featurizer();
            FeaturizerConfig ngrams = headNgramBuckets == 0 ? null : new FeaturizerConfig(headNgramBuckets,
                    f.wordNgrams(), f.charMinN(), f.charMaxN(), f.maxFeatures());
            o = o.toBuilder().optHead(new HeadOptions(embeddings.requireEncoder(), headRegParams, headMaxIter, headTol,
                    embeddings.batchSize(), headOosQuantile, ngrams, headNgramRegParams)).build();
            tasks.put(task, o);
        }
        if (o == null) {
            throw new ConfigError("Missing required config key '" + TRAINING + "." + task + ".buckets': set it in a "
                    + "conf file, with --conf " + TRAINING + "." + task + ".buckets=..., or through its environment "
                    + "variable");
        }
        return o;
    }

    /** @return the heads' L2 strengths to choose from on validation ({@code head.reg-param}) */
    public List<Double> headRegParams() {
        return headRegParams;
    }

    /** @return a hybrid head's n-gram L2 strengths to choose from ({@code head.ngram-reg-param}) */
    public List<Double> headNgramRegParams() {
        return headNgramRegParams;
    }

    /** @return the trainers' held-out shares (for sources without their own split) */
    public SplitShares splitShares() {
        return splitShares;
    }

    /** @return calibrated confidence below which a prediction is routed to "unknown" */
    public double unknownThreshold() {
        return unknownThreshold;
    }

    /** @return the baseline's settings, or null when {@code cxml.training.baseline.features = 0} (no baseline) */
    public BaselineSettings baseline() {
        return baseline;
    }

    /** @return the device of training and scoring tasks */
    public DevicePreference device() {
        return device;
    }

    /** @return the gold label of out-of-scope rows; blank for none */
    public String outOfScopeLabel() {
        return outOfScopeLabel;
    }

    /** @return the share of the first retraining window frozen as the evaluation set */
    public double evalSetFraction() {
        return evalSetFraction;
    }

    /** @return the promotion gates */
    public QualityGates gates() {
        return gates;
    }

    private static TrainingOptions options(CxmlConfig config, String task, String kind) {
        String p = TRAINING + "." + task + ".";
        return TrainingOptions.builder()
                .optFeaturizer(new FeaturizerConfig(config.getInt(p + "buckets"), config.getInt(p + "word-ngrams"),
                        config.getInt(p + "char-min-n"), config.getInt(p + "char-max-n"),
                        config.getInt(p + "max-features")))
                .optDim(config.getInt(p + "dim"))
                .optEpochs(config.getInt(p + "epochs"))
                .optBatchSize(config.getInt(p + "batch-size"))
                .optLearningRate((float) config.getDouble(p + "learning-rate"))
                .optSeed(config.getLong(p + "seed"))
                .optPatience(config.getInt(p + "patience"))
                .optDevice(device(config))
                .optPretrained("pretrained".equals(kind) ? pretrained(config) : null)
                .build();
    }

    /**
     * The trainers' held-out shares (for sources without their own split). The former {@code *-fraction} keys meant
     * the same shares and are still read, with a warning.
     *
     * @param config the validated config
     * @return the shares
     * @throws ConfigError when the shares are invalid
     */
    private static SplitShares splitShares(CxmlConfig config) {
        double validation = share(config, VALIDATION_SHARE, OLD_VALIDATION_FRACTION);
        double test = share(config, TEST_SHARE, OLD_TEST_FRACTION);
        try {
            return new SplitShares(validation, test);
        } catch (IllegalArgumentException e) {
            throw new ConfigError(e.getMessage() + " (keys " + VALIDATION_SHARE + ", " + TEST_SHARE + ")", e);
        }
    }

    private static double share(CxmlConfig config, String key, String formerKey) {
        if (!config.has(formerKey)) {
            return config.getDouble(key);
        }
        LOG.warn("{} is deprecated: it is now {} (same meaning, a share of rows); using {} = {}", formerKey, key, key,
                config.getDouble(formerKey));
        return config.getDouble(formerKey);
    }

    /**
     * @param config the validated config
     * @return the baseline's settings, or null when {@code cxml.training.baseline.features = 0} (no baseline)
     * @throws ConfigError when a setting is out of range
     */
    private static BaselineSettings baseline(CxmlConfig config) {
        String p = BASELINE + ".";
        int features = config.getInt(p + "features");
        if (config.has(OLD_BASELINE_FEATURES)) {
            features = config.getInt(OLD_BASELINE_FEATURES);
            LOG.warn("{} is deprecated: it is now {}features (same meaning); using {}", OLD_BASELINE_FEATURES, p,
                    features);
        }
        if (features == 0) {
            return null;
        }
        try {
            return new BaselineSettings(features, config.getInt(p + "min-doc-freq"), config.getBoolean(p + "normalize"),
                    config.getDouble(p + "reg-param"),
                    config.getDouble(p + "elastic-net"), config.getInt(p + "max-iter"), config.getDouble(p + "tol"),
                    config.getBoolean(p + "standardization"));
        } catch (IllegalArgumentException e) {
            throw new ConfigError(e.getMessage() + " (keys " + p + "*)", e);
        }
    }

    /**
     * @param config the config
     * @return the fine-tuning settings ({@code cxml.training.encoder.kind = pretrained})
     */
    private static FineTuneOptions pretrained(CxmlConfig config) {
        String p = ENCODER + ".";
        String path = config.getString(p + "path");
        if (path.isBlank()) {
            throw new ConfigError("Cannot fine-tune a pretrained encoder: " + p + "path is empty. Set it"
                    + " to a Hugging Face folder (config.json, tokenizer.json, model.safetensors)");
        }
        try {
            return FineTuneOptions.builder().setPath(path)
                    .setMaxSeqLength(config.getInt(p + "max-seq-length"))
                    .setEpochs(config.getInt(p + "epochs"))
                    .setBatchSize(config.getInt(p + "batch-size"))
                    .setLearningRate((float) config.getDouble(p + "learning-rate"))
                    .setWarmupFraction((float) config.getDouble(p + "warmup-fraction"))
                    .setWeightDecay((float) config.getDouble(p + "weight-decay"))
                    .setClipNorm((float) config.getDouble(p + "clip-norm"))
                    .setFrozenLayers(config.getInt(p + "frozen-layers"))
                    .build();
        } catch (IllegalArgumentException e) {
            throw new ConfigError(e.getMessage() + " (keys " + p + "*)");
        }
    }

    /**
     * @param config the config
     * @return the promotion gates
     */
    private static QualityGates gates(CxmlConfig config) {
        String p = GATES + ".";
        return new QualityGates(config.getDouble(p + "min-accuracy"), config.getDouble(p + "min-macro-f1"),
                config.getDouble(p + "max-accuracy-drop"), config.getDouble(p + "max-macro-f1-drop"),
                config.getDouble(p + "min-language-accuracy"), config.getDouble(p + "max-language-accuracy-drop"),
                config.getInt(p + "min-language-examples"));
    }

    private static DevicePreference device(CxmlConfig config) {
        return device(config.getString(DEVICE));
    }

    /**
     * @param value {@code auto}, {@code cpu} or {@code gpu}, any case
     * @return the device preference
     * @throws IllegalArgumentException naming the key and the values allowed
     */
    public static DevicePreference device(String value) {
        try {
            return DevicePreference.valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Cannot use " + DEVICE + " = '" + value
                    + "': expected auto, cpu or gpu", e);
        }
    }
}
