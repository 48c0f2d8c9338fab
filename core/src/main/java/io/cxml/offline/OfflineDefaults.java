package io.cxml.offline;

import java.util.Map;

/**
 * The switches that turn off the outbound calls cxml's libraries make on their own, in the JVM that runs a job and
 * in its Spark executors. Each is only a default: a value the user already set (system property or environment
 * variable) is kept.
 *
 * <ul>
 *   <li>DJL: {@code ai.djl.offline} / {@code DJL_OFFLINE} (never download engines or models) and
 *       {@code OPT_OUT_TRACKING} (no "call home" to 169.254.169.254 and the djl-telemetry S3 bucket when an engine
 *       loads).
 *   <li>snowflake-jdbc: the connection property is set by {@code JdbcEndpoint}; the environment variable here
 *       ({@code SNOWFLAKE_DISABLE_PLATFORM_DETECTION}) is read by newer Snowflake drivers and connectors, not by
 *       snowflake-jdbc 4.0.1.
 * </ul>
 */
public final class OfflineDefaults {
    /** JVM system properties set when absent. */
    public static final Map<String, String> SYSTEM_PROPERTIES = Map.of(
            "ai.djl.offline", "true",
            "OPT_OUT_TRACKING", "true");
    /** Environment variables given to Spark executors ({@code spark.executorEnv.*}) when not set there. */
    public static final Map<String, String> EXECUTOR_ENVIRONMENT = Map.of(
            "DJL_OFFLINE", "true",
            "OPT_OUT_TRACKING", "true",
            "SNOWFLAKE_DISABLE_PLATFORM_DETECTION", "true");

    private OfflineDefaults() {}

    /**
     * Sets {@link #SYSTEM_PROPERTIES} in this JVM where neither the property nor an environment variable of the same
     * name is set. Call before the first DJL class loads (in local mode the executors run in this JVM too).
     */
    public static void applyToThisJvm() {
        SYSTEM_PROPERTIES.forEach((key, value) -> {
            if (System.getProperty(key) == null && System.getenv(key) == null) {
                System.setProperty(key, value);
            }
        });
    }
}
