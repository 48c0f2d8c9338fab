package io.cxml.ingest;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.row_number;

import io.cxml.contract.CuratedInteractions;
import io.cxml.contract.QuarantinedRecords;
import io.cxml.runs.RunRecord;
import io.cxml.s3.Committers;
import io.cxml.storage.ParquetDictionaries;
import io.cxml.storage.StorageFiles;
import io.cxml.storage.StorageLayout;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.sql.Date;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.SerializableWritable;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ingests a window of the raw interaction export into {@code curated/interactions}: validate every line against the
 * contract, quarantine rejects with their reason, keep the latest version of each ticket (by {@code updated_at}, also
 * against versions already curated), and rewrite exactly the affected creation-date partitions. Re-running a window
 * gives the same table.
 *
 * <p>Counts reconcile by construction and are checked before anything is reported: {@code read = curated +
 * quarantined + duplicates}, where {@code duplicates} are valid versions dropped because a newer (or identical,
 * later-listed) version of the same ticket won.
 */
public final class InteractionIngestor {
    private static final Logger LOG = LoggerFactory.getLogger(InteractionIngestor.class);

    /** Dataset name under {@code quarantine/}. */
    public static final String DATASET = "interactions";
    /** Count names written to the run record. */
    public static final String READ = "read";
    public static final String CURATED = "curated";
    public static final String QUARANTINED = "quarantined";
    public static final String DUPLICATES = "duplicates";
    public static final String PARTITION_ROWS = "curated_rows_in_written_partitions";

    private static final String ORIGIN = "_origin";
    private static final int FROM_INPUT = 0;
    private static final int FROM_TABLE = 1;

    private final SparkSession spark;
    private final StorageLayout layout;
    private final IngestOptions options;

    /**
     * @param spark the session (with dynamic partition overwrite enabled)
     * @param layout where the export, the curated table and the quarantine live
     * @param options ingest settings
     */
    public InteractionIngestor(SparkSession spark, StorageLayout layout, IngestOptions options) {
        this.spark = spark;
        this.layout = layout;
        this.options = options;
    }

    /**
     * Ingests the window; fills the record's counts and details.
     *
     * @param from first export date, inclusive
     * @param to last export date, inclusive
     * @param record the run record to fill
     */
    public void run(LocalDate from, LocalDate to, RunRecord record) {
        Configuration hadoop = spark.sparkContext().hadoopConfiguration();
        List<String> files = RawExportFiles.list(layout.rawInteractions(), from, to, hadoop);
        record.window.put("from", from.toString());
        record.window.put("to", to.toString());
        record.details.put("files", files.size());
        LOG.info("Ingesting {} file(s) of {}..{} from {}", files.size(), from, to, layout.rawInteractions());
        LOG.info("Step 1/4: parsing and validating every line");
        ingestParsed(parse(files), from, to, record);
    }

    /**
     * Ingests records that another source already parsed into the {@link ParsedRows#SCHEMA} layout (accepted rows
     * with the curated columns, rejected rows with a reason): quarantine, deduplicate against the curated table and
     * rewrite the affected partitions, exactly as for the raw export. Fills the record's counts and details.
     *
     * @param parsed rows in {@link ParsedRows#SCHEMA}
     * @param from first day of the window (quarantine days in the window without rejects are cleared)
     * @param to last day of the window, inclusive
     * @param record the run record to fill
     */
    public void ingestParsed(Dataset<Row> parsed, LocalDate from, LocalDate to, RunRecord record) {
        record.window.putIfAbsent("from", from.toString());
        record.window.putIfAbsent("to", to.toString());
        parsed = parsed.persist(StorageLevel.MEMORY_AND_DISK());
        try {
            Map<String, Long> reasons = countByReason(parsed);
            long read = reasons.values().stream().mapToLong(Long::longValue).sum();
            long valid = reasons.getOrDefault("", 0L);
            reasons.remove("");
            long quarantined = read - valid;
            LOG.info("Read {} record(s): {} valid, {} rejected {}", read, valid, quarantined, reasons);

            LOG.info("Step 2/4: writing {} rejected line(s) to {}", quarantined, layout.quarantine(DATASET));
            writeQuarantine(parsed, from, to);
            Written written = writeCurated(parsed.filter(col(ParsedRows.REASON).isNull()), record);
            long curated = written.fromInput();
            long duplicates = valid - curated;
            if (read != curated + quarantined + duplicates || duplicates < 0) {
                throw new IllegalStateException(String.format(
                        "Cannot reconcile ingest counts: read=%d curated=%d quarantined=%d duplicates=%d",
                        read, curated, quarantined, duplicates));
            }
            record.count(READ, read).count(CURATED, curated).count(QUARANTINED, quarantined)
                    .count(DUPLICATES, duplicates).count(PARTITION_ROWS, written.rowsInPartitions());
            record.details.put("quarantine_reasons", reasons);
        } finally {
            parsed.unpersist();
        }
    }

    private Dataset<Row> parse(List<String> files) {
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        IngestOptions opts = options;
        int slices = Math.max(1, Math.min(files.size(), jsc.defaultParallelism() * 4));
        // One task reads whole files so that every line keeps its file and line number.
        // Executors read with the driver's Hadoop settings (S3A endpoint, credentials provider, ...).
        SerializableWritable<Configuration> hadoop =
                new SerializableWritable<>(spark.sparkContext().hadoopConfiguration());
        JavaRDD<Row> rows = jsc.parallelize(files, slices).flatMap(file -> parseFile(file, hadoop.value(), opts));
        return spark.createDataFrame(rows, ParsedRows.SCHEMA);
    }

    /** Runs on executors: static, so the closure captures only the file, the Hadoop conf and the options. */
    private static Iterator<Row> parseFile(String file, Configuration hadoop, IngestOptions opts) throws IOException {
        RawInteractionParser parser = new RawInteractionParser(opts.maxTextChars());
        LocalDate dt = RawExportFiles.partitionDate(file);
        Path path = new Path(file);
        InputStream in = path.getFileSystem(hadoop).open(path);
        Iterator<RawExportFiles.NumberedLine> lines;
        try {
            lines = RawExportFiles.lines(in, file);
        } catch (IOException e) {
            in.close();
            throw new UncheckedIOException("Cannot read raw export file " + file + ": " + e.getMessage(), e);
        }
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return lines.hasNext();
            }

            @Override
            public Row next() {
                RawExportFiles.NumberedLine line = lines.next();
                RawInteractionParser.Result r = parser.parse(line.text());
                return r.isValid() ? ParsedRows.accepted(r.interaction(), file, line.number(), dt)
                        : ParsedRows.rejected(r.rejection(), line.text(), opts.quarantineRecordChars(), file,
                                line.number(), dt);
            }
        };
    }

    private static Map<String, Long> countByReason(Dataset<Row> parsed) {
        Map<String, Long> counts = new TreeMap<>();
        for (Row r : parsed.groupBy(ParsedRows.REASON).count().collectAsList()) {
            counts.put(r.isNullAt(0) ? "" : r.getString(0), r.getLong(1));
        }
        return counts;
    }

    private void writeQuarantine(Dataset<Row> parsed, LocalDate from, LocalDate to) {
        List<Column> columns = new ArrayList<>();
        for (String[] c : ParsedRows.QUARANTINE_COLUMNS) {
            columns.add(col(c[0]).as(c[1]));
        }
        Dataset<Row> rejects = parsed.filter(col(ParsedRows.REASON).isNotNull())
                .select(columns.toArray(new Column[0]))
                .repartition(col(QuarantinedRecords.DT))
                .sortWithinPartitions(QuarantinedRecords.SOURCE_FILE, QuarantinedRecords.SOURCE_LINE);
        // Dynamic partition overwrite: the S3A committers refuse it, so this write uses the classic committer.
        Committers.withClassicCommitter(spark, () -> {
            rejects.write().mode(SaveMode.Overwrite).partitionBy(QuarantinedRecords.DT)
                    .parquet(layout.quarantine(DATASET));
            return null;
        });
        // Dynamic overwrite only replaces partitions that got rows: clear window days that now have no reject.
        Set<LocalDate> withRejects = new HashSet<>();
        for (Row r : rejects.select(QuarantinedRecords.DT).distinct().collectAsList()) {
            withRejects.add(r.getDate(0).toLocalDate());
        }
        for (LocalDate d = from; !d.isAfter(to); d = d.plusDays(1)) {
            if (!withRejects.contains(d)) {
                delete(layout.quarantine(DATASET) + "/" + QuarantinedRecords.DT + "=" + d);
            }
        }
    }

    /** What the curated write did: versions taken from the input, rows now in the rewritten partitions. */
    private record Written(long fromInput, long rowsInPartitions) {}

    private Written writeCurated(Dataset<Row> valid, RunRecord record) {
        String[] columns = Arrays.stream(CuratedInteractions.SCHEMA.fieldNames()).toArray(String[]::new);
        Dataset<Row> incoming = valid.selectExpr(columns).withColumn(ORIGIN, lit(FROM_INPUT));
        List<Date> affected = new ArrayList<>();
        for (Row r : incoming.select(CuratedInteractions.DT).distinct().collectAsList()) {
            affected.add(r.getDate(0));
        }
        if (affected.isEmpty()) {
            LOG.warn("No valid record in the window: the curated table is left as it was");
            return new Written(0, 0);
        }
        Dataset<Row> candidates = incoming;
        String curatedPath = layout.curatedInteractions();
        if (exists(curatedPath)) {
            Dataset<Row> existing = spark.read().schema(CuratedInteractions.SCHEMA).parquet(curatedPath)
                    .filter(col(CuratedInteractions.DT).isin(affected.toArray()))
                    .withColumn(ORIGIN, lit(FROM_TABLE));
            candidates = incoming.unionByName(existing);
        }
        // Latest version wins; on a tie the input beats the table (so a re-run rewrites the same rows) and the
        // last-listed file and line win, which makes the choice deterministic.
        Dataset<Row> latest = candidates
                .withColumn("_rank", row_number().over(Window.partitionBy(CuratedInteractions.TICKET_ID).orderBy(
                        col(CuratedInteractions.UPDATED_AT).desc(), col(ORIGIN).asc(),
                        col(CuratedInteractions.SOURCE_FILE).desc(), col(CuratedInteractions.SOURCE_LINE).desc())))
                .filter(col("_rank").equalTo(1)).drop("_rank");

        // Stage first: the final write overwrites partitions that the candidates were read from.
        LOG.info("Step 3/4: keeping the latest version of each ticket across the input and {} curated partition(s)",
                affected.size());
        String staging = layout.resolve("_staging/ingest/" + record.runId);
        try {
            ParquetDictionaries.offFor(latest.write(), latest.schema(), CuratedInteractions.NEAR_UNIQUE)
                    .mode(SaveMode.Overwrite).parquet(staging);
            Dataset<Row> staged = spark.read().parquet(staging);
            LOG.info("Step 4/4: rewriting {} partition(s) of {}", affected.size(), curatedPath);
            long fromInput = staged.filter(col(ORIGIN).equalTo(FROM_INPUT)).count();
            Dataset<Row> rewritten = staged.drop(ORIGIN).selectExpr(columns)
                    .repartition(col(CuratedInteractions.DT))
                    .sortWithinPartitions(CuratedInteractions.TICKET_ID);
            // Dynamic partition overwrite: the S3A committers refuse it, so this write uses the classic committer.
            Committers.withClassicCommitter(spark, () -> {
                ParquetDictionaries.offFor(rewritten.write(), rewritten.schema(), CuratedInteractions.NEAR_UNIQUE)
                        .mode(SaveMode.Overwrite).partitionBy(CuratedInteractions.DT).parquet(curatedPath);
                return null;
            });
            Row check = spark.read().schema(CuratedInteractions.SCHEMA).parquet(curatedPath)
                    .filter(col(CuratedInteractions.DT).isin(affected.toArray()))
                    .agg(count(lit(1)), countDistinct(col(CuratedInteractions.TICKET_ID))).first();
            long inPartitions = check.getLong(0);
            if (inPartitions != check.getLong(1)) {
                throw new IllegalStateException("Cannot finish the ingest: " + (inPartitions - check.getLong(1))
                        + " duplicate ticket row(s) in the rewritten partitions of " + curatedPath);
            }
            record.details.put("partitions_written", affected.size());
            LOG.info("Wrote {} ticket version(s) into {} partition(s) of {} ({} rows there now)", fromInput,
                    affected.size(), curatedPath, inPartitions);
            return new Written(fromInput, inPartitions);
        } finally {
            delete(staging);
        }
    }

    private boolean exists(String path) {
        return StorageFiles.exists(path, spark.sparkContext().hadoopConfiguration());
    }

    private void delete(String path) {
        StorageFiles.deleteIfExists(path, spark.sparkContext().hadoopConfiguration());
    }
}
