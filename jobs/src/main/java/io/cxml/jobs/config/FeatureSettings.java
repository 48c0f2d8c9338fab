package io.cxml.jobs.config;

import com.typesafe.config.ConfigException;
import io.cxml.features.split.SplitShares;
import io.cxml.features.view.FeatureOptions;
import io.cxml.language.LanguageOptions;
import java.time.Duration;

/**
 * Features area ({@code cxml.features.*}): the feature views' options (languages, TTLs) and the training-set split.
 * Resolved once by {@link Settings#resolve}; the only place these keys are read. Defaults live in
 * {@code conf/application.conf}.
 */
public final class FeatureSettings {
    /** Config key of the languages the detector may answer (ISO 639-1). */
    public static final String LANGUAGES = LanguageOptions.LANGUAGES_KEY;
    /** Config key of the ticket-text view's TTL. */
    public static final String TEXT_TTL = FeatureOptions.TEXT_TTL_KEY;
    /** Config key of the customer-history view's TTL. */
    public static final String HISTORY_TTL = FeatureOptions.HISTORY_TTL_KEY;
    /** Config key of the account-context view's TTL. */
    public static final String ACCOUNT_TTL = FeatureOptions.ACCOUNT_TTL_KEY;
    /** Column of the labels holding their time. */
    public static final String LABEL_TIME_COLUMN = "cxml.features.training-set.label-time-column";
    /** Share of labels in the validation window (the one just before the test window). */
    public static final String VALIDATION_SHARE = "cxml.features.training-set.validation-share";
    /** Share of labels in the test window (the newest). */
    public static final String TEST_SHARE = "cxml.features.training-set.test-share";
    /** Seed of the hash split used when some label has no time. */
    public static final String SPLIT_SEED = "cxml.features.training-set.seed";
    /** Retired key: the cumulative label-time quantile where validation started (0.8). */
    static final String RETIRED_VALIDATION_FRACTION = "cxml.features.training-set.validation-fraction";
    /** Retired key: the cumulative label-time quantile where test started (0.9). */
    static final String RETIRED_TEST_FRACTION = "cxml.features.training-set.test-fraction";

    private final FeatureOptions options;
    private final String labelTimeColumn;
    private final SplitShares trainingSetShares;
    private final long splitSeed;

    private FeatureSettings(CxmlConfig config) {
        this.options = options(config);
        this.labelTimeColumn = config.getString(LABEL_TIME_COLUMN);
        this.trainingSetShares = trainingSetShares(config);
        this.splitSeed = config.getLong(SPLIT_SEED);
    }

    /**
     * @param config the validated config
     * @return the features settings
     * @throws ConfigError when a language, a TTL or the training-set split is invalid
     */
    public static FeatureSettings resolve(CxmlConfig config) {
        return new FeatureSettings(config);
    }

    /** @return the feature views' options */
    public FeatureOptions options() {
        return options;
    }

    /** @return the languages the deployment serves */
    public LanguageOptions languages() {
        return options.languages();
    }

    /** @return the label column holding the label's time */
    public String labelTimeColumn() {
        return labelTimeColumn;
    }

    /** @return the training-set builder's held-out shares */
    public SplitShares trainingSetShares() {
        return trainingSetShares;
    }

    /** @return the seed of the hash split used when some label has no time */
    public long splitSeed() {
        return splitSeed;
    }

    private static FeatureOptions options(CxmlConfig config) {
        LanguageOptions languages;
        try {
            languages = new LanguageOptions(config.getStringList(LANGUAGES));
        } catch (IllegalArgumentException e) {
            throw new ConfigError(e.getMessage(), e);
        }
        return new FeatureOptions(languages, duration(config, TEXT_TTL), duration(config, HISTORY_TTL),
                duration(config, ACCOUNT_TTL));
    }

    /**
     * The training-set builder's held-out shares. The retired cumulative keys fail rather than being read as shares,
     * which would silently change every split.
     *
     * @param config the validated config
     * @return the shares
     * @throws ConfigError when a retired key is set or the shares are invalid
     */
    private static SplitShares trainingSetShares(CxmlConfig config) {
        if (config.has(RETIRED_VALIDATION_FRACTION) || config.has(RETIRED_TEST_FRACTION)) {
            String v = config.has(RETIRED_VALIDATION_FRACTION)
                    ? String.valueOf(config.raw().getValue(RETIRED_VALIDATION_FRACTION).unwrapped()) : "(unset)";
            String t = config.has(RETIRED_TEST_FRACTION)
                    ? String.valueOf(config.raw().getValue(RETIRED_TEST_FRACTION).unwrapped()) : "(unset)";
            throw new ConfigError("Cannot split the training set with " + RETIRED_VALIDATION_FRACTION + " = " + v
                    + " / " + RETIRED_TEST_FRACTION + " = " + t + ": these cumulative label-time quantiles are "
                    + "retired. Set the shares instead: " + VALIDATION_SHARE + " = test-fraction - "
                    + "validation-fraction and " + TEST_SHARE + " = 1 - test-fraction (0.8 / 0.9 is 0.1 / 0.1)");
        }
        try {
            return new SplitShares(config.getDouble(VALIDATION_SHARE), config.getDouble(TEST_SHARE));
        } catch (IllegalArgumentException e) {
            throw new ConfigError(e.getMessage() + " (keys " + VALIDATION_SHARE + ", " + TEST_SHARE + ")", e);
        }
    }

    private static Duration duration(CxmlConfig config, String key) {
        try {
            Duration d = config.raw().getDuration(key);
            if (d.isZero() || d.isNegative()) {
                throw new ConfigError("Cannot read config key '" + key + "': " + d + " must be positive, e.g. 90d");
            }
            return d;
        } catch (ConfigException e) {
            throw new ConfigError("Cannot read config key '" + key + "': expected a duration such as 90d or 12h ("
                    + e.getMessage() + ")", e);
        }
    }
}
