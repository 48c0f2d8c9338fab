package io.cxml.assist.kb;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.row_number;

import io.cxml.contract.QuarantinedRecords;
import io.cxml.ingest.RawExportFiles;
import io.cxml.runs.RunRecord;
import io.cxml.s3.Committers;
import io.cxml.storage.StorageFiles;
import io.cxml.storage.StorageLayout;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.sql.Date;
import java.time.LocalDate;
import java.util.ArrayList;
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
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ingests a window of the knowledge-base export into {@code curated/kb_articles}, as the interaction ingest does
 * for tickets: every line is checked on the executors ({@link KnowledgeBaseParser}), rejects go to
 * {@code quarantine/kb_articles} with their reason, each article version ({@code article_id}, {@code updated_at})
 * is kept once (the last-listed copy wins, also against the versions already curated) and exactly the touched
 * {@code dt} partitions are rewritten through a staging folder. Re-running a window gives the same table, and
 * {@code read = curated + quarantined + duplicates} is checked before anything is reported.
 */
public final class KnowledgeBaseIngestor {
    private static final Logger LOG = LoggerFactory.getLogger(KnowledgeBaseIngestor.class);
    public static final String READ = "kb.read";
    public static final String CURATED = "kb.curated";
    public static final String QUARANTINED = "kb.quarantined";
    public static final String DUPLICATES = "kb.duplicates";
    private static final String REASON = "_reason";
    private static final String DETAIL = "_detail";
    private static final String RECORD = "_record";
    private static final String ORIGIN = "_origin";
    private static final int RECORD_CHARS = 2_000;
    /** The curated columns, nullable (a rejected line has none of them but its source), and the rejection. */
    private static final StructType PARSED = nullable(KnowledgeBaseArticles.SCHEMA)
            .add(REASON, DataTypes.StringType, true).add(DETAIL, DataTypes.StringType, true)
            .add(RECORD, DataTypes.StringType, true);

    private final SparkSession spark;
    private final StorageLayout layout;
    private final int maxTextChars;

    private static StructType nullable(StructType schema) {
        StructType out = new StructType();
        for (org.apache.spark.sql.types.StructField f : schema.fields()) {
            out = out.add(f.name(), f.dataType(), true, f.metadata());
        }
        return out;
    }

    /**
     * @param spark the session
     * @param layout the storage layout
     * @param maxTextChars longest title + body accepted (longer versions are quarantined)
     */
    public KnowledgeBaseIngestor(SparkSession spark, StorageLayout layout, int maxTextChars) {
        this.spark = spark;
        this.layout = layout;
        this.maxTextChars = maxTextChars;
    }

    /**
     * @param from first export day, inclusive
     * @param to last export day, inclusive
     * @param record the run record to fill
     */
    public void run(LocalDate from, LocalDate to, RunRecord record) {
        Configuration hadoop = spark.sparkContext().hadoopConfiguration();
        List<String> files = RawExportFiles.list(layout.resolve(KnowledgeBaseArticles.RAW), from, to, hadoop);
        LOG.info("Ingesting {} knowledge-base file(s) of {}..{}", files.size(), from, to);
        Dataset<Row> parsed = parse(files).persist(StorageLevel.MEMORY_AND_DISK());
        try {
            Map<String, Long> reasons = new TreeMap<>();
            for (Row r : parsed.groupBy(REASON).count().collectAsList()) {
                reasons.put(r.isNullAt(0) ? "" : r.getString(0), r.getLong(1));
            }
            long read = reasons.values().stream().mapToLong(Long::longValue).sum();
            long valid = reasons.getOrDefault("", 0L);
            reasons.remove("");
            writeQuarantine(parsed, from, to);
            long curated = writeCurated(parsed.filter(col(REASON).isNull()).drop(REASON, DETAIL, RECORD), record);
            long quarantined = read - valid;
            long duplicates = valid - curated;
            if (duplicates < 0) {
                throw new IllegalStateException(String.format("Cannot reconcile knowledge-base ingest counts: "
                        + "read=%d curated=%d quarantined=%d", read, curated, quarantined));
            }
            record.count(READ, read).count(CURATED, curated).count(QUARANTINED, quarantined)
                    .count(DUPLICATES, duplicates);
            record.details.put("kb_quarantine_reasons", reasons);
        } finally {
            parsed.unpersist();
        }
    }

    private Dataset<Row> parse(List<String> files) {
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        SerializableWritable<Configuration> hadoop =
                new SerializableWritable<>(spark.sparkContext().hadoopConfiguration());
        int limit = maxTextChars;
        JavaRDD<Row> rows = jsc.parallelize(files, Math.max(1, Math.min(files.size(), jsc.defaultParallelism() * 4)))
                .flatMap(file -> parseFile(file, hadoop.value(), limit));
        return spark.createDataFrame(rows, PARSED);
    }

    /** Runs on executors: static, so the closure captures only the file, the Hadoop conf and the limit. */
    private static Iterator<Row> parseFile(String file, Configuration hadoop, int limit) throws IOException {
        KnowledgeBaseParser parser = new KnowledgeBaseParser(limit);
        LocalDate dt = RawExportFiles.partitionDate(file);
        Path path = new Path(file);
        List<Row> out = new ArrayList<>();
        try (InputStream in = path.getFileSystem(hadoop).open(path)) {
            Iterator<RawExportFiles.NumberedLine> lines = RawExportFiles.lines(in, file);
            while (lines.hasNext()) {
                RawExportFiles.NumberedLine line = lines.next();
                KnowledgeBaseParser.Result r = parser.parse(line.text(), file, line.number());
                Object[] values = new Object[PARSED.size()];
                if (r.isValid()) {
                    for (int i = 0; i < r.row().size(); i++) {
                        values[i] = r.row().get(i);
                    }
                } else {
                    values[KnowledgeBaseArticles.SCHEMA.fieldIndex(KnowledgeBaseArticles.SOURCE_FILE)] = file;
                    values[KnowledgeBaseArticles.SCHEMA.fieldIndex(KnowledgeBaseArticles.SOURCE_LINE)] = line.number();
                    values[KnowledgeBaseArticles.SCHEMA.fieldIndex(KnowledgeBaseArticles.DT)] = Date.valueOf(dt);
                    values[PARSED.fieldIndex(REASON)] = r.rejection().reason();
                    values[PARSED.fieldIndex(DETAIL)] = r.rejection().detail();
                    String text = line.text();
                    values[PARSED.fieldIndex(RECORD)] = text.length() > RECORD_CHARS ? text.substring(0, RECORD_CHARS)
                            : text;
                }
                out.add(RowFactory.create(values));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read knowledge-base export file " + file + ": " + e.getMessage(), e);
        }
        return out.iterator();
    }

    private void writeQuarantine(Dataset<Row> parsed, LocalDate from, LocalDate to) {
        String target = layout.quarantine(KnowledgeBaseArticles.QUARANTINE);
        Dataset<Row> rejects = parsed.filter(col(REASON).isNotNull()).select(
                col(KnowledgeBaseArticles.SOURCE_FILE).as(QuarantinedRecords.SOURCE_FILE),
                col(KnowledgeBaseArticles.SOURCE_LINE).as(QuarantinedRecords.SOURCE_LINE),
                col(REASON).as(QuarantinedRecords.REASON), col(DETAIL).as(QuarantinedRecords.DETAIL),
                col(RECORD).as(QuarantinedRecords.RECORD), col(KnowledgeBaseArticles.DT).as(QuarantinedRecords.DT))
                .repartition(col(QuarantinedRecords.DT))
                .sortWithinPartitions(QuarantinedRecords.SOURCE_FILE, QuarantinedRecords.SOURCE_LINE);
        Committers.withClassicCommitter(spark, () -> {
            rejects.write().mode(SaveMode.Overwrite).partitionBy(QuarantinedRecords.DT).parquet(target);
            return null;
        });
        Set<LocalDate> withRejects = new HashSet<>();
        for (Row r : rejects.select(QuarantinedRecords.DT).distinct().collectAsList()) {
            withRejects.add(r.getDate(0).toLocalDate());
        }
        for (LocalDate d = from; !d.isAfter(to); d = d.plusDays(1)) {
            if (!withRejects.contains(d)) { // a re-run without rejects that day clears the old ones
                StorageFiles.deleteIfExists(target + "/" + QuarantinedRecords.DT + "=" + d,
                        spark.sparkContext().hadoopConfiguration());
            }
        }
    }

    /** @return article versions taken from the input */
    private long writeCurated(Dataset<Row> valid, RunRecord record) {
        Configuration hadoop = spark.sparkContext().hadoopConfiguration();
        Dataset<Row> incoming = valid.withColumn(ORIGIN, lit(0));
        List<Date> affected = new ArrayList<>();
        for (Row r : incoming.select(KnowledgeBaseArticles.DT).distinct().collectAsList()) {
            affected.add(r.getDate(0));
        }
        if (affected.isEmpty()) {
            LOG.warn("No valid knowledge-base line in the window: {} is left as it was", KnowledgeBaseArticles.CURATED);
            return 0;
        }
        String target = layout.resolve(KnowledgeBaseArticles.CURATED);
        Dataset<Row> candidates = incoming;
        if (StorageFiles.exists(target, hadoop)) {
            candidates = incoming.unionByName(spark.read().schema(KnowledgeBaseArticles.SCHEMA).parquet(target)
                    .filter(col(KnowledgeBaseArticles.DT).isin(affected.toArray())).withColumn(ORIGIN, lit(1)));
        }
        // One row per version; the input beats the table, then the last-listed file and line (deterministic).
        Dataset<Row> latest = candidates.withColumn("_rank", row_number().over(Window
                        .partitionBy(KnowledgeBaseArticles.ARTICLE_ID, KnowledgeBaseArticles.UPDATED_AT)
                        .orderBy(col(ORIGIN).asc(), col(KnowledgeBaseArticles.SOURCE_FILE).desc(),
                                col(KnowledgeBaseArticles.SOURCE_LINE).desc())))
                .filter(col("_rank").equalTo(1)).drop("_rank");
        String staging = layout.resolve("_staging/kb-ingest/" + record.runId);
        try {
            latest.write().mode(SaveMode.Overwrite).parquet(staging);
            Dataset<Row> staged = spark.read().parquet(staging);
            long fromInput = staged.filter(col(ORIGIN).equalTo(0)).count();
            Dataset<Row> rewritten = staged.drop(ORIGIN).selectExpr(KnowledgeBaseArticles.SCHEMA.fieldNames())
                    .repartition(col(KnowledgeBaseArticles.DT))
                    .sortWithinPartitions(KnowledgeBaseArticles.ARTICLE_ID, KnowledgeBaseArticles.UPDATED_AT);
            Committers.withClassicCommitter(spark, () -> {
                rewritten.write().mode(SaveMode.Overwrite).partitionBy(KnowledgeBaseArticles.DT).parquet(target);
                return null;
            });
            record.details.put("kb_partitions_written", affected.size());
            LOG.info("Wrote {} article version(s) into {} partition(s) of {}", fromInput, affected.size(), target);
            return fromInput;
        } finally {
            StorageFiles.deleteIfExists(staging, hadoop);
        }
    }
}
