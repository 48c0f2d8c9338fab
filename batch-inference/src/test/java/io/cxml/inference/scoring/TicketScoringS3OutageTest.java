package io.cxml.inference.scoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cxml.contract.CuratedInteractions;
import io.cxml.inference.TinyModel;
import io.cxml.language.LanguageOptions;
import io.cxml.runs.RunRecord;
import io.cxml.storage.StorageLayout;
import io.cxml.testing.S3TestServer;
import io.cxml.training.data.LabelledText;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The S3 server goes down while {@code cxml score} writes: the job fails, nothing of the run is visible in
 * {@code scored/tickets} or the scoring quarantine, and a re-run after the restart gives exact counts.
 */
class TicketScoringS3OutageTest {
    private static final String BUCKET = "cxml-score-outage-" + UUID.randomUUID().toString().substring(0, 8);
    private static final int TICKETS = 400;

    @TempDir
    static Path tmp;

    private static S3TestServer server;
    private static SparkSession spark;
    private static Path model;

    @BeforeAll
    static void start() {
        server = S3TestServer.startOwn(Path.of("target", "s3proxy-score-outage-" + UUID.randomUUID()));
        spark = server.sessionFor(BUCKET);
        model = TinyModel.train(tmp.resolve("model"), new ArrayList<LabelledText>());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void anOutageDuringTheWriteLeavesNothingVisibleAndTheReRunIsExact() throws Exception {
        StorageLayout layout = StorageLayout.of("s3a://" + BUCKET + "/cxml");
        curated(TICKETS).write().parquet(layout.curatedInteractions());
        ScoringOptions options = ScoringOptions.builder().setWindow(Instant.parse("2026-01-05T00:00:00Z"),
                Instant.parse("2026-01-07T00:00:00Z")).setIntent(new ScoringModel("intent@test",
                model.toUri().toString())).setLanguages(new LanguageOptions(List.of("en", "de"))).setBatchSize(16)
                .setTopK(3).setMaxTextChars(20_000).optDevice(io.cxml.runtime.executor.DevicePreference.CPU).build();
        TicketScoring scoring = new TicketScoring(spark, layout);

        AtomicBoolean down = new AtomicBoolean();
        SparkListener outage = new SparkListener() {
            @Override
            public void onTaskEnd(SparkListenerTaskEnd end) {
                if (end.taskInfo().successful() && down.compareAndSet(false, true)) {
                    server.stop(); // after the first task of the run: the others are still writing
                }
            }
        };
        spark.sparkContext().addSparkListener(outage);
        try {
            assertThatThrownBy(() -> scoring.run(options, RunRecord.start("score"))).isInstanceOf(Exception.class);
        } finally {
            spark.sparkContext().removeSparkListener(outage);
        }
        assertThat(down).isTrue();

        server.restart();
        FileSystem fs = new org.apache.hadoop.fs.Path(scoring.scoredPath())
                .getFileSystem(spark.sparkContext().hadoopConfiguration());
        assertThat(fs.exists(new org.apache.hadoop.fs.Path(scoring.scoredPath()))).as("no partial scored output")
                .isFalse();
        assertThat(fs.exists(new org.apache.hadoop.fs.Path(scoring.skippedPath()))).as("no partial quarantine")
                .isFalse();

        RunRecord record = RunRecord.start("score");
        scoring.run(options, record);
        scoring.cleanUp(record);
        Dataset<Row> scored = spark.read().parquet(scoring.scoredPath());
        assertThat(record.count(TicketScoring.READ)).isEqualTo(TICKETS);
        assertThat(record.count(TicketScoring.SCORED) + record.count(TicketScoring.SKIPPED)).isEqualTo(TICKETS);
        assertThat(scored.count()).isEqualTo(record.count(TicketScoring.SCORED));
        assertThat(scored.select("ticket_id").distinct().count()).isEqualTo(scored.count());
    }

    private static Dataset<Row> curated(int n) {
        Dataset<Row> rows = spark.range(n).selectExpr(
                "concat('t-', id) AS ticket_id", "'acme' AS account_id", "'r-1' AS requester_id",
                "'email' AS channel", "'normal' AS priority",
                "timestamp_seconds(1767571200 + id * 300) AS created_at",
                "timestamp_seconds(1767571200 + id * 300) AS updated_at", "CAST(NULL AS TIMESTAMP) AS solved_at",
                "CAST(NULL AS STRING) AS subject",
                "element_at(array('my card has not arrived yet', 'I want to change my PIN please',"
                        + " 'Ich habe meine Karte verloren', 'why was I charged a fee for this transfer'),"
                        + " CAST(id % 4 + 1 AS INT)) AS first_message")
                .selectExpr("*", "first_message AS text", "1 AS message_count", "1 AS customer_message_count",
                        "array(named_struct('author', 'customer', 'sent_at', created_at, 'body', first_message))"
                                + " AS messages", "CAST(array() AS ARRAY<STRING>) AS tags",
                        "CAST(NULL AS STRING) AS assigned_group", "CAST(NULL AS INT) AS csat", "false AS reopened",
                        "false AS escalated", "CAST(NULL AS MAP<STRING, STRING>) AS custom_fields",
                        "CAST(NULL AS DOUBLE) AS handle_minutes",
                        "CAST(NULL AS STRING) AS true_intent", "CAST(NULL AS STRING) AS true_language",
                        "'fixture.jsonl' AS source_file", "CAST(1 AS BIGINT) AS source_line",
                        "to_date(created_at) AS dt");
        return spark.createDataFrame(rows.repartition(8).rdd(), CuratedInteractions.SCHEMA);
    }
}
