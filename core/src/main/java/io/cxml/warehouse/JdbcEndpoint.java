package io.cxml.warehouse;

import java.io.Serializable;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/**
 * Where and as whom to connect over JDBC. The password (or any property named like a secret) is kept out of
 * {@link #toString()}; callers read it from the environment, never from files.
 *
 * <p>Snowflake URLs get {@value #SNOWFLAKE_DISABLE_PLATFORM_DETECTION}{@code =true} unless the caller set that
 * property: without it snowflake-jdbc probes the AWS, Azure and GCP metadata services (169.254.169.254,
 * metadata.google.internal) on every first login to report the platform it runs on (docs/offline.md).
 */
public final class JdbcEndpoint implements Serializable {
    private static final long serialVersionUID = 1L;

    /** The snowflake-jdbc connection property that turns off its cloud platform detection. */
    public static final String SNOWFLAKE_DISABLE_PLATFORM_DETECTION = "disablePlatformDetection";
    private static final String SNOWFLAKE_URL_PREFIX = "jdbc:snowflake:";

    private final String url;
    private final String user;
    private final String password;
    private final Map<String, String> properties;

    private JdbcEndpoint(Builder b) {
        this.url = b.url;
        this.user = b.user;
        this.password = b.password;
        this.properties = Map.copyOf(b.properties);
    }

    /** @return a new builder */
    public static Builder builder() {
        return new Builder();
    }

    /** @return a builder holding these values */
    public Builder toBuilder() {
        Builder b = new Builder().setUrl(url).optUser(user).optPassword(password);
        b.properties.putAll(properties);
        return b;
    }

    /** @return the JDBC URL */
    public String url() {
        return url;
    }

    /** @return the user, or null */
    public String user() {
        return user;
    }

    /** @return driver properties including user and password: never log them */
    public Properties properties() {
        Properties p = new Properties();
        p.putAll(properties);
        if (user != null) {
            p.setProperty("user", user);
        }
        if (password != null) {
            p.setProperty("password", password);
        }
        return p;
    }

    /**
     * Opens a connection.
     *
     * @return the connection
     * @throws SQLException when the server refuses
     */
    public Connection connect() throws SQLException {
        return DriverManager.getConnection(url, properties());
    }

    @Override
    public String toString() {
        Map<String, String> shown = new LinkedHashMap<>();
        properties.forEach((k, v) -> shown.put(k, isSecret(k) ? "***" : v));
        return url + " user=" + user + (password == null ? "" : " password=***") + (shown.isEmpty() ? "" : " " + shown);
    }

    private static boolean isSecret(String key) {
        String k = key.toLowerCase(java.util.Locale.ROOT);
        return k.contains("password") || k.contains("secret") || k.contains("token") || k.contains("private");
    }

    /** Builds a {@link JdbcEndpoint}: {@code setUrl} is required. */
    public static final class Builder {
        private String url;
        private String user;
        private String password;
        private final Map<String, String> properties = new LinkedHashMap<>();

        private Builder() {}

        /**
         * @param url the JDBC URL, e.g. {@code jdbc:snowflake://<account>.snowflakecomputing.com/?db=...}
         * @return this builder
         */
        public Builder setUrl(String url) {
            this.url = url;
            return this;
        }

        /**
         * @param user the user
         * @return this builder
         */
        public Builder optUser(String user) {
            this.user = user;
            return this;
        }

        /**
         * @param password the password (from an environment variable)
         * @return this builder
         */
        public Builder optPassword(String password) {
            this.password = password;
            return this;
        }

        /**
         * @param key a driver property, e.g. {@code db}, {@code schema}, {@code warehouse}, {@code role}
         * @param value its value; null removes it
         * @return this builder
         */
        public Builder optProperty(String key, String value) {
            if (value == null) {
                properties.remove(key);
            } else {
                properties.put(key, value);
            }
            return this;
        }

        /**
         * Checks the URL.
         *
         * @return the endpoint
         */
        public JdbcEndpoint build() {
            if (url == null || !url.startsWith("jdbc:")) {
                throw new IllegalArgumentException("Cannot connect to the warehouse: URL '" + url
                        + "' does not start with jdbc:. Set cxml.warehouse.url (or cxml.snowflake.url)");
            }
            if (url.regionMatches(true, 0, SNOWFLAKE_URL_PREFIX, 0, SNOWFLAKE_URL_PREFIX.length())) {
                properties.putIfAbsent(SNOWFLAKE_DISABLE_PLATFORM_DETECTION, "true");
            }
            return new JdbcEndpoint(this);
        }
    }
}
