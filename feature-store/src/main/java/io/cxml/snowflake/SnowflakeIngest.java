package io.cxml.snowflake;

import io.cxml.ingest.InteractionIngestor;
import io.cxml.runs.RunRecord;
import io.cxml.runs.RunRecordStore;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Incremental ingest from Snowflake. The watermark is the largest {@code UPDATED_AT} read, stored in the run record
 * ({@value #WATERMARK} in its details). The next run reads from the start of the watermark's UTC day, so every run
 * covers whole days: the quarantine partitions it rewrites are complete, and tickets re-read from that day are
 * deduplicated against the curated table (latest {@code updated_at} wins, identical versions change nothing).
 */
public final class SnowflakeIngest {
    private static final Logger LOG = LoggerFactory.getLogger(SnowflakeIngest.class);

    /** Run-record detail holding the watermark (ISO-8601 instant). */
    public static final String WATERMARK = "snowflake_watermark";
    /** Run-record detail holding the watermark the run started from. */
    public static final String PREVIOUS_WATERMARK = "snowflake_previous_watermark";
    /** Run-record detail naming the source. */
    public static final String SOURCE = "source";

    private final SparkSession spark;
    private final SnowflakeTicketReader reader;
    private final InteractionIngestor ingestor;
    private final RunRecordStore runs;

    /**
     * @param spark the session
     * @param options the Snowflake source settings
     * @param ingestor the ingestor that validates, quarantines and writes
     * @param runs where previous run records (and their watermarks) are
     */
    public SnowflakeIngest(SparkSession spark, SnowflakeSourceOptions options, InteractionIngestor ingestor,
            RunRecordStore runs) {
        this.spark = spark;
        this.reader = new SnowflakeTicketReader(options);
        this.ingestor = ingestor;
        this.runs = runs;
    }

    /**
     * Ingests the tickets changed since the last successful run of the record's job (or from a given day).
     *
     * @param fromDay read from the start of this UTC day instead of the watermark (backfill); empty for incremental
     * @param record the run record to fill; its job names the watermark chain
     */
    public void run(Optional<LocalDate> fromDay, RunRecord record) {
        record.details.put(SOURCE, "snowflake");
        reader.checkTables();
        Optional<Instant> previous = runs.latestSucceeded(record.job)
                .map(r -> r.details.get(WATERMARK)).map(Object::toString).map(Instant::parse);
        previous.ifPresent(p -> record.details.put(PREVIOUS_WATERMARK, p.toString()));
        Instant lower = fromDay.map(d -> d.atStartOfDay(ZoneOffset.UTC).toInstant())
                .or(() -> previous.map(p -> p.atZone(ZoneOffset.UTC).toLocalDate().atStartOfDay(ZoneOffset.UTC)
                        .toInstant()))
                .orElse(null);
        SnowflakeTicketReader.Window window = reader.window(lower);
        if (window == null) {
            LOG.info("No Snowflake ticket updated since {}: nothing to ingest", lower);
            previous.ifPresent(p -> record.details.put(WATERMARK, p.toString()));
            record.count(InteractionIngestor.READ, 0);
            return;
        }
        Instant start = lower == null ? window.lower() : lower;
        LocalDate from = start.atZone(ZoneOffset.UTC).toLocalDate();
        LocalDate to = window.upper().atZone(ZoneOffset.UTC).toLocalDate();
        record.window.put("from", from.toString());
        record.window.put("to", to.toString());
        Dataset<Row> parsed = reader.read(spark, new SnowflakeTicketReader.Window(start, window.upper()));
        ingestor.ingestParsed(parsed, from, to, record);
        record.details.put(WATERMARK, window.upper().toString());
        LOG.info("Snowflake ingest {}..{} done, watermark now {}", from, to, window.upper());
    }
}
