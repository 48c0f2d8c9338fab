package io.cxml.runs;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.cxml.storage.StorageLayout;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Reads and writes run records under {@code runs/<job>/<run-id>.json} on any Hadoop file system. A record is written to
 * a temporary name and renamed, so a reader never sees half a record.
 */
public final class RunRecordStore {
    private static final ObjectMapper JSON =
            new ObjectMapper()
                    .registerModule(new JavaTimeModule())
                    .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                    .enable(SerializationFeature.INDENT_OUTPUT);

    private final StorageLayout layout;
    private final Configuration hadoop;

    /**
     * @param layout the storage layout
     * @param hadoop the Hadoop configuration (from the SparkSession, so S3A settings apply)
     */
    public RunRecordStore(StorageLayout layout, Configuration hadoop) {
        this.layout = layout;
        this.hadoop = hadoop;
    }

    /**
     * Writes a record atomically.
     *
     * @param record the record
     * @return the path written
     */
    public String write(RunRecord record) {
        Path target = new Path(layout.runs(record.job), record.runId + ".json");
        Path temp = new Path(layout.runs(record.job), "_" + record.runId + ".json.tmp");
        try {
            FileSystem fs = target.getFileSystem(hadoop);
            try (OutputStream out = fs.create(temp, true)) {
                out.write(JSON.writeValueAsString(record).getBytes(StandardCharsets.UTF_8));
            }
            if (!fs.rename(temp, target)) {
                throw new IOException("rename " + temp + " -> " + target + " returned false");
            }
            return target.toString();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write run record " + target + ": " + e.getMessage(), e);
        }
    }

    /**
     * Lists a job's records, oldest first.
     *
     * @param job the job
     * @return the records
     */
    public List<RunRecord> list(String job) {
        Path dir = new Path(layout.runs(job));
        try {
            FileSystem fs = dir.getFileSystem(hadoop);
            if (!fs.exists(dir)) {
                return List.of();
            }
            FileStatus[] files = fs.listStatus(dir, p -> p.getName().endsWith(".json") && !p.getName().startsWith("_"));
            Arrays.sort(files, Comparator.comparing(f -> f.getPath().getName()));
            List<RunRecord> records = new ArrayList<>();
            for (FileStatus file : files) {
                try (InputStream in = fs.open(file.getPath())) {
                    records.add(JSON.readValue(in, RunRecord.class));
                }
            }
            // Start order, whatever the names: ids made before they carried milliseconds tie within a second.
            records.sort(Comparator.comparing((RunRecord r) -> r.startedAt == null ? Instant.EPOCH : r.startedAt)
                    .thenComparing(r -> r.runId));
            return records;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list run records in " + dir + ": " + e.getMessage(), e);
        }
    }

    /**
     * @param job the job
     * @return the newest successful record of the job, if any
     */
    public Optional<RunRecord> latestSucceeded(String job) {
        List<RunRecord> all = list(job);
        for (int i = all.size() - 1; i >= 0; i--) {
            if ("succeeded".equals(all.get(i).status)) {
                return Optional.of(all.get(i));
            }
        }
        return Optional.empty();
    }

    /**
     * @param record a record
     * @return the record as JSON
     */
    public static String toJson(RunRecord record) {
        try {
            return JSON.writeValueAsString(record);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
