package io.cxml.warehouse;

import static org.assertj.core.api.Assertions.assertThat;

import io.cxml.runs.RunRecord;
import io.cxml.runs.RunRecordStore;
import io.cxml.s3.S3Settings;
import io.cxml.testing.LocalSpark;
import io.cxml.testing.LogCapture;
import io.cxml.testing.S3TestServer;
import io.cxml.testing.TestServers;
import io.cxml.testing.WarehouseTestServers;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs S3 writes and reads, a Snowflake (fakesnow) publish and a PostgreSQL publish with credentials set, logging at
 * DEBUG for cxml, S3A, the AWS SDK and both JDBC drivers, then scans every captured line (and the run record) for
 * the secret values.
 */
class CredentialLeakTest {
    private static final Logger LOG = LoggerFactory.getLogger(CredentialLeakTest.class);

    @Test
    void noSecretValueAppearsInTheLogsOrTheRunRecord() throws Exception {
        String bucket = "cxml-leak-" + UUID.randomUUID().toString().substring(0, 8);
        S3TestServer s3 = S3TestServer.shared();
        s3.createBucket(bucket);
        JdbcEndpoint snowflake = WarehouseTestServers.snowflake("cxml_leak");
        boolean withPostgres = TestServers.env(TestServers.PG_URL) != null;
        JdbcEndpoint postgres = withPostgres ? WarehouseTestServers.postgres("cxml_leak") : null;
        List<String> secrets = new ArrayList<>(List.of(s3.secretKey(), password(snowflake)));
        if (withPostgres) {
            secrets.add(password(postgres));
        }
        RunRecord record = RunRecord.start("leak-check");
        String captured;
        try (LogCapture capture = LogCapture.start("io.cxml", "org.apache.hadoop.fs.s3a", "software.amazon.awssdk",
                "net.snowflake", "org.postgresql", "org.apache.spark.sql.execution.datasources.jdbc")) {
            SparkSession spark = LocalSpark.get().newSession();
            S3Settings settings = s3.settings(bucket);
            settings.applyTo(spark);
            LOG.info("S3 settings: {}", settings);
            Dataset<Row> data = spark.range(0, 50).selectExpr("concat('T', id) as ticket_id", "'v1' as model_version",
                    "cast(id as double) / 50 as confidence");
            String path = "s3a://" + bucket + "/scored";
            data.write().mode(SaveMode.Overwrite).parquet(path);
            Dataset<Row> back = spark.read().parquet(path);
            assertThat(back.count()).isEqualTo(50);

            PublishOptions options = PublishOptions.builder().setTable("leak_scored")
                    .setKeyColumns("ticket_id", "model_version").optExplicitTransaction(false).build();
            PublishResult sf = new WarehousePublisher(snowflake, new SnowflakeDialect()).publish(back, options);
            record.details.put("snowflake", snowflake.toString());
            assertThat(sf.inserted()).isEqualTo(50);
            if (withPostgres) {
                PublishResult pg = new WarehousePublisher(postgres, new PostgresDialect()).publish(back,
                        PublishOptions.builder().setTable("leak_scored").setKeyColumns("ticket_id", "model_version")
                                .build());
                record.details.put("postgres", postgres.toString());
                assertThat(pg.inserted()).isEqualTo(50);
            }
            record.succeed();
            LOG.info("Run record: {}", RunRecordStore.toJson(record));
            captured = capture.text();
        }
        assertThat(captured).as("captured log").contains("Published to").contains("s3a://" + bucket);
        assertThat(captured.lines().count()).as("captured log lines").isGreaterThan(100);
        for (String secret : secrets) {
            assertThat(secret).hasSizeGreaterThan(8);
            assertThat(captured).as("log output").doesNotContain(secret);
            assertThat(RunRecordStore.toJson(record)).as("run record").doesNotContain(secret);
        }
    }

    private static String password(JdbcEndpoint endpoint) {
        Properties p = endpoint.properties();
        return p.getProperty("password");
    }
}
