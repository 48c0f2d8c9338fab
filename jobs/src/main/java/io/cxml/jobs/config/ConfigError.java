package io.cxml.jobs.config;

/** A configuration problem, reported before Spark starts with the key and the fix. */
public final class ConfigError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** @param message what is wrong, naming the key */
    public ConfigError(String message) {
        super(message);
    }

    /**
     * @param message what is wrong, naming the key
     * @param cause the underlying parse error
     */
    public ConfigError(String message, Throwable cause) {
        super(message, cause);
    }
}
