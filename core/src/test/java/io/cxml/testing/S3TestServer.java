package io.cxml.testing;

import io.cxml.s3.S3Settings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.apache.spark.sql.SparkSession;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException;

/**
 * An S3-compatible server for tests: the shared s3proxy named by {@code CXML_TEST_S3_*}, or an own s3proxy child
 * process (filesystem backend, keys generated per instance) that a test may stop and restart on the same port and
 * directory to simulate an outage.
 */
public final class S3TestServer implements AutoCloseable {
    private static S3TestServer shared;

    private final String endpoint;
    private final String region;
    private final String accessKey;
    private final String secretKey;
    private final ChildProcess process;

    private S3TestServer(String endpoint, String region, String accessKey, String secretKey, ChildProcess process) {
        this.endpoint = endpoint;
        this.region = region;
        this.accessKey = accessKey;
        this.secretKey = secretKey;
        this.process = process;
    }

    /** @return the shared server: from the environment, else one own instance for this JVM */
    public static synchronized S3TestServer shared() {
        if (shared == null) {
            TestServers.requireUnlessLocal(TestServers.S3_ENDPOINT, "S3");
            String endpoint = TestServers.env(TestServers.S3_ENDPOINT);
            if (endpoint != null) {
                String region = TestServers.env(TestServers.S3_REGION);
                shared = new S3TestServer(endpoint, region == null ? "us-east-1" : region,
                        TestServers.env(TestServers.S3_ACCESS_KEY), TestServers.env(TestServers.S3_SECRET_KEY), null);
            } else {
                S3TestServer own = startOwn(Path.of("target", "s3proxy-shared"));
                Runtime.getRuntime().addShutdownHook(new Thread(own::close));
                shared = own;
            }
        }
        return shared;
    }

    /**
     * Starts an own s3proxy on a free port, storing objects under a directory.
     *
     * @param dir where objects, config and log go
     * @return the running server
     */
    public static S3TestServer startOwn(Path dir) {
        try {
            Path root = dir.toAbsolutePath();
            Files.createDirectories(root.resolve("blobs"));
            int port = ChildProcess.freePort();
            String key = "cxml-" + UUID.randomUUID().toString().substring(0, 8);
            String secret = UUID.randomUUID().toString().replace("-", "");
            Path conf = root.resolve("s3proxy.conf");
            Files.writeString(conf, String.join("\n",
                    "s3proxy.endpoint=http://127.0.0.1:" + port,
                    "s3proxy.authorization=aws-v2-or-v4",
                    "s3proxy.identity=" + key,
                    "s3proxy.credential=" + secret,
                    "jclouds.provider=filesystem-nio2",
                    "jclouds.filesystem.basedir=" + root.resolve("blobs"),
                    "jclouds.identity=" + key,
                    "jclouds.credential=" + secret, ""));
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            ChildProcess p = new ChildProcess("s3proxy", List.of(java, "-Xmx256m", "-jar",
                    TestServers.s3proxyJar().toString(), "--properties", conf.toString()),
                    root.resolve("s3proxy.log"), port);
            p.start(Duration.ofSeconds(60));
            return new S3TestServer("http://127.0.0.1:" + port, "us-east-1", key, secret, p);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start s3proxy: " + e.getMessage(), e);
        }
    }

    /**
     * @param bucket the bucket the settings are scoped to (so tests with different servers share one JVM)
     * @return S3A settings reaching this server, magic committer on, few retries (tests must fail fast)
     */
    public S3Settings settings(String bucket) {
        return S3Settings.builder().optBucket(bucket).optEndpoint(endpoint).optRegion(region).optPathStyleAccess(true)
                .optStaticCredentials(accessKey, secretKey).optMaxAttempts(2).optEstablishTimeoutMillis(2000)
                .build();
    }

    /** @return the access key (for log-leak checks) */
    public String accessKey() {
        return accessKey;
    }

    /** @return the secret key (for log-leak checks) */
    public String secretKey() {
        return secretKey;
    }

    /**
     * Creates a bucket if it does not exist.
     *
     * @param bucket the name
     */
    public void createBucket(String bucket) {
        try (S3Client s3 = S3Client.builder().endpointOverride(URI.create(endpoint)).region(Region.of(region))
                .forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secretKey)))
                .build()) {
            try {
                s3.createBucket(b -> b.bucket(bucket));
            } catch (BucketAlreadyOwnedByYouException exists) {
                // fine
            }
        }
    }

    /**
     * Creates a bucket and a Spark session whose S3A settings point at it; the shared local session is left alone.
     *
     * @param bucket the bucket name
     * @return the new session
     */
    public SparkSession sessionFor(String bucket) {
        createBucket(bucket);
        SparkSession spark = LocalSpark.get().newSession();
        settings(bucket).applyTo(spark);
        return spark;
    }

    /** Stops an own server (an outage); the shared server from the environment cannot be stopped. */
    public void stop() {
        ownProcess().stop();
    }

    /** Starts an own server again, same port, keys and objects. */
    public void restart() {
        ownProcess().start(Duration.ofSeconds(60));
    }

    private ChildProcess ownProcess() {
        if (process == null) {
            throw new IllegalStateException("Cannot stop the shared S3 server from " + TestServers.S3_ENDPOINT
                    + ": start an own one with S3TestServer.startOwn");
        }
        return process;
    }

    @Override
    public void close() {
        if (process != null) {
            process.stop();
        }
    }
}
