package io.cxml.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cxml.warehouse.JdbcEndpoint;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;

/** S3A option mapping, per-bucket scoping, validation messages and redaction; no server needed. */
class S3SettingsTest {
    @Test
    void mapsToS3aKeysScopedToTheBucketWithTheMagicCommitterGlobal() {
        S3Settings s = S3Settings.builder().optBucket("lake").optRegion("eu-west-1")
                .optEndpoint("http://127.0.0.1:9000").optPathStyleAccess(true)
                .optStaticCredentials("AKIDEXAMPLE", "wJalrXUtnFEMI-secret").build();
        Configuration conf = new Configuration(false);
        s.applyTo(conf);

        assertThat(conf.get("fs.s3a.bucket.lake.endpoint.region")).isEqualTo("eu-west-1");
        assertThat(conf.get("fs.s3a.bucket.lake.endpoint")).isEqualTo("http://127.0.0.1:9000");
        assertThat(conf.get("fs.s3a.bucket.lake.connection.ssl.enabled")).isEqualTo("false");
        assertThat(conf.get("fs.s3a.bucket.lake.path.style.access")).isEqualTo("true");
        assertThat(conf.get("fs.s3a.bucket.lake.secret.key")).isEqualTo("wJalrXUtnFEMI-secret");
        // Keys given: no fall-through to the instance metadata service when they are wrong.
        assertThat(conf.get("fs.s3a.bucket.lake.aws.credentials.provider")).isEqualTo(S3Settings.STATIC_KEYS_PROVIDER);
        assertThat(conf.get("fs.s3a.endpoint.region")).isNull();
        assertThat(conf.get("fs.s3a.committer.name")).isEqualTo("magic");
        assertThat(s.sparkOptions()).containsEntry("spark.sql.sources.commitProtocolClass",
                "org.apache.spark.internal.io.cloud.PathOutputCommitProtocol");
        assertThat(s.toString()).doesNotContain("wJalrXUtnFEMI-secret").contains("static keys (redacted)");
    }

    @Test
    void defaultsUseTheAwsChainAndAlwaysSetTheRegion() {
        S3Settings s = S3Settings.builder().build();
        assertThat(s.hadoopOptions()).containsEntry("fs.s3a.endpoint.region", "us-east-1")
                .doesNotContainKeys("fs.s3a.endpoint", "fs.s3a.access.key", "fs.s3a.aws.credentials.provider");
        assertThat(S3Settings.builder().optMagicCommitter(false).build().committerOptions()).isEmpty();
    }

    @Test
    void rejectsBadSettingsWithTheFix() {
        assertThatThrownBy(() -> S3Settings.builder().optRegion(" ").build())
                .hasMessageStartingWith("Cannot configure S3: the region is empty. Set cxml.storage.s3.region");
        assertThatThrownBy(() -> S3Settings.builder().optEndpoint("127.0.0.1:9000").build())
                .hasMessage("Cannot configure S3: endpoint '127.0.0.1:9000' has no http:// or https:// scheme. "
                        + "Set cxml.storage.s3.endpoint to a full URL");
        assertThatThrownBy(() -> S3Settings.builder().optStaticCredentials("AKID", null).build())
                .hasMessageStartingWith("Cannot configure S3: static credentials need both");
    }

    @Test
    void explainsAnUnreachableEndpoint() {
        Exception e = new RuntimeException("Job aborted", new java.net.ConnectException("Connection refused"));
        assertThat(S3Failures.explain("write", "s3a://lake/scored", e).getMessage())
                .startsWith("Cannot write s3a://lake/scored: the S3 endpoint is unreachable (ConnectException: "
                        + "Connection refused)")
                .endsWith("No partial output is visible (the S3A committer publishes only at job commit): fix the "
                        + "cause and re-run the same command.");
    }

    @Test
    void jdbcEndpointNeverShowsSecrets() {
        JdbcEndpoint e = JdbcEndpoint.builder().setUrl("jdbc:postgresql://h/db").optUser("cxml")
                .optPassword("pw-123456789").optProperty("private_key_pwd", "pk-123456789").build();
        assertThat(e.toString()).doesNotContain("pw-123456789", "pk-123456789").contains("user=cxml");
        assertThat(e.properties().getProperty("password")).isEqualTo("pw-123456789");
        assertThat(e.properties()).doesNotContainKey(JdbcEndpoint.SNOWFLAKE_DISABLE_PLATFORM_DETECTION);
    }

    @Test
    void snowflakeEndpointsNeverProbeCloudMetadataUnlessAsked() {
        JdbcEndpoint sf = JdbcEndpoint.builder().setUrl("jdbc:snowflake://acme.snowflakecomputing.com/").build();
        assertThat(sf.properties().getProperty(JdbcEndpoint.SNOWFLAKE_DISABLE_PLATFORM_DETECTION)).isEqualTo("true");
        assertThat(sf.toBuilder().build().properties().getProperty(JdbcEndpoint.SNOWFLAKE_DISABLE_PLATFORM_DETECTION))
                .isEqualTo("true");
        JdbcEndpoint optedIn = JdbcEndpoint.builder().setUrl("jdbc:snowflake://acme.snowflakecomputing.com/")
                .optProperty(JdbcEndpoint.SNOWFLAKE_DISABLE_PLATFORM_DETECTION, "false").build();
        assertThat(optedIn.properties().getProperty(JdbcEndpoint.SNOWFLAKE_DISABLE_PLATFORM_DETECTION))
                .isEqualTo("false");
    }
}
