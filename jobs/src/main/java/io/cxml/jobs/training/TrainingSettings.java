package io.cxml.jobs.training;

import io.cxml.features.split.SplitShares;
import io.cxml.jobs.config.CxmlConfig;
import io.cxml.jobs.config.ScoringSettings;
import io.cxml.runtime.executor.DevicePreference;
import io.cxml.training.baseline.BaselineSettings;
import io.cxml.training.registry.QualityGates;
import io.cxml.training.train.TrainingOptions;

/**
 * Compatibility path for the retraining jobs ({@code io.cxml.jobs.retrain}), which still take a {@link CxmlConfig}
 * while they move into training: delegates to {@link io.cxml.jobs.config.TrainingSettings}. Reads no key itself. New
 * code uses {@link io.cxml.jobs.config.Settings#training()}.
 */
@Deprecated
public final class TrainingSettings {
    /** See {@link io.cxml.jobs.config.TrainingSettings#UNKNOWN_THRESHOLD}. */
    public static final String UNKNOWN_THRESHOLD = io.cxml.jobs.config.TrainingSettings.UNKNOWN_THRESHOLD;
    /** See {@link io.cxml.jobs.config.TrainingSettings#OUT_OF_SCOPE_LABEL}. */
    public static final String OUT_OF_SCOPE_LABEL = io.cxml.jobs.config.TrainingSettings.OUT_OF_SCOPE_LABEL;
    /** See {@link io.cxml.jobs.config.TrainingSettings#DEVICE}. */
    public static final String DEVICE = io.cxml.jobs.config.TrainingSettings.DEVICE;
    /** See {@link io.cxml.jobs.config.TrainingSettings#TEST_SHARE}. */
    public static final String TEST_SHARE = io.cxml.jobs.config.TrainingSettings.TEST_SHARE;
    /** See {@link ScoringSettings#BATCH_SIZE}: declared once, there. */
    public static final String SCORING_BATCH_SIZE = ScoringSettings.BATCH_SIZE;

    private TrainingSettings() {}

    private static io.cxml.jobs.config.TrainingSettings of(CxmlConfig config) {
        return io.cxml.jobs.config.TrainingSettings.resolve(config);
    }

    /**
     * @param config the config
     * @param task {@code intent} or {@code sentiment}
     * @return the training options
     */
    public static TrainingOptions options(CxmlConfig config, String task) {
        return of(config).options(task);
    }

    /**
     * @param config the config
     * @return the trainers' held-out shares
     */
    public static SplitShares splitShares(CxmlConfig config) {
        return of(config).splitShares();
    }

    /**
     * @param config the config
     * @return the baseline's settings, or null for none
     */
    public static BaselineSettings baseline(CxmlConfig config) {
        return of(config).baseline();
    }

    /**
     * @param config the config
     * @return the promotion gates
     */
    public static QualityGates gates(CxmlConfig config) {
        return of(config).gates();
    }

    /**
     * @param config the config
     * @return the device of training and scoring tasks
     */
    public static DevicePreference device(CxmlConfig config) {
        return of(config).device();
    }
}
