package io.cxml.jobs.config;

import java.util.regex.Pattern;

/** Decides which config keys hold secrets, so that printing the config or logging never shows them. */
public final class Secrets {
    private Secrets() {}

    /** Replaces a secret value wherever it is shown. */
    public static final String REDACTED = "******";

    private static final Pattern SECRET_KEY =
            Pattern.compile("(?i).*(password|passwd|secret|token|private[-_.]?key|access[-_.]?key|credential|"
                    + "passphrase|session[-_.]?key|api[-_.]?key).*");

    /**
     * @param key a config path or Spark/Hadoop key
     * @return true when its value must never be shown
     */
    public static boolean isSecretKey(String key) {
        return SECRET_KEY.matcher(key).matches();
    }
}
