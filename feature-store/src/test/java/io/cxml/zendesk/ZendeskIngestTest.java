package io.cxml.zendesk;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;

import io.cxml.contract.CuratedInteractions;
import io.cxml.contract.QuarantinedRecords;
import io.cxml.ingest.IngestOptions;
import io.cxml.ingest.InteractionIngestor;
import io.cxml.ingest.Rejection;
import io.cxml.runs.RunRecord;
import io.cxml.storage.StorageLayout;
import io.cxml.testing.LocalSpark;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Zendesk ingest as a Spark job over the fixture in {@code src/test/resources/zendesk/export}, written from the
 * public API documentation: two days of an incremental export with a ticket page, a comments response, a ticket
 * events page and JSON lines. Each ticket of the fixture exercises one rule; docs/zendesk.md lists them.
 */
class ZendeskIngestTest {
    private static final LocalDate DAY1 = LocalDate.parse("2026-03-02");
    private static final LocalDate DAY2 = LocalDate.parse("2026-03-03");

    @TempDir
    Path root;

    private final SparkSession spark = LocalSpark.get();
    private StorageLayout layout;

    @BeforeEach
    void setUp() throws IOException, URISyntaxException {
        layout = StorageLayout.of(root.toString());
        Path fixture = Path.of(getClass().getResource("/zendesk/export").toURI());
        Path target = root.resolve("raw/zendesk");
        try (Stream<Path> files = Files.walk(fixture)) {
            for (Path f : files.toList()) {
                Path to = target.resolve(fixture.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(f, to);
                }
            }
        }
    }

    private RunRecord ingest() {
        RunRecord record = RunRecord.start("ingest");
        new ZendeskIngest(spark, layout, IngestOptions.defaults()).run(DAY1, DAY2, record);
        return record;
    }

    private List<Row> curated() {
        return spark.read().parquet(layout.curatedInteractions()).orderBy(CuratedInteractions.TICKET_ID)
                .collectAsList();
    }

    private Row ticket(List<Row> rows, String id) {
        return rows.stream().filter(r -> r.getAs(CuratedInteractions.TICKET_ID).equals(id)).findFirst()
                .orElseThrow(() -> new AssertionError("ticket " + id + " not curated"));
    }

    @Test
    void fixtureIngestsWithCountsThatReconcileAndASecondRunChangesNothing() {
        RunRecord first = ingest();

        // 7 tickets in the day-1 page (one without an id) + 5 JSON lines on day 2
        assertThat(first.counts).containsEntry(InteractionIngestor.READ, 12L)
                .containsEntry(InteractionIngestor.CURATED, 4L)       // 5101, 5102, 5105, 5107
                .containsEntry(InteractionIngestor.QUARANTINED, 6L)
                .containsEntry(InteractionIngestor.DUPLICATES, 2L);   // 5101's older version, 5102 delivered twice
        assertThat(first.counts.get(InteractionIngestor.READ)).isEqualTo(first.counts.get(InteractionIngestor.CURATED)
                + first.counts.get(InteractionIngestor.QUARANTINED) + first.counts.get(InteractionIngestor.DUPLICATES));
        @SuppressWarnings("unchecked")
        Map<String, Long> reasons = (Map<String, Long>) first.details.get("quarantine_reasons");
        assertThat(reasons).containsExactlyInAnyOrderEntriesOf(Map.of(
                Rejection.DELETED_TICKET, 2L,            // 5103's open and deleted versions
                Rejection.MERGED_TICKET, 1L,             // 5104, closed_by_merge
                "invalid_value:channel", 1L,             // 5106, via.channel carrier_pigeon
                "missing_field:id", 1L,                  // a page entry without an id
                Rejection.MALFORMED_JSON, 1L));          // 5108, a truncated line
        assertThat(first.counts).containsEntry(ZendeskIngest.COMMENTS_READ, 12L)
                .containsEntry(ZendeskIngest.PUBLIC_COMMENTS, 6L)
                .containsEntry(ZendeskIngest.PRIVATE_NOTES, 2L)
                .containsEntry(ZendeskIngest.SIDE_CONVERSATIONS, 1L)
                .containsEntry(ZendeskIngest.ATTACHMENT_ONLY, 1L)
                .containsEntry(ZendeskIngest.DUPLICATE_COMMENTS, 1L)  // 90041 from the events and the comments endpoint
                .containsEntry(ZendeskIngest.ORPHAN_COMMENTS, 1L)     // ticket 5999 is not in the window
                .containsEntry(ZendeskIngest.DESCRIPTION_ONLY, 3L)    // 5105, 5106, 5107: no comment in the export
                .containsEntry(ZendeskIngest.NON_UTF8_RECORDS, 1L)
                .containsEntry(ZendeskIngest.NON_UTF8_CHARS, 3L);     // 5107's subject, raw_subject, description

        List<Row> rows = curated();
        Row refund = ticket(rows, "5101");
        assertThat((Object) refund.getAs(CuratedInteractions.CSAT)).isEqualTo(1);            // "bad"
        assertThat(refund.<String>getAs(CuratedInteractions.ACCOUNT_ID)).isEqualTo("880");
        assertThat(refund.<String>getAs(CuratedInteractions.ASSIGNED_GROUP)).isEqualTo("360010");
        assertThat(refund.<String>getAs(CuratedInteractions.PRIORITY)).isEqualTo("high");
        assertThat(refund.<String>getAs(CuratedInteractions.FIRST_MESSAGE))
                .startsWith("Hello, my card was charged twice").doesNotContain("Dana");
        assertThat((Object) refund.getAs(CuratedInteractions.SOLVED_AT))
                .isEqualTo(refund.getAs(CuratedInteractions.UPDATED_AT));  // solved, no metric set
        List<Row> messages = refund.getList(refund.fieldIndex(CuratedInteractions.MESSAGES));
        assertThat(messages).extracting(m -> m.getString(0)).containsExactly("customer", "agent", "customer");
        assertThat(messages).extracting(m -> m.getString(2)).noneMatch(b -> b.contains("Stripe"));

        Row logout = ticket(rows, "5102");
        assertThat(logout.<String>getAs(CuratedInteractions.CHANNEL)).isEqualTo("chat");
        assertThat((Object) logout.getAs(CuratedInteractions.CSAT)).isEqualTo(5);            // "good"
        assertThat(logout.getTimestamp(logout.fieldIndex(CuratedInteractions.SOLVED_AT)).toInstant())
                .hasToString("2026-03-02T11:00:00Z");                                       // from the metric set
        assertThat(logout.<Boolean>getAs(CuratedInteractions.REOPENED)).isTrue();
        assertThat(logout.<Boolean>getAs(CuratedInteractions.ESCALATED)).isTrue();
        assertThat(logout.<Integer>getAs(CuratedInteractions.MESSAGE_COUNT)).isEqualTo(3);

        Row call = ticket(rows, "5105");
        assertThat(call.<String>getAs(CuratedInteractions.CHANNEL)).isEqualTo("phone");
        assertThat(call.<String>getAs(CuratedInteractions.ACCOUNT_ID)).isEqualTo(ZendeskTicketMapper.NO_ORGANIZATION);
        assertThat(call.<String>getAs(CuratedInteractions.PRIORITY)).isEqualTo("normal");

        Row latin1 = ticket(rows, "5107");
        assertThat(latin1.<String>getAs(CuratedInteractions.SUBJECT)).isEqualTo("Facture incorrecte caf\uFFFD");

        List<Row> quarantine = spark.read().parquet(layout.quarantine(InteractionIngestor.DATASET))
                .filter(col(QuarantinedRecords.REASON).equalTo(Rejection.MALFORMED_JSON)).collectAsList();
        assertThat(quarantine).singleElement().satisfies(r -> {
            assertThat(r.<String>getAs(QuarantinedRecords.SOURCE_FILE)).endsWith("tickets-1772496000.jsonl");
            assertThat(r.<Long>getAs(QuarantinedRecords.SOURCE_LINE)).isEqualTo(5L);
        });

        List<Row> quarantinedBefore = spark.read().parquet(layout.quarantine(InteractionIngestor.DATASET))
                .orderBy(QuarantinedRecords.SOURCE_FILE, QuarantinedRecords.SOURCE_LINE).collectAsList();
        RunRecord second = ingest();
        assertThat(second.counts).isEqualTo(first.counts);
        assertThat(curated()).isEqualTo(rows);
        assertThat(spark.read().parquet(layout.quarantine(InteractionIngestor.DATASET))
                .orderBy(QuarantinedRecords.SOURCE_FILE, QuarantinedRecords.SOURCE_LINE).collectAsList())
                .isEqualTo(quarantinedBefore);
    }
}
