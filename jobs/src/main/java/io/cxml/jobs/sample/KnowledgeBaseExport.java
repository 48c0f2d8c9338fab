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
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.SerializableWritable;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;

/**
 * Writes the sample's knowledge-base export ({@code raw/kb/dt=YYYY-MM-DD/part-NNNNN.jsonl}, one line per article
 * version) with Spark: one task per slice of tenants, staged and swapped in like the interaction export.
 */
final class KnowledgeBaseExport {
    /** Export folder under the storage root. */
    static final String RAW_KB = "raw/kb";
    private static final int TENANTS_PER_TASK = 200;

    private KnowledgeBaseExport() {}

    /**
     * @param spark the session
     * @param layout the storage layout
     * @param spec the sample
     * @param corpus the corpus
     * @return lines written
     */
    static long write(SparkSession spark, StorageLayout layout, SampleSpec spec, SampleCorpus corpus) {
        Configuration hadoop = spark.sparkContext().hadoopConfiguration();
        SerializableWritable<Configuration> conf = new SerializableWritable<>(hadoop);
        String target = layout.resolve(RAW_KB);
        String staging = layout.resolve("raw/_generating-kb");
        StorageFiles.deleteIfExists(staging, hadoop);
        int tasks = (spec.accounts() + TENANTS_PER_TASK - 1) / TENANTS_PER_TASK;
        List<Integer> ids = new ArrayList<>();
        for (int k = 0; k < tasks; k++) {
            ids.add(k);
        }
        long lines = JavaSparkContext.fromSparkContext(spark.sparkContext()).parallelize(ids, tasks)
                .map(k -> (long) writeTask(k, spec, corpus, staging, conf.value())).reduce(Long::sum);
        StorageFiles.deleteIfExists(target, hadoop);
        try {
            Path dst = new Path(target);
            FileSystem fs = dst.getFileSystem(hadoop);
            fs.mkdirs(dst.getParent());
            if (!fs.rename(new Path(staging), dst)) {
                throw new IOException("rename returned false");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot move " + staging + " to " + target + ": " + e.getMessage(), e);
        }
        return lines;
    }

    private static int writeTask(int task, SampleSpec spec, SampleCorpus corpus, String staging,
            Configuration hadoop) throws IOException {
        KnowledgeBaseFactory kb = new KnowledgeBaseFactory(spec, corpus);
        Map<LocalDate, BufferedWriter> writers = new TreeMap<>();
        String fileName = String.format("part-%05d.jsonl", task);
        int lines = 0;
        try {
            TicketFactory.LineSink sink = (dt, line) -> {
                try {
                    BufferedWriter w = writers.get(dt);
                    if (w == null) {
                        Path path = new Path(staging + "/dt=" + dt + "/" + fileName);
                        w = new BufferedWriter(new OutputStreamWriter(path.getFileSystem(hadoop).create(path, true),
                                StandardCharsets.UTF_8), 1 << 16);
                        writers.put(dt, w);
                    }
                    w.write(line);
                    w.write('\n');
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            };
            int to = Math.min(spec.accounts(), (task + 1) * TENANTS_PER_TASK);
            for (int a = task * TENANTS_PER_TASK; a < to; a++) {
                lines += kb.write(new Tenant(spec.seed(), a, corpus, spec.days()), sink);
            }
        } finally {
            for (BufferedWriter w : writers.values()) {
                w.close();
            }
        }
        return lines;
    }
}
