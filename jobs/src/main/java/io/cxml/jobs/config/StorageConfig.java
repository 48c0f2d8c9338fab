package io.cxml.jobs.config;

import io.cxml.s3.S3Settings;
import io.cxml.snowflake.SnowflakeSourceOptions;
import io.cxml.warehouse.JdbcEndpoint;
import io.cxml.warehouse.PostgresDialect;
import io.cxml.warehouse.SnowflakeDialect;
import io.cxml.warehouse.SnowflakeSignIn;
import io.cxml.warehouse.WarehouseDialect;
import java.util.LinkedHashMap;
import java.util.Map;

/** Turns the storage config keys into the typed settings the libraries take, once, on the driver. */
public final class StorageConfig {
    /** Config key of the storage root (local directory or s3a://bucket/prefix). */
    public static final String ROOT = "cxml.storage.root";
    private StorageConfig() {}

    /** Config keys of S3. */
    public static final String S3_REGION = "cxml.storage.s3.region";
    public static final String S3_ENDPOINT = "cxml.storage.s3.endpoint";
    public static final String S3_PATH_STYLE = "cxml.storage.s3.path-style-access";
    public static final String S3_PROVIDERS = "cxml.storage.s3.credentials-provider";
    public static final String S3_MAGIC = "cxml.storage.s3.magic-committer";
    public static final String S3_MAX_ATTEMPTS = "cxml.storage.s3.max-attempts";
    /** Config keys of the Snowflake source. */
    public static final String SF_URL = "cxml.snowflake.url";
    public static final String SF_USER = "cxml.snowflake.user";
    public static final String SF_PASSWORD = "cxml.snowflake.password";
    public static final String SF = "cxml.snowflake";
    public static final String SF_PRIVATE_KEY_FILE = "cxml.snowflake.private-key-file";
    public static final String SF_PRIVATE_KEY = "cxml.snowflake.private-key";
    public static final String SF_PRIVATE_KEY_PASSPHRASE = "cxml.snowflake.private-key-passphrase";
    public static final String SF_TOKEN = "cxml.snowflake.token";
    public static final String SF_DATABASE = "cxml.snowflake.database";
    public static final String SF_SCHEMA = "cxml.snowflake.schema";
    public static final String SF_WAREHOUSE = "cxml.snowflake.warehouse";
    public static final String SF_ROLE = "cxml.snowflake.role";
    public static final String SF_TICKETS = "cxml.snowflake.tables.tickets";
    public static final String SF_EVENTS = "cxml.snowflake.tables.ticket-events";
    public static final String SF_CUSTOMERS = "cxml.snowflake.tables.customers";
    public static final String SF_PARTITIONS = "cxml.snowflake.partitions";
    /** Config keys of the warehouse sink. */
    public static final String WH_DIALECT = "cxml.warehouse.dialect";
    public static final String WH_URL = "cxml.warehouse.url";
    public static final String WH_USER = "cxml.warehouse.user";
    public static final String WH_PASSWORD = "cxml.warehouse.password";
    public static final String WH = "cxml.warehouse";
    public static final String WH_PRIVATE_KEY_FILE = "cxml.warehouse.private-key-file";
    public static final String WH_PRIVATE_KEY = "cxml.warehouse.private-key";
    public static final String WH_PRIVATE_KEY_PASSPHRASE = "cxml.warehouse.private-key-passphrase";
    public static final String WH_TOKEN = "cxml.warehouse.token";
    public static final String WH_SCHEMA = "cxml.warehouse.schema";
    public static final String WH_COMPUTE = "cxml.warehouse.compute-warehouse";
    public static final String WH_ROLE = "cxml.warehouse.role";
    public static final String WH_BATCH_SIZE = "cxml.warehouse.batch-size";
    public static final String WH_LOAD_PARTITIONS = "cxml.warehouse.load-partitions";

    /**
     * @param config the config
     * @return the S3A settings it holds
     */
    public static S3Settings s3(CxmlConfig config) {
        try {
            return S3Settings.builder().optRegion(config.getString(S3_REGION))
                    .optEndpoint(config.getString(S3_ENDPOINT))
                    .optPathStyleAccess(config.getBoolean(S3_PATH_STYLE))
                    .optCredentialsProviders(config.getString(S3_PROVIDERS))
                    .optMagicCommitter(config.getBoolean(S3_MAGIC))
                    .optMaxAttempts(config.getInt(S3_MAX_ATTEMPTS)).build();
        } catch (IllegalArgumentException e) {
            throw new ConfigError(e.getMessage());
        }
    }

    /**
     * The Spark settings for S3: S3A options always (they only act on {@code s3a://} paths), the committer binding
     * only when the storage root is on S3, so local runs keep Spark's default committer. (The executors' offline
     * switches come with the executor runtime, {@code SparkSessions.executorRuntime}.)
     *
     * @param config the config
     * @param storageRoot the storage root
     * @return Spark conf entries (no secrets: credentials come from the provider chain)
     */
    public static Map<String, String> sparkOptions(CxmlConfig config, String storageRoot) {
        return sparkOptions(config, storageRoot, s3(config));
    }

    /**
     * The one Hadoop configuration of the storage root for commands that start no Spark job (registry and feature
     * registry reads): the same S3A settings and free-form {@code cxml.hadoop.conf} as the jobs' sessions.
     *
     * @param config the config
     * @return the Hadoop configuration
     */
    public static org.apache.hadoop.conf.Configuration hadoop(CxmlConfig config) {
        org.apache.hadoop.conf.Configuration hadoop = new org.apache.hadoop.conf.Configuration();
        String prefix = "spark.hadoop.";
        sparkOptions(config, config.getString(ROOT)).forEach((k, v) -> {
            if (k.startsWith(prefix)) {
                hadoop.set(k.substring(prefix.length()), v);
            }
        });
        config.getStringMap("cxml.hadoop.conf").forEach(hadoop::set);
        return hadoop;
    }

    private static Map<String, String> sparkOptions(CxmlConfig config, String storageRoot, S3Settings s3) {
        Map<String, String> out = new LinkedHashMap<>();
        s3.hadoopOptions().forEach((k, v) -> out.put("spark.hadoop." + k, v));
        if (storageRoot.startsWith("s3a:")) {
            out.putAll(s3.committerOptions());
        }
        return out;
    }

    /**
     * @param config the config
     * @return the Snowflake source settings
     */
    public static SnowflakeSourceOptions snowflake(CxmlConfig config) {
        String url = config.getString(SF_URL);
        if (url.isBlank()) {
            throw new ConfigError("Cannot ingest from Snowflake: cxml.snowflake.url is empty. Set SNOWFLAKE_URL "
                    + "(jdbc:snowflake://<account>.snowflakecomputing.com/), SNOWFLAKE_USER and SNOWFLAKE_PASSWORD");
        }
        JdbcEndpoint.Builder b = JdbcEndpoint.builder().setUrl(url).optUser(blankToNull(config.getString(SF_USER)));
        signIn(config, b, SF, SF_PASSWORD, SF_PRIVATE_KEY_FILE, SF_PRIVATE_KEY, SF_PRIVATE_KEY_PASSPHRASE, SF_TOKEN);
        JdbcEndpoint endpoint = b
                .optProperty("db", blankToNull(config.getString(SF_DATABASE)))
                .optProperty("schema", blankToNull(config.getString(SF_SCHEMA)))
                .optProperty("warehouse", blankToNull(config.getString(SF_WAREHOUSE)))
                .optProperty("role", blankToNull(config.getString(SF_ROLE)))
                .optProperty("JDBC_TREAT_TIMESTAMP_NTZ_AS_UTC", "true")
                .build();
        return SnowflakeSourceOptions.builder().setEndpoint(endpoint)
                .optTables(config.getString(SF_TICKETS), config.getString(SF_EVENTS), config.getString(SF_CUSTOMERS))
                .optPartitions(config.getInt(SF_PARTITIONS)).build();
    }

    /**
     * @param config the config
     * @return the warehouse connection
     */
    public static JdbcEndpoint warehouse(CxmlConfig config) {
        String url = config.getString(WH_URL);
        if (url.isBlank()) {
            throw new ConfigError("Cannot publish: cxml.warehouse.url is empty. Set CXML_WAREHOUSE_URL, "
                    + "CXML_WAREHOUSE_USER and CXML_WAREHOUSE_PASSWORD (or --conf cxml.warehouse.url=...)");
        }
        JdbcEndpoint.Builder b = JdbcEndpoint.builder().setUrl(url)
                .optUser(blankToNull(config.getString(WH_USER)));
        if (dialect(config) instanceof SnowflakeDialect) {
            signIn(config, b, WH, WH_PASSWORD, WH_PRIVATE_KEY_FILE, WH_PRIVATE_KEY, WH_PRIVATE_KEY_PASSPHRASE,
                    WH_TOKEN);
            b.optProperty("warehouse", blankToNull(config.getString(WH_COMPUTE)))
                    .optProperty("role", blankToNull(config.getString(WH_ROLE)))
                    .optProperty("JDBC_TREAT_TIMESTAMP_NTZ_AS_UTC", "true");
        } else {
            b.optPassword(blankToNull(config.getString(WH_PASSWORD)));
        }
        return b.build();
    }

    /**
     * @param config the config
     * @return the warehouse dialect
     */
    public static WarehouseDialect dialect(CxmlConfig config) {
        String d = config.getString(WH_DIALECT);
        return switch (d.toLowerCase(java.util.Locale.ROOT)) {
            case "snowflake" -> new SnowflakeDialect();
            case "postgresql", "postgres" -> new PostgresDialect();
            default -> throw new ConfigError("Cannot publish: cxml.warehouse.dialect '" + d
                    + "' is unknown. Use snowflake or postgresql");
        };
    }

    private static void signIn(CxmlConfig config, JdbcEndpoint.Builder b, String prefix, String password,
            String keyFile, String key, String passphrase, String token) {
        try {
            new SnowflakeSignIn(config.getString(password), config.getString(keyFile), config.getString(key),
                    config.getString(passphrase), config.getString(token)).applyTo(b, prefix);
        } catch (IllegalArgumentException e) {
            throw new ConfigError(e.getMessage());
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
