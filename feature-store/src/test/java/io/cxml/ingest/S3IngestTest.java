package io.cxml.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.cxml.runs.RunRecord;
import io.cxml.storage.StorageLayout;
import io.cxml.testing.S3TestServer;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The raw export, the curated table and the quarantine all on {@code s3a://}: ingest reads the export from S3 on the
 * executors, replaces partitions (classic committer, since the S3A committers refuse dynamic partition overwrite) and
 * a re-run gives the same table.
 */
class S3IngestTest {
    private static final String BUCKET = "cxml-ingest-" + UUID.randomUUID().toString().substring(0, 8);
    private static SparkSession spark;

    @BeforeAll
    static void connect() {
        spark = S3TestServer.shared().sessionFor(BUCKET);
    }

    @Test
    void ingestsTheRawExportFromS3IntoCuratedOnS3Idempotently() throws Exception {
        StorageLayout layout = StorageLayout.of("s3a://" + BUCKET + "/cxml");
        FileSystem fs = new Path(layout.root()).getFileSystem(spark.sparkContext().hadoopConfiguration());
        List<String> day1 = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            day1.add(line("T" + i, "2026-11-01T08:00:00Z", "2026-11-01T09:00:00Z"));
        }
        day1.add("{not json");
        List<String> day2 = new ArrayList<>();
        for (int i = 30; i < 45; i++) {
            day2.add(line("T" + i, "2026-11-02T08:00:00Z", "2026-11-02T09:00:00Z"));
        }
        for (int i = 0; i < 5; i++) {
            day2.add(line("T" + i, "2026-11-01T08:00:00Z", "2026-11-02T10:00:00Z"));
        }
        put(fs, layout.rawInteractions() + "/dt=2026-11-01/part-0.jsonl", day1);
        put(fs, layout.rawInteractions() + "/dt=2026-11-02/part-0.jsonl", day2);

        RunRecord first = ingest(layout);
        RunRecord second = ingest(layout);

        assertThat(first.counts).containsEntry(InteractionIngestor.READ, 51L)
                .containsEntry(InteractionIngestor.CURATED, 45L)
                .containsEntry(InteractionIngestor.QUARANTINED, 1L)
                .containsEntry(InteractionIngestor.DUPLICATES, 5L);
        assertThat(second.counts).isEqualTo(first.counts);
        assertThat(spark.read().parquet(layout.curatedInteractions()).count()).isEqualTo(45);
        assertThat(spark.read().parquet(layout.curatedInteractions()).filter("updated_at > '2026-11-02 09:30:00'")
                .count()).isEqualTo(5);
        assertThat(spark.read().parquet(layout.quarantine(InteractionIngestor.DATASET)).count()).isEqualTo(1);
        List<String> leftovers = new ArrayList<>();
        RemoteIterator<LocatedFileStatus> it = fs.listFiles(new Path(layout.root()), true);
        while (it.hasNext()) {
            String p = it.next().getPath().toString();
            if (p.contains(".spark-staging") || p.contains("__magic") || p.contains("_staging/")) {
                leftovers.add(p);
            }
        }
        assertThat(leftovers).isEmpty();
    }

    private static RunRecord ingest(StorageLayout layout) {
        RunRecord record = RunRecord.start("ingest");
        new InteractionIngestor(spark, layout, IngestOptions.defaults())
                .run(LocalDate.parse("2026-11-01"), LocalDate.parse("2026-11-02"), record);
        return record;
    }

    private static String line(String id, String created, String updated) {
        return "{\"ticket_id\":\"" + id + "\",\"account_id\":\"acme\",\"channel\":\"email\",\"priority\":\"normal\","
                + "\"created_at\":\"" + created + "\",\"updated_at\":\"" + updated + "\",\"subject\":\"Card " + id
                + "\",\"messages\":[{\"author\":\"customer\",\"sent_at\":\"" + created
                + "\",\"body\":\"My card does not work\"}],\"tags\":[\"cards\"]}";
    }

    private static void put(FileSystem fs, String path, List<String> lines) throws Exception {
        try (OutputStream out = fs.create(new Path(path), true)) {
            out.write((String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8));
        }
    }
}
