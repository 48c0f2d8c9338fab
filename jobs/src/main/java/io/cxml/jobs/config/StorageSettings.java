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

/**
 * Storage area: the storage root, S3, the Snowflake source and the warehouse sink ({@code cxml.storage.*},
 * {@code cxml.snowflake.*}, {@code cxml.warehouse.*}, {@code cxml.hadoop.conf}). Resolved once by
 * {@link Settings#resolve}; the only place these keys are read. Defaults live in {@code conf/application.conf}.
 * Requirements that only a use has (a Snowflake URL to ingest from Snowflake, a warehouse URL to publish) are checked
 * when that use asks, with the same message as before.
 */
public final class StorageSettings {
    /** Config key of the storage root (local directory or s3a://bucket/prefix). */
    public static final String ROOT = "cxml.storage.root";
    /** Config key of the free-form Hadoop settings (become {@code spark.hadoop.*}). */
    public static final String HADOOP_CONF = "cxml.hadoop.conf";

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

    private final CxmlConfig config;
    private final String root;
    private final S3Settings s3;
    private final Map<String, String> hadoopConf;
    private final String warehouseUrl;
    private final String warehouseSchema;
    private final int warehouseBatchSize;
    private final int warehouseLoadPartitions;

    private StorageSettings(CxmlConfig config) {
        this.config = config;
        this.root = config.getString(ROOT);
        this.s3 = s3(config);
        this.hadoopConf = Map.copyOf(config.getStringMap(HADOOP_CONF));
        this.warehouseUrl = config.getString(WH_URL);
        this.warehouseSchema = config.getString(WH_SCHEMA);
        this.warehouseBatchSize = config.getInt(WH_BATCH_SIZE);
        this.warehouseLoadPartitions = config.getInt(WH_LOAD_PARTITIONS);
        // Snowflake and warehouse sign-in are resolved when used; read their keys now so a wrong type fails here.
        for (String key : new String[] {SF_URL, SF_USER, SF_PASSWORD, SF_PRIVATE_KEY_FILE, SF_PRIVATE_KEY,
            SF_PRIVATE_KEY_PASSPHRASE, SF_TOKEN, SF_DATABASE, SF_SCHEMA, SF_WAREHOUSE, SF_ROLE, SF_TICKETS, SF_EVENTS,
            SF_CUSTOMERS, WH_DIALECT, WH_USER, WH_PASSWORD, WH_PRIVATE_KEY_FILE, WH_PRIVATE_KEY,
            WH_PRIVATE_KEY_PASSPHRASE, WH_TOKEN, WH_COMPUTE, WH_ROLE}) {
            config.getString(key);
        }
        config.getInt(SF_PARTITIONS);
    }

    /**
     * @param config the validated config
     * @return the storage settings
     * @throws ConfigError naming the key and the fix
     */
    public static StorageSettings resolve(CxmlConfig config) {
        return new StorageSettings(config);
    }

    /** @return the storage root (local directory or s3a://bucket/prefix) */
    public String root() {
        return root;
    }

    /** @return the storage layout under the root */
    public io.cxml.storage.StorageLayout layout() {
        return io.cxml.storage.StorageLayout.of(root);
    }

    /** @return the S3A settings */
    public S3Settings s3() {
        return s3;
    }

    /** @return the free-form Hadoop settings ({@value #HADOOP_CONF}), sorted by key */
    public Map<String, String> hadoopConf() {
        return new java.util.TreeMap<>(hadoopConf);
    }

    /** @return the warehouse JDBC URL; blank when no warehouse is configured */
    public String warehouseUrl() {
        return warehouseUrl;
    }

    /** @return the warehouse target schema; blank for the connection's current schema */
    public String warehouseSchema() {
        return warehouseSchema;
    }

    /** @return rows per JDBC batch when publishing */
    public int warehouseBatchSize() {
        return warehouseBatchSize;
    }

    /** @return parallel connections loading the stage table */
    public int warehouseLoadPartitions() {
        return warehouseLoadPartitions;
    }

    /**
     * @param table a warehouse table name, blank to skip publishing
     * @return whether a job publishes to it: a table is named and a warehouse URL is configured
     */
    public boolean publishes(String table) {
        return !table.isBlank() && !warehouseUrl.isBlank();
    }

    private static S3Settings s3(CxmlConfig config) {
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
     * @return Spark conf entries (no secrets: credentials come from the provider chain)
     */
    public Map<String, String> sparkOptions() {
        return sparkOptions(root, s3);
    }

    /**
     * The one Hadoop configuration of the storage root for commands that start no Spark job (registry and feature
     * registry reads): the same S3A settings and free-form {@code cxml.hadoop.conf} as the jobs' sessions.
     *
     * @return the Hadoop configuration
     */
    public org.apache.hadoop.conf.Configuration hadoop() {
        org.apache.hadoop.conf.Configuration hadoop = new org.apache.hadoop.conf.Configuration();
        String prefix = "spark.hadoop.";
        sparkOptions().forEach((k, v) -> {
            if (k.startsWith(prefix)) {
                hadoop.set(k.substring(prefix.length()), v);
            }
        });
        hadoopConf().forEach(hadoop::set);
        return hadoop;
    }

    private static Map<String, String> sparkOptions(String storageRoot, S3Settings s3) {
        Map<String, String> out = new LinkedHashMap<>();
        s3.hadoopOptions().forEach((k, v) -> out.put("spark.hadoop." + k, v));
        if (storageRoot.startsWith("s3a:")) {
            out.putAll(s3.committerOptions());
        }
        return out;
    }

    /**
     * @return the Snowflake source settings
     * @throws ConfigError when no Snowflake URL is configured or the sign-in is ambiguous
     */
    public SnowflakeSourceOptions snowflake() {
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
     * @return the warehouse connection
     * @throws ConfigError when no warehouse URL is configured or the sign-in is ambiguous
     */
    public JdbcEndpoint warehouse() {
        String url = config.getString(WH_URL);
        if (url.isBlank()) {
            throw new ConfigError("Cannot publish: cxml.warehouse.url is empty. Set CXML_WAREHOUSE_URL, "
                    + "CXML_WAREHOUSE_USER and CXML_WAREHOUSE_PASSWORD (or --conf cxml.warehouse.url=...)");
        }
        JdbcEndpoint.Builder b = JdbcEndpoint.builder().setUrl(url)
                .optUser(blankToNull(config.getString(WH_USER)));
        if (dialect() instanceof SnowflakeDialect) {
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
     * @return the warehouse dialect
     * @throws ConfigError when the dialect is unknown
     */
    public WarehouseDialect dialect() {
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
