package io.cxml.experiments;

import io.cxml.storage.StorageFiles;
import io.cxml.storage.StorageLayout;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;

/**
 * Where the looks of an experiment live: {@code experiments/<name>/looks/<as-of>/} (Parquet, {@link
 * ExperimentResults#schema()}) and {@code experiments/<name>/report.html}. A look is written to a staging folder and
 * renamed into place, replacing an earlier run of the same as-of: re-running a look changes nothing else.
 */
public final class ExperimentStore {
    private static final DateTimeFormatter LOOK = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
            .withZone(ZoneOffset.UTC);

    private final SparkSession spark;
    private final StorageLayout layout;

    /**
     * @param spark the session
     * @param layout the storage layout
     */
    public ExperimentStore(SparkSession spark, StorageLayout layout) {
        this.spark = spark;
        this.layout = layout;
    }

    /**
     * @param experiment the experiment name
     * @return the folder of its looks
     */
    public String looks(String experiment) {
        return layout.resolve("experiments/" + experiment + "/looks");
    }

    /**
     * @param experiment the experiment name
     * @return its HTML report
     */
    public String report(String experiment) {
        return layout.resolve("experiments/" + experiment + "/report.html");
    }

    /**
     * @param result the look
     * @param runId the run
     * @return the look's folder
     */
    public String writeLook(AnalysisResult result, String runId) {
        String name = result.experiment().name();
        Path target = new Path(looks(name), LOOK.format(result.asOf()));
        String staging = layout.resolve("_staging/experiment/" + runId);
        spark.createDataFrame(ExperimentResults.rows(result, runId), ExperimentResults.schema()).coalesce(1).write()
                .mode(SaveMode.Overwrite).parquet(staging);
        Configuration hadoop = spark.sparkContext().hadoopConfiguration();
        try {
            FileSystem fs = target.getFileSystem(hadoop);
            fs.mkdirs(target.getParent());
            StorageFiles.deleteIfExists(target.toString(), hadoop);
            if (!fs.rename(new Path(staging), target)) {
                throw new IOException("rename " + staging + " -> " + target + " returned false");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot store the look " + target + ": " + e.getMessage(), e);
        }
        return target.toString();
    }

    /**
     * @param experiment the experiment name
     * @return every stored look's rows (empty when none)
     */
    public List<Row> allLooks(String experiment) {
        if (!StorageFiles.exists(looks(experiment), spark.sparkContext().hadoopConfiguration())) {
            return List.of();
        }
        Dataset<Row> rows = spark.read().schema(ExperimentResults.schema())
                .option("recursiveFileLookup", "true").parquet(looks(experiment));
        return rows.collectAsList();
    }

    /**
     * @param experiment the experiment name
     * @param html the report
     * @return where it was written
     */
    public String writeReport(String experiment, String html) {
        return writeText(new Path(report(experiment)), html);
    }

    /**
     * @param experiment the experiment name
     * @param name the replay's file name (its window)
     * @param json the off-policy estimate (replay), kept apart from the looks
     * @return where it was written: {@code experiments/<name>/replay/<name>.json}
     */
    public String writeReplay(String experiment, String name, String json) {
        return writeText(new Path(layout.resolve("experiments/" + experiment + "/replay/" + name + ".json")), json);
    }

    /** Writes a small text file whole: to a temporary name, then renamed over the target. */
    private String writeText(Path target, String text) {
        Path temp = new Path(target.getParent(), "_" + target.getName() + ".tmp");
        try {
            FileSystem fs = target.getFileSystem(spark.sparkContext().hadoopConfiguration());
            try (OutputStream out = fs.create(temp, true)) {
                out.write(text.getBytes(StandardCharsets.UTF_8));
            }
            fs.delete(target, false);
            if (!fs.rename(temp, target)) {
                throw new IOException("rename " + temp + " -> " + target + " returned false");
            }
            return target.toString();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + target + ": " + e.getMessage(), e);
        }
    }

    /** @return the time format of a look's folder */
    static String lookName(Instant asOf) {
        return LOOK.format(asOf);
    }
}
