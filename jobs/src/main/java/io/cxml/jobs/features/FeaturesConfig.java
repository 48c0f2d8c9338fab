package io.cxml.jobs.features;

import com.typesafe.config.ConfigException;
import io.cxml.features.view.FeatureOptions;
import io.cxml.features.split.SplitShares;
import io.cxml.jobs.config.ConfigError;
import io.cxml.jobs.config.CxmlConfig;
import io.cxml.language.LanguageOptions;
import java.time.Duration;

/** Reads {@code cxml.features.*} into the feature store's typed options, once, on the driver. */
public final class FeaturesConfig {
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

    private FeaturesConfig() {}

    /**
     * @param config the validated config
     * @return the feature views' options
     */
    public static FeatureOptions options(CxmlConfig config) {
        LanguageOptions languages;
        try {
            languages = new LanguageOptions(config.getStringList(LanguageOptions.LANGUAGES_KEY));
        } catch (IllegalArgumentException e) {
            throw new ConfigError(e.getMessage(), e);
        }
        return new FeatureOptions(languages, duration(config, FeatureOptions.TEXT_TTL_KEY),
                duration(config, FeatureOptions.HISTORY_TTL_KEY), duration(config, FeatureOptions.ACCOUNT_TTL_KEY));
    }

    /**
     * The training-set builder's held-out shares. The retired cumulative keys fail rather than being read as shares,
     * which would silently change every split.
     *
     * @param config the validated config
     * @return the shares
     * @throws ConfigError when a retired key is set or the shares are invalid
     */
    public static SplitShares trainingSetShares(CxmlConfig config) {
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
