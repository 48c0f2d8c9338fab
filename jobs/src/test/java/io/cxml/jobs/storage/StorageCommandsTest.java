package io.cxml.jobs.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.cxml.jobs.Cxml;
import io.cxml.jobs.config.ConfigLoader;
import io.cxml.runs.RunRecord;
import io.cxml.runs.RunRecordStore;
import io.cxml.storage.StorageLayout;
import io.cxml.testing.LocalSpark;
import io.cxml.testing.WarehouseTestServers;
import io.cxml.warehouse.JdbcEndpoint;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.Properties;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SaveMode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code cxml publish} and {@code cxml ingest --source snowflake} through the CLI, against the test servers. */
class StorageCommandsTest {
    @TempDir
    Path root;

    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private PrintStream stderr;

    @BeforeEach
    void capture() {
        System.setProperty(ConfigLoader.CONF_DIR_PROPERTY, LocalSpark.projectDir().resolve("conf").toString());
        stderr = System.err;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restore() {
        System.setErr(stderr);
        System.clearProperty(ConfigLoader.CONF_DIR_PROPERTY);
    }

    @Test
    void publishMergesIntoSnowflakeAndRePublishingChangesNothing() {
        JdbcEndpoint sf = WarehouseTestServers.snowflake("cxml_cli_publish");
        LocalSpark.get().range(0, 30).selectExpr("concat('T', id) as ticket_id", "'intent-v1' as model_version",
                "cast(id as double) / 30 as confidence").write().mode(SaveMode.Overwrite)
                .parquet(root.resolve("scored/tickets").toString());
        Properties p = sf.properties();
        String url = sf.url() + "&db=" + p.getProperty("db") + "&schema=CXML&maxHttpRetries=1";
        String[] args = {"publish", "--from", "scored/tickets", "--table", "scored_tickets",
            "--key", "ticket_id,model_version", "--comment", "Scored tickets",
            "--conf", "cxml.storage.root=" + root, "--conf", "cxml.warehouse.dialect=snowflake",
            "--conf", "cxml.warehouse.url=" + url, "--conf", "cxml.warehouse.user=" + p.getProperty("user"),
            "--conf", "cxml.warehouse.password=" + p.getProperty("password")};

        assertThat(Cxml.run(args)).as(err.toString(StandardCharsets.UTF_8)).isZero();
        assertThat(Cxml.run(args)).as(err.toString(StandardCharsets.UTF_8)).isZero();

        RunRecordStore runs = new RunRecordStore(StorageLayout.of(root.toString()), new Configuration());
        assertThat(runs.list("publish")).hasSize(2);
        RunRecord first = runs.list("publish").get(0);
        RunRecord second = runs.list("publish").get(1);
        assertThat(first.counts).containsEntry(PublishCommand.INSERTED, 30L);
        assertThat(second.counts).containsEntry(PublishCommand.INSERTED, 0L)
                .containsEntry(PublishCommand.UPDATED, 0L).containsEntry(PublishCommand.UNCHANGED, 30L);
        assertThat(RunRecordStore.toJson(second)).doesNotContain(p.getProperty("password"));
    }

    @Test
    void ingestFromSnowflakeStoresTheWatermark() throws Exception {
        JdbcEndpoint sf = WarehouseTestServers.snowflake("cxml_cli_ingest");
        try (Connection c = sf.connect(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE TICKETS (TICKET_ID VARCHAR, REQUESTER_ID VARCHAR, CHANNEL VARCHAR, "
                    + "PRIORITY VARCHAR, CREATED_AT TIMESTAMP_NTZ, UPDATED_AT TIMESTAMP_NTZ, SOLVED_AT TIMESTAMP_NTZ, "
                    + "SUBJECT VARCHAR, TAGS ARRAY, ASSIGNED_GROUP VARCHAR, CSAT NUMBER(1,0), REOPENED BOOLEAN, "
                    + "ESCALATED BOOLEAN)");
            s.execute("CREATE TABLE TICKET_EVENTS (TICKET_ID VARCHAR, EVENT_ID NUMBER(10,0), AUTHOR VARCHAR, "
                    + "SENT_AT TIMESTAMP_NTZ, BODY VARCHAR)");
            s.execute("CREATE TABLE CUSTOMERS (CUSTOMER_ID VARCHAR, ACCOUNT_ID VARCHAR)");
            s.execute("INSERT INTO CUSTOMERS VALUES ('C1', 'acme')");
            s.execute("INSERT INTO TICKETS SELECT 'T1', 'C1', 'email', 'high', '2026-11-01 08:00:00', "
                    + "'2026-11-01 09:00:00', NULL, 'Card blocked', ARRAY_CONSTRUCT('cards'), 'cards', 5, FALSE, "
                    + "FALSE");
        }
        Properties p = sf.properties();
        String[] args = {"ingest", "--source", "snowflake", "--conf", "cxml.storage.root=" + root,
            "--conf", "cxml.snowflake.url=" + sf.url(), "--conf", "cxml.snowflake.user=" + p.getProperty("user"),
            "--conf", "cxml.snowflake.password=" + p.getProperty("password"),
            "--conf", "cxml.snowflake.database=" + p.getProperty("db"), "--conf", "cxml.snowflake.schema=CXML"};

        assertThat(Cxml.run(args)).as(err.toString(StandardCharsets.UTF_8)).isZero();

        RunRecord record = new RunRecordStore(StorageLayout.of(root.toString()), new Configuration())
                .latestSucceeded(SnowflakeIngestJob.JOB).orElseThrow();
        assertThat(record.details).containsEntry("snowflake_watermark", "2026-11-01T09:00:00Z");
        assertThat(record.counts).containsEntry("curated", 1L);
        assertThat(Cxml.run("ingest", "--conf", "cxml.storage.root=" + root)).isEqualTo(Cxml.EXIT_USAGE);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("Missing required option: '--from=DATE'");
    }
}
