package io.cxml.ingest;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cxml.contract.CuratedInteractions;
import io.cxml.contract.QuarantinedRecords;
import io.cxml.runs.RunRecord;
import io.cxml.storage.StorageLayout;
import io.cxml.testing.LocalSpark;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ingest as a real Spark job over hand-written export files whose expected outcome is known line by line. */
class InteractionIngestorTest {
    private static final LocalDate DAY1 = LocalDate.parse("2026-01-01");
    private static final LocalDate DAY2 = LocalDate.parse("2026-01-02");
    private static final LocalDate DAY3 = LocalDate.parse("2026-01-03");

    @TempDir
    Path root;

    private final SparkSession spark = LocalSpark.get();
    private StorageLayout layout;

    @BeforeEach
    void setUp() {
        layout = StorageLayout.of(root.toString());
    }

    static String ticket(String id, String created, String updated, String text) {
        return "{\"ticket_id\":\"" + id + "\",\"account_id\":\"acct-1\",\"channel\":\"chat\",\"created_at\":\""
                + created + "\",\"updated_at\":\"" + updated + "\",\"messages\":[{\"author\":\"customer\","
                + "\"body\":\"" + text + "\"}]}";
    }

    private void writeExport(LocalDate dt, String file, List<String> lines) throws IOException {
        Path dir = root.resolve("raw/interactions/dt=" + dt);
        Files.createDirectories(dir);
        byte[] content = (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8);
        if (file.endsWith(".gz")) {
            try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(dir.resolve(file)))) {
                out.write(content);
            }
        } else {
            Files.write(dir.resolve(file), content);
        }
    }

    private void writeTwoDays() throws IOException {
        String t1v1 = ticket("T1", "2026-01-01T09:00:00Z", "2026-01-01T10:00:00Z", "card not arrived");
        writeExport(DAY1, "part-0.jsonl.gz", List.of(
                t1v1,
                ticket("T2", "2026-01-01T11:00:00Z", "2026-01-01T12:00:00Z", "refund please"),
                "{\"ticket_id\": \"T9\", \"account_id\"",
                t1v1));
        writeExport(DAY2, "part-0.jsonl", List.of(
                ticket("T1", "2026-01-01T09:00:00Z", "2026-01-02T08:00:00Z", "card still not arrived"),
                ticket("T3", "2026-01-01T23:00:00Z", "2026-01-02T09:00:00Z", "app crashes"),
                ticket("T4", "2026-01-02T09:00:00Z", "2026-01-02T09:00:00Z", "x").replace("\"ticket_id\":\"T4\",", "")));
    }

    private RunRecord ingest(LocalDate from, LocalDate to) {
        RunRecord record = RunRecord.start("ingest");
        new InteractionIngestor(spark, layout, IngestOptions.defaults()).run(from, to, record);
        return record;
    }

    private List<Row> curated() {
        return spark.read().parquet(layout.curatedInteractions())
                .select(CuratedInteractions.TICKET_ID, CuratedInteractions.UPDATED_AT, CuratedInteractions.TEXT,
                        CuratedInteractions.DT, CuratedInteractions.SOURCE_LINE)
                .orderBy(CuratedInteractions.TICKET_ID).collectAsList();
    }

    @Test
    void curatesTheLatestVersionQuarantinesRejectsAndReconciles() throws IOException {
        writeTwoDays();

        RunRecord record = ingest(DAY1, DAY2);

        assertThat(record.counts).containsEntry("read", 7L).containsEntry("curated", 3L)
                .containsEntry("quarantined", 2L).containsEntry("duplicates", 2L);
        assertThat(record.count("read")).isEqualTo(
                record.count("curated") + record.count("quarantined") + record.count("duplicates"));
        List<Row> rows = curated();
        assertThat(rows).extracting(r -> r.getString(0)).containsExactly("T1", "T2", "T3");
        assertThat(rows.get(0).getString(2)).isEqualTo("card still not arrived");
        // Partitioned by creation date: T3 was created on day 1 although exported on day 2.
        assertThat(rows).extracting(r -> r.getDate(3).toLocalDate()).containsOnly(DAY1);

        List<Row> rejects = spark.read().parquet(layout.quarantine(InteractionIngestor.DATASET))
                .orderBy(QuarantinedRecords.SOURCE_FILE).collectAsList();
        assertThat(rejects).hasSize(2);
        assertThat(rejects.get(0).<String>getAs(QuarantinedRecords.SOURCE_FILE)).endsWith("dt=2026-01-01/part-0.jsonl.gz");
        assertThat(rejects.get(0).<Long>getAs(QuarantinedRecords.SOURCE_LINE)).isEqualTo(3L);
        assertThat(rejects.get(0).<String>getAs(QuarantinedRecords.REASON)).isEqualTo("malformed_json");
        assertThat(rejects.get(1).<Long>getAs(QuarantinedRecords.SOURCE_LINE)).isEqualTo(3L);
        assertThat(rejects.get(1).<String>getAs(QuarantinedRecords.REASON)).isEqualTo("missing_field:ticket_id");
        assertThat(rejects.get(1).<String>getAs(QuarantinedRecords.RECORD)).contains("\"account_id\":\"acct-1\"");
    }

    @Test
    void reRunningAWindowGivesTheSameTable() throws IOException {
        writeTwoDays();
        RunRecord first = ingest(DAY1, DAY2);
        List<Row> before = curated();
        long quarantinedBefore = spark.read().parquet(layout.quarantine(InteractionIngestor.DATASET)).count();

        RunRecord second = ingest(DAY1, DAY2);

        assertThat(curated()).containsExactlyElementsOf(before);
        assertThat(second.counts).isEqualTo(first.counts);
        assertThat(spark.read().parquet(layout.quarantine(InteractionIngestor.DATASET)).count())
                .isEqualTo(quarantinedBefore);
        assertThat(spark.read().parquet(layout.curatedInteractions()).groupBy(CuratedInteractions.TICKET_ID).count()
                .filter(col("count").gt(1)).count()).isZero();
    }

    @Test
    void aLaterWindowUpdatesTicketsInPlaceAndNeverRegresses() throws IOException {
        writeTwoDays();
        ingest(DAY1, DAY2);
        writeExport(DAY3, "part-0.jsonl", List.of(
                ticket("T2", "2026-01-01T11:00:00Z", "2026-01-03T07:00:00Z", "refund arrived, thanks"),
                // An older version of T3 arriving late must not replace the newer one already curated.
                ticket("T3", "2026-01-01T23:00:00Z", "2026-01-01T23:30:00Z", "app crashes (old)")));

        RunRecord record = ingest(DAY3, DAY3);

        assertThat(record.counts).containsEntry("read", 2L).containsEntry("curated", 1L)
                .containsEntry("duplicates", 1L).containsEntry("quarantined", 0L);
        List<Row> rows = curated();
        assertThat(rows).extracting(r -> r.getString(0)).containsExactly("T1", "T2", "T3");
        assertThat(rows.get(1).getString(2)).isEqualTo("refund arrived, thanks");
        assertThat(rows.get(2).getString(2)).isEqualTo("app crashes");
        // Day 1's quarantine survives an ingest of another window.
        assertThat(spark.read().parquet(layout.quarantine(InteractionIngestor.DATASET)).count()).isEqualTo(2);
    }

    @Test
    void anEmptyWindowFailsWithAnActionableMessage() {
        assertThatThrownBy(() -> ingest(DAY1, DAY2))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Cannot ingest 2026-01-01..2026-01-02: no *.jsonl[.gz] files under")
                .hasMessageContaining("cxml generate-sample");
    }

    @Test
    void aReversedWindowIsRejected() {
        assertThatThrownBy(() -> ingest(DAY2, DAY1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Cannot read window 2026-01-02..2026-01-01: --to is before --from");
    }
}
