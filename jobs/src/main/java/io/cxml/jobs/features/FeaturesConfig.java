package io.cxml.jobs.features;

import com.typesafe.config.ConfigException;
import io.cxml.features.FeatureOptions;
import io.cxml.jobs.config.ConfigError;
import io.cxml.jobs.config.CxmlConfig;
import io.cxml.language.LanguageOptions;
import java.time.Duration;

/** Reads {@code cxml.features.*} into the feature store's typed options, once, on the driver. */
public final class FeaturesConfig {
    /** Column of the labels holding their time. */
    public static final String LABEL_TIME_COLUMN = "cxml.features.training-set.label-time-column";
    /** Share of labels (by time) before the validation window. */
    public static final String VALIDATION_FRACTION = "cxml.features.training-set.validation-fraction";
    /** Share of labels (by time) before the test window. */
    public static final String TEST_FRACTION = "cxml.features.training-set.test-fraction";

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
