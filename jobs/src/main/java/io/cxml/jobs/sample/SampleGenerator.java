package io.cxml.jobs.sample;

import io.cxml.storage.StorageFiles;
import io.cxml.storage.StorageLayout;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.GZIPOutputStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.SerializableWritable;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a synthetic raw interaction export ({@code raw/interactions/dt=YYYY-MM-DD/part-NNNNN.jsonl.gz}) with Spark:
 * task {@code k} generates tickets {@code [k*n, (k+1)*n)} and writes one gzip file per day it touches. Files are
 * written to a staging folder and swapped in at the end, so readers never see half an export; the same spec gives
 * byte-identical files (gzip headers carry no time stamp).
 */
public final class SampleGenerator {
    private static final Logger LOG = LoggerFactory.getLogger(SampleGenerator.class);

    private final SparkSession spark;
    private final StorageLayout layout;
    private Map<String, Object> scenarioFacts = Map.of();
    private long knowledgeBaseLines;

    /**
     * @param spark the session
     * @param layout where to write
     */
    public SampleGenerator(SparkSession spark, StorageLayout layout) {
        this.spark = spark;
        this.layout = layout;
    }

    /** @return what the last {@link #generate} planted: scenario to its resolved facts (tenant, teams, intent) */
    public Map<String, Object> scenarioFacts() {
        return scenarioFacts;
    }

    /** @return lines of the knowledge-base export the last {@link #generate} wrote */
    public long knowledgeBaseLines() {
        return knowledgeBaseLines;
    }

    /**
     * Generates the export, replacing any previous one under the root.
     *
     * @param spec what to generate
     * @return what was written
     */
    public SampleStats generate(SampleSpec spec) {
        scenarioFacts = Map.of();
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        Broadcast<SampleCorpus> corpus = jsc.broadcast(SampleCorpus.load());
        Configuration hadoop = spark.sparkContext().hadoopConfiguration();
        SerializableWritable<Configuration> conf = new SerializableWritable<>(hadoop);
        String target = layout.rawInteractions();
        String staging = layout.resolve("raw/_generating-interactions");
        delete(staging, hadoop);
        removeDataDerivedFromAnotherSample(spec, hadoop);

        int tasks = (int) ((spec.tickets() + spec.ticketsPerTask() - 1) / spec.ticketsPerTask());
        List<Integer> taskIds = new ArrayList<>();
        for (int k = 0; k < tasks; k++) {
            taskIds.add(k);
        }
        LOG.info("Generating {} tickets for {} accounts over {} days ({}..{}) in {} task(s), seed {}",
                spec.tickets(), spec.accounts(), spec.days(), spec.startDate(), spec.endDate(), tasks, spec.seed());
        List<SampleStats> perTask = jsc.parallelize(taskIds, tasks)
                .map(k -> writeTask(k, spec, corpus.value(), staging, conf.value()))
                .collect();
        SampleStats total = new SampleStats();
        perTask.forEach(total::add);

        scenarioFacts = new TicketFactory(spec, corpus.value()).scenarioFacts();
        knowledgeBaseLines = KnowledgeBaseExport.write(spark, layout, spec, corpus.value());
        writeManifest(staging, spec, total, hadoop);
        delete(target, hadoop);
        rename(staging, target, hadoop);
        LOG.info("Wrote sample export to {}: {}", target, total);
        return total;
    }

    private static SampleStats writeTask(int task, SampleSpec spec, SampleCorpus corpus, String staging,
            Configuration hadoop) throws IOException {
        TicketFactory factory = new TicketFactory(spec, corpus);
        long from = (long) task * spec.ticketsPerTask();
        long to = Math.min(spec.tickets(), from + spec.ticketsPerTask());
        Map<LocalDate, BufferedWriter> writers = new TreeMap<>();
        SampleStats stats = new SampleStats();
        String fileName = String.format("part-%05d.jsonl.gz", task);
        try {
            TicketFactory.LineSink sink = (dt, line) -> {
                try {
                    BufferedWriter w = writers.get(dt);
                    if (w == null) {
                        Path path = new Path(staging + "/dt=" + dt + "/" + fileName);
                        FileSystem fs = path.getFileSystem(hadoop);
                        w = new BufferedWriter(new OutputStreamWriter(
                                new GZIPOutputStream(fs.create(path, true), 1 << 16), StandardCharsets.UTF_8), 1 << 16);
                        writers.put(dt, w);
                    }
                    w.write(line);
                    w.write('\n');
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            };
            for (long i = from; i < to; i++) {
                factory.generate(i, sink, stats);
            }
        } finally {
            for (BufferedWriter w : writers.values()) {
                w.close();
            }
        }
        stats.files = writers.size();
        return stats;
    }

    /**
     * A new sample reuses ticket ids with other contents: data derived from an earlier, different sample would mix
     * with it, so it is removed. The same spec again keeps everything (and the ingest stays idempotent).
     */
    private void removeDataDerivedFromAnotherSample(SampleSpec spec, Configuration hadoop) {
        Path manifest = new Path(layout.rawInteractions(), SampleManifest.FILE_NAME);
        try {
            FileSystem fs = manifest.getFileSystem(hadoop);
            if (!fs.exists(manifest)) {
                return;
            }
            String previous;
            try (var in = fs.open(manifest)) {
                previous = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            if (SampleManifest.sameSpec(previous, spec)) {
                return;
            }
            for (String derived : layout.derivedFromRaw()) {
                Path p = new Path(derived);
                if (fs.exists(p)) {
                    LOG.info("Sample spec changed: removing {}, derived from the previous sample", p);
                    fs.delete(p, true);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot check the previous sample " + manifest + ": " + e.getMessage(), e);
        }
    }

    private static void writeManifest(String dir, SampleSpec spec, SampleStats stats, Configuration hadoop) {
        Path path = new Path(dir, SampleManifest.FILE_NAME);
        try (var out = path.getFileSystem(hadoop).create(path, true)) {
            out.write(SampleManifest.toJson(spec, stats).getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + path + ": " + e.getMessage(), e);
        }
    }

    private static void delete(String dir, Configuration hadoop) {
        StorageFiles.deleteIfExists(dir, hadoop);
    }

    private static void rename(String from, String to, Configuration hadoop) {
        try {
            Path src = new Path(from);
            Path dst = new Path(to);
            FileSystem fs = src.getFileSystem(hadoop);
            fs.mkdirs(dst.getParent());
            if (!fs.rename(src, dst)) {
                throw new IOException("rename returned false");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot move " + from + " to " + to + ": " + e.getMessage(), e);
        }
    }
}
