package io.cxml.s3;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;

/**
 * How Spark reaches S3 through S3A: region (always set, so the AWS SDK never probes for it), optional endpoint for
 * S3-compatible stores, path-style access, the credentials provider chain and the S3A magic committer.
 *
 * <p>Credentials: by default S3A's own chain is used (explicit keys in the Hadoop configuration, then the
 * {@code AWS_ACCESS_KEY_ID}/{@code AWS_SECRET_ACCESS_KEY} environment, then instance/container roles).
 * {@link Builder#optCredentialsProviders} replaces the chain; {@link Builder#optStaticCredentials} sets keys (for
 * S3-compatible test servers). Keys are never part of {@link #toString()} or of any log line. With static keys and
 * no explicit chain, the chain is {@value #STATIC_KEYS_PROVIDER} alone, so a wrong key fails instead of falling
 * through to the instance metadata service (169.254.169.254). The region is always set, so the AWS SDK never asks
 * the metadata service for it either (docs/offline.md).
 *
 * <p>The magic committer writes task output as pending multipart uploads that become visible only when the job
 * commits, so a failed job leaves no partial files under the output path. It does not support Spark's dynamic
 * partition overwrite (see {@link #committerOptions()}).
 */
public final class S3Settings implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Hadoop keys set by {@link #hadoopOptions()}. */
    public static final String ENDPOINT = "fs.s3a.endpoint";
    public static final String REGION = "fs.s3a.endpoint.region";
    public static final String PATH_STYLE = "fs.s3a.path.style.access";
    public static final String SSL = "fs.s3a.connection.ssl.enabled";
    public static final String PROVIDERS = "fs.s3a.aws.credentials.provider";
    public static final String ACCESS_KEY = "fs.s3a.access.key";
    public static final String SECRET_KEY = "fs.s3a.secret.key";
    public static final String ATTEMPTS = "fs.s3a.attempts.maximum";
    public static final String RETRY_LIMIT = "fs.s3a.retry.limit";
    public static final String ESTABLISH_TIMEOUT = "fs.s3a.connection.establish.timeout";
    public static final String COMMITTER = "fs.s3a.committer.name";
    public static final String MAGIC_ENABLED = "fs.s3a.committer.magic.enabled";
    public static final String ABORT_PENDING = "fs.s3a.committer.abort.pending.uploads";
    public static final String COMMITTER_FACTORY = "mapreduce.outputcommitter.factory.scheme.s3a";
    /** Spark SQL keys that route Parquet writes through the S3A committer (spark-hadoop-cloud). */
    public static final String COMMIT_PROTOCOL = "spark.sql.sources.commitProtocolClass";
    public static final String PARQUET_COMMITTER = "spark.sql.parquet.output.committer.class";

    /** The S3A provider of the keys in {@value #ACCESS_KEY} / {@value #SECRET_KEY}: no network lookup. */
    public static final String STATIC_KEYS_PROVIDER = "org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider";

    /** Default region: S3A needs one even for S3-compatible stores. */
    public static final String REGION_DEFAULT = "us-east-1";
    /** Default for {@link Builder#optMaxAttempts}: S3A's own default. */
    public static final int MAX_ATTEMPTS_DEFAULT = 5;

    private static final String S3A_COMMITTER_FACTORY = "org.apache.hadoop.fs.s3a.commit.S3ACommitterFactory";
    private static final String PATH_OUTPUT_PROTOCOL = "org.apache.spark.internal.io.cloud.PathOutputCommitProtocol";
    private static final String BINDING_PARQUET =
            "org.apache.spark.internal.io.cloud.BindingParquetOutputCommitter";

    private final String region;
    private final String endpoint;
    private final boolean pathStyleAccess;
    private final String credentialsProviders;
    private final String accessKey;
    private final String secretKey;
    private final boolean magicCommitter;
    private final int maxAttempts;
    private final Integer establishTimeoutMs;
    private final String bucket;

    private S3Settings(Builder b) {
        this.bucket = b.bucket;
        this.region = b.region;
        this.endpoint = b.endpoint;
        this.pathStyleAccess = b.pathStyleAccess;
        this.credentialsProviders = b.credentialsProviders;
        this.accessKey = b.accessKey;
        this.secretKey = b.secretKey;
        this.magicCommitter = b.magicCommitter;
        this.maxAttempts = b.maxAttempts;
        this.establishTimeoutMs = b.establishTimeoutMs;
    }

    /** @return a builder with the defaults (region {@value #REGION_DEFAULT}, AWS endpoint, magic committer on) */
    public static Builder builder() {
        return new Builder();
    }

    /** @return a builder holding these settings, to make a variant */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.region = region;
        b.endpoint = endpoint;
        b.pathStyleAccess = pathStyleAccess;
        b.credentialsProviders = credentialsProviders;
        b.accessKey = accessKey;
        b.secretKey = secretKey;
        b.magicCommitter = magicCommitter;
        b.maxAttempts = maxAttempts;
        b.establishTimeoutMs = establishTimeoutMs;
        b.bucket = bucket;
        return b;
    }

    /** @return the region */
    public String region() {
        return region;
    }

    /** @return the endpoint, or null for AWS */
    public String endpoint() {
        return endpoint;
    }

    /** @return whether the magic committer is used for writes */
    public boolean magicCommitter() {
        return magicCommitter;
    }

    /**
     * The Hadoop (file system) options, without the {@code spark.hadoop.} prefix. Contains the secret key when
     * static credentials were given: never log the result.
     *
     * @return key to value, in a stable order
     */
    public Map<String, String> hadoopOptions() {
        Map<String, String> o = new LinkedHashMap<>();
        connectionOptions().forEach((k, v) -> o.put(bucket == null ? k : k.replace("fs.s3a.", bucketPrefix()), v));
        if (magicCommitter) {
            o.put(COMMITTER, "magic");
            o.put(MAGIC_ENABLED, "true");
            o.put(ABORT_PENDING, "true");
            o.put(COMMITTER_FACTORY, S3A_COMMITTER_FACTORY);
        }
        return o;
    }

    private String bucketPrefix() {
        return "fs.s3a.bucket." + bucket + ".";
    }

    private Map<String, String> connectionOptions() {
        Map<String, String> o = new LinkedHashMap<>();
        o.put(REGION, region);
        if (endpoint != null) {
            o.put(ENDPOINT, endpoint);
            o.put(SSL, Boolean.toString(endpoint.startsWith("https:")));
        }
        o.put(PATH_STYLE, Boolean.toString(pathStyleAccess));
        if (credentialsProviders != null) {
            o.put(PROVIDERS, credentialsProviders);
        } else if (accessKey != null) {
            o.put(PROVIDERS, STATIC_KEYS_PROVIDER);
        }
        if (accessKey != null) {
            o.put(ACCESS_KEY, accessKey);
            o.put(SECRET_KEY, secretKey);
        }
        o.put(ATTEMPTS, Integer.toString(maxAttempts));
        o.put(RETRY_LIMIT, Integer.toString(maxAttempts));
        if (establishTimeoutMs != null) {
            o.put(ESTABLISH_TIMEOUT, establishTimeoutMs + "ms");
        }
        return o;
    }

    /**
     * The Spark SQL options that bind Parquet writes to the S3A committer (needs {@code spark-hadoop-cloud} on the
     * classpath). With them, writes to other file systems still use the classic file committer. Spark's
     * {@code PathOutputCommitProtocol} refuses dynamic partition overwrite with the S3A committers: code that
     * replaces single partitions must use static overwrite per partition on S3 (see docs/storage.md).
     *
     * @return key to value; empty when the magic committer is off
     */
    public Map<String, String> committerOptions() {
        Map<String, String> o = new LinkedHashMap<>();
        if (magicCommitter) {
            o.put(COMMIT_PROTOCOL, PATH_OUTPUT_PROTOCOL);
            o.put(PARQUET_COMMITTER, BINDING_PARQUET);
        }
        return o;
    }

    /**
     * All options as Spark configuration keys ({@code spark.hadoop.*} plus the committer binding), for a
     * {@code SparkSession.Builder} or {@code spark-submit --conf}. Contains secrets when static keys were given.
     *
     * @return key to value
     */
    public Map<String, String> sparkOptions() {
        Map<String, String> o = new LinkedHashMap<>();
        hadoopOptions().forEach((k, v) -> o.put("spark.hadoop." + k, v));
        o.putAll(committerOptions());
        return o;
    }

    /**
     * Applies the Hadoop options to a configuration.
     *
     * @param conf the configuration to change
     */
    public void applyTo(Configuration conf) {
        hadoopOptions().forEach(conf::set);
    }

    /**
     * Applies everything to a running session: Hadoop options to its Hadoop configuration, committer binding to its
     * SQL configuration. S3A file systems already created keep their old settings (Hadoop caches them per bucket),
     * so apply before the first {@code s3a://} access.
     *
     * @param spark the session
     */
    public void applyTo(SparkSession spark) {
        applyTo(spark.sparkContext().hadoopConfiguration());
        committerOptions().forEach((k, v) -> spark.conf().set(k, v));
    }

    /** @return the settings without any credential value */
    @Override
    public String toString() {
        return "S3Settings{" + (bucket == null ? "" : "bucket=" + bucket + ", ") + "region=" + region
                + ", endpoint=" + (endpoint == null ? "aws" : endpoint) + ", pathStyle=" + pathStyleAccess + ", credentials="
                + (accessKey != null ? "static keys (redacted)"
                        : credentialsProviders != null ? credentialsProviders : "s3a default chain")
                + ", magicCommitter=" + magicCommitter + ", maxAttempts=" + maxAttempts + "}";
    }

    /** Builds {@link S3Settings}; {@code opt*} methods are optional, everything has a default. */
    public static final class Builder {
        private String region = REGION_DEFAULT;
        private String endpoint;
        private boolean pathStyleAccess;
        private String credentialsProviders;
        private String accessKey;
        private String secretKey;
        private boolean magicCommitter = true;
        private int maxAttempts = MAX_ATTEMPTS_DEFAULT;
        private Integer establishTimeoutMs;
        private String bucket;

        private Builder() {}

        /**
         * Scopes the connection and credential settings to one bucket ({@code fs.s3a.bucket.<name>.*}), so that
         * buckets in different regions or stores can be used side by side. The committer settings stay global.
         *
         * @param bucket the bucket name; null for settings that apply to every bucket
         * @return this builder
         */
        public Builder optBucket(String bucket) {
            this.bucket = bucket == null || bucket.isBlank() ? null : bucket.trim();
            return this;
        }

        /**
         * @param region the bucket's region, e.g. {@code eu-west-1} (any value for S3-compatible stores)
         * @return this builder
         */
        public Builder optRegion(String region) {
            this.region = region;
            return this;
        }

        /**
         * @param endpoint an S3-compatible endpoint such as {@code http://127.0.0.1:9000}; null or blank for AWS
         * @return this builder
         */
        public Builder optEndpoint(String endpoint) {
            this.endpoint = endpoint == null || endpoint.isBlank() ? null : endpoint.trim();
            return this;
        }

        /**
         * @param pathStyleAccess true for {@code endpoint/bucket/key} URLs (most S3-compatible stores)
         * @return this builder
         */
        public Builder optPathStyleAccess(boolean pathStyleAccess) {
            this.pathStyleAccess = pathStyleAccess;
            return this;
        }

        /**
         * @param providers comma-separated AWS credentials provider classes replacing S3A's default chain, e.g.
         *     {@code software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider}; null keeps the default
         * @return this builder
         */
        public Builder optCredentialsProviders(String providers) {
            this.credentialsProviders = providers == null || providers.isBlank() ? null : providers.trim();
            return this;
        }

        /**
         * Static keys, for S3-compatible stores; read them from the environment, never from files.
         *
         * @param accessKey the access key id
         * @param secretKey the secret access key
         * @return this builder
         */
        public Builder optStaticCredentials(String accessKey, String secretKey) {
            this.accessKey = accessKey;
            this.secretKey = secretKey;
            return this;
        }

        /**
         * @param magicCommitter false to keep Spark's classic rename-based committer
         * @return this builder
         */
        public Builder optMagicCommitter(boolean magicCommitter) {
            this.magicCommitter = magicCommitter;
            return this;
        }

        /**
         * @param maxAttempts attempts per S3 request and retries per operation
         * @return this builder
         */
        public Builder optMaxAttempts(int maxAttempts) {
            this.maxAttempts = maxAttempts;
            return this;
        }

        /**
         * @param millis how long to wait for a TCP connection to the endpoint
         * @return this builder
         */
        public Builder optEstablishTimeoutMillis(int millis) {
            this.establishTimeoutMs = millis;
            return this;
        }

        /**
         * Checks the settings.
         *
         * @return the settings
         */
        public S3Settings build() {
            if (region == null || region.isBlank()) {
                throw new IllegalArgumentException("Cannot configure S3: the region is empty. Set "
                        + "cxml.storage.s3.region (any value, e.g. us-east-1, for S3-compatible stores)");
            }
            if (endpoint != null && !endpoint.startsWith("http://") && !endpoint.startsWith("https://")) {
                throw new IllegalArgumentException("Cannot configure S3: endpoint '" + endpoint
                        + "' has no http:// or https:// scheme. Set cxml.storage.s3.endpoint to a full URL");
            }
            if ((accessKey == null) != (secretKey == null)
                    || (accessKey != null && (accessKey.isBlank() || secretKey.isBlank()))) {
                throw new IllegalArgumentException("Cannot configure S3: static credentials need both an access "
                        + "key and a secret key. Set both environment variables or neither");
            }
            if (maxAttempts < 1) {
                throw new IllegalArgumentException(
                        "Cannot configure S3: max attempts " + maxAttempts + " must be >= 1");
            }
            Objects.requireNonNull(region);
            return new S3Settings(this);
        }
    }
}
