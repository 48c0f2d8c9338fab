package io.cxml.features.view;

import io.cxml.language.LanguageOptions;
import java.io.Serializable;
import java.time.Duration;
import java.util.Objects;

/**
 * Settings of the built-in feature views, resolved once on the driver (the jobs module reads them from {@code
 * cxml.features}).
 *
 * @param languages languages the text view's detector may answer
 * @param textTtl TTL of {@code ticket_text}
 * @param historyTtl TTL of {@code customer_history}
 * @param accountTtl TTL of {@code account_context}
 */
public record FeatureOptions(LanguageOptions languages, Duration textTtl, Duration historyTtl, Duration accountTtl)
        implements Serializable {
    /** Config key of {@link #textTtl}. */
    public static final String TEXT_TTL_KEY = "cxml.features.ttl.ticket-text";
    /** Config key of {@link #historyTtl}. */
    public static final String HISTORY_TTL_KEY = "cxml.features.ttl.customer-history";
    /** Config key of {@link #accountTtl}. */
    public static final String ACCOUNT_TTL_KEY = "cxml.features.ttl.account-context";
    /** Default of {@link #textTtl}: a ticket's text does not change. */
    public static final Duration TEXT_TTL_DEFAULT = Duration.ofDays(365);
    /** Default of {@link #historyTtl}: a requester's last snapshot stays valid for the longest history window. */
    public static final Duration HISTORY_TTL_DEFAULT = Duration.ofDays(90);
    /** Default of {@link #accountTtl}: account load goes stale fast. */
    public static final Duration ACCOUNT_TTL_DEFAULT = Duration.ofDays(1);

    /** Checks every value. */
    public FeatureOptions {
        Objects.requireNonNull(languages, "languages");
        positive(textTtl, TEXT_TTL_KEY);
        positive(historyTtl, HISTORY_TTL_KEY);
        positive(accountTtl, ACCOUNT_TTL_KEY);
    }

    /** @return the defaults */
    public static FeatureOptions defaults() {
        return new FeatureOptions(LanguageOptions.defaults(), TEXT_TTL_DEFAULT, HISTORY_TTL_DEFAULT,
                ACCOUNT_TTL_DEFAULT);
    }

    private static void positive(Duration d, String key) {
        if (d == null || d.isZero() || d.isNegative()) {
            throw new IllegalArgumentException("Cannot configure feature views: " + key + "=" + d
                    + " must be a positive duration such as 90d");
        }
    }
}
