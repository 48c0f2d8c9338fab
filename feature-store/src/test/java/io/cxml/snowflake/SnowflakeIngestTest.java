package io.cxml.snowflake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cxml.contract.CuratedInteractions;
import io.cxml.contract.QuarantinedRecords;
import io.cxml.ingest.IngestOptions;
import io.cxml.ingest.InteractionIngestor;
import io.cxml.runs.RunRecord;
import io.cxml.runs.RunRecordStore;
import io.cxml.storage.StorageLayout;
import io.cxml.testing.LocalSpark;
import io.cxml.testing.WarehouseTestServers;
import io.cxml.warehouse.JdbcEndpoint;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Ingest from Snowflake tables through snowflake-jdbc against fakesnow: incremental, partitioned, contract-checked. */
class SnowflakeIngestTest {
    private static final String JOB = "ingest-snowflake";
    private final SparkSession spark = LocalSpark.get();

    @TempDir
    Path dir;

    @Test
    void ingestsIncrementallyByWatermarkWithQuarantineAndIdempotentReRuns() throws Exception {
        JdbcEndpoint sf = WarehouseTestServers.snowflake("cxml_ingest");
        createTables(sf, true);
        exec(sf,
                customer("C1", "acme"), customer("C2", "acme"), customer("C3", "globex"),
                ticket("T1", "C1", "email", "2026-11-01 08:00:00", "2026-11-01 09:00:00", "Refund missing", 4),
                ticket("T2", "C2", "chat", "2026-11-01 10:00:00", "2026-11-01 10:30:00", "Card blocked", null),
                ticket("T3", "C3", "web", "2026-11-02 07:00:00", "2026-11-02 08:00:00", "Cambiar dirección", 5),
                ticket("T4", "C1", "phone", "2026-11-02 11:00:00", "2026-11-02 12:00:00", "Top up failed", 2),
                ticket("T5", "C3", "email", "2026-11-03 06:00:00", "2026-11-03 07:00:00", "Where is my card", 3),
                ticket("T6", "C2", "social", "2026-11-03 09:00:00", "2026-11-03 12:00:00", "Fees too high", null),
                // Contract violations: unknown channel; requester without a customer row (no account).
                ticket("T7", "C1", "fax", "2026-11-02 09:00:00", "2026-11-02 09:30:00", "Fax", null),
                ticket("T8", "C404", "email", "2026-11-03 08:00:00", "2026-11-03 08:10:00", "Who am I", null),
                event("T1", 2, "agent", "2026-11-01 08:30:00", "We are looking into it."),
                event("T1", 1, "customer", "2026-11-01 08:00:00", "My refund has not arrived."),
                event("T3", 1, "customer", "2026-11-02 07:00:00", "Quiero cambiar mi dirección."));
        StorageLayout layout = StorageLayout.of(dir.toString());
        RunRecordStore runs = new RunRecordStore(layout, spark.sparkContext().hadoopConfiguration());
        SnowflakeSourceOptions options = SnowflakeSourceOptions.builder().setEndpoint(sf).optPartitions(3).build();

        RunRecord first = ingest(layout, runs, options);
        assertThat(first.counts).containsEntry(InteractionIngestor.READ, 8L)
                .containsEntry(InteractionIngestor.CURATED, 6L).containsEntry(InteractionIngestor.QUARANTINED, 2L);
        assertThat(first.details.get(SnowflakeIngest.WATERMARK)).isEqualTo("2026-11-03T12:00:00Z");
        Row t1 = curated(layout).stream().filter(r -> r.getAs(CuratedInteractions.TICKET_ID).equals("T1"))
                .findFirst().orElseThrow();
        assertThat(t1.<String>getAs(CuratedInteractions.ACCOUNT_ID)).isEqualTo("acme");
        assertThat(t1.<Integer>getAs(CuratedInteractions.CSAT)).isEqualTo(4);
        assertThat(t1.<String>getAs(CuratedInteractions.FIRST_MESSAGE)).isEqualTo("My refund has not arrived.");
        assertThat(t1.<Integer>getAs(CuratedInteractions.MESSAGE_COUNT)).isEqualTo(2);
        assertThat(t1.getList(t1.fieldIndex(CuratedInteractions.TAGS))).containsExactly("billing", "vip");
        assertThat(spark.read().parquet(layout.quarantine(InteractionIngestor.DATASET))
                .select(QuarantinedRecords.REASON).as(org.apache.spark.sql.Encoders.STRING()).collectAsList())
                .containsExactlyInAnyOrder("invalid_value:channel", "missing_field:account_id");

        // Changes after the first run: T1 updated, T9 new; T0 is changed but older than the watermark's day.
        exec(sf, "UPDATE TICKETS SET SUBJECT = 'Refund still missing', UPDATED_AT = '2026-11-04 09:00:00' "
                        + "WHERE TICKET_ID = 'T1'",
                ticket("T9", "C3", "chat", "2026-11-04 07:00:00", "2026-11-04 08:00:00", "Lost card", 1),
                ticket("T0", "C3", "chat", "2026-11-02 01:00:00", "2026-11-02 02:00:00", "Too late", 1));
        RunRecord second = ingest(layout, runs, options);
        // Read from the start of 2026-11-03: T5, T6, T8 again, plus T1 and T9.
        assertThat(second.counts).containsEntry(InteractionIngestor.READ, 5L)
                .containsEntry(InteractionIngestor.QUARANTINED, 1L);
        assertThat(second.details).containsEntry(SnowflakeIngest.PREVIOUS_WATERMARK, "2026-11-03T12:00:00Z")
                .containsEntry(SnowflakeIngest.WATERMARK, "2026-11-04T09:00:00Z");
        List<String> afterSecond = snapshot(layout);
        assertThat(afterSecond).hasSize(7).noneMatch(s -> s.startsWith("T0|"))
                .anyMatch(s -> s.startsWith("T1|Refund still missing|2026-11-04"));

        RunRecord third = ingest(layout, runs, options);
        assertThat(third.counts).containsEntry(InteractionIngestor.READ, 2L);
        assertThat(snapshot(layout)).isEqualTo(afterSecond);

        SnowflakeTicketReader reader = new SnowflakeTicketReader(options);
        SnowflakeTicketReader.Window all = reader.window(null);
        assertThat(all.lower()).isEqualTo(Instant.parse("2026-11-01T10:30:00Z")); // T2: T1 moved on
        assertThat(reader.readTickets(spark, all).rdd().getNumPartitions()).isEqualTo(3);
        assertThat(reader.readTickets(spark, all).count()).isEqualTo(10);
    }

    @Test
    void missingTableOrColumnFailsNamingIt() throws Exception {
        JdbcEndpoint sf = WarehouseTestServers.snowflake("cxml_ingest_bad");
        SnowflakeSourceOptions options = SnowflakeSourceOptions.builder().setEndpoint(sf).build();
        assertThatThrownBy(() -> new SnowflakeTicketReader(options).checkTables())
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("Cannot read Snowflake table CXML.TICKETS: it does not exist or the role cannot see it. "
                        + "Create it, grant SELECT, or set cxml.snowflake.tables.* to the right name");

        createTables(sf, false);
        assertThatThrownBy(() -> new SnowflakeTicketReader(options).checkTables())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("Cannot read Snowflake table CXML.TICKETS: missing column(s) [UPDATED_AT]");
    }

    private RunRecord ingest(StorageLayout layout, RunRecordStore runs, SnowflakeSourceOptions options) {
        RunRecord record = RunRecord.start(JOB);
        InteractionIngestor ingestor = new InteractionIngestor(spark, layout, IngestOptions.defaults());
        new SnowflakeIngest(spark, options, ingestor, runs).run(Optional.empty(), record);
        record.succeed();
        runs.write(record);
        return record;
    }

    private List<Row> curated(StorageLayout layout) {
        return spark.read().parquet(layout.curatedInteractions()).collectAsList();
    }

    private List<String> snapshot(StorageLayout layout) {
        return spark.read().parquet(layout.curatedInteractions())
                .selectExpr("concat_ws('|', ticket_id, subject, cast(updated_at as string), account_id, text)")
                .as(org.apache.spark.sql.Encoders.STRING()).collectAsList().stream().sorted()
                .collect(Collectors.toList());
    }

    private static void createTables(JdbcEndpoint sf, boolean withWatermark) throws SQLException {
        exec(sf, "CREATE TABLE TICKETS (TICKET_ID VARCHAR, REQUESTER_ID VARCHAR, CHANNEL VARCHAR, PRIORITY VARCHAR, "
                        + "CREATED_AT TIMESTAMP_NTZ, " + (withWatermark ? "UPDATED_AT TIMESTAMP_NTZ, " : "")
                        + "SOLVED_AT TIMESTAMP_NTZ, SUBJECT VARCHAR, TAGS ARRAY, ASSIGNED_GROUP VARCHAR, "
                        + "CSAT NUMBER(1,0), REOPENED BOOLEAN, ESCALATED BOOLEAN)",
                "CREATE TABLE TICKET_EVENTS (TICKET_ID VARCHAR, EVENT_ID NUMBER(10,0), AUTHOR VARCHAR, "
                        + "SENT_AT TIMESTAMP_NTZ, BODY VARCHAR)",
                "CREATE TABLE CUSTOMERS (CUSTOMER_ID VARCHAR, ACCOUNT_ID VARCHAR)");
    }

    private static String customer(String id, String account) {
        return "INSERT INTO CUSTOMERS VALUES ('" + id + "', '" + account + "')";
    }

    private static String ticket(String id, String requester, String channel, String created, String updated,
            String subject, Integer csat) {
        return "INSERT INTO TICKETS SELECT '" + id + "', '" + requester + "', '" + channel + "', 'normal', '" + created
                + "', '" + updated + "', NULL, '" + subject + "', ARRAY_CONSTRUCT('billing', 'vip'), 'payments', "
                + csat + ", FALSE, FALSE";
    }

    private static String event(String ticket, int id, String author, String sentAt, String body) {
        return "INSERT INTO TICKET_EVENTS VALUES ('" + ticket + "', " + id + ", '" + author + "', '" + sentAt + "', '"
                + body + "')";
    }

    private static void exec(JdbcEndpoint sf, String... sql) throws SQLException {
        try (Connection c = sf.connect(); Statement s = c.createStatement()) {
            for (String q : sql) {
                s.execute(q);
            }
        }
    }
}
