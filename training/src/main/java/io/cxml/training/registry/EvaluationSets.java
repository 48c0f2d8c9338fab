package io.cxml.training.registry;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.cxml.features.TrainingColumns;
import io.cxml.storage.StorageLayout;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;

/**
 * Fixed, versioned evaluation sets of a model name: {@code models/<name>/}{@value #DIR}{@code /e<N>/} holds the
 * labelled rows ({@link TrainingColumns#SCHEMA}, Parquet) and {@code set.json} (rows, fingerprint, source), written
 * last and exclusively, so a set is visible only once complete and never changes. Challenger and champion are
 * measured on the same set; loading checks its row count and fingerprint, so "the same rows" is verified, not
 * assumed.
 */
public final class EvaluationSets {
    /** Folder under the model's registry folder. */
    public static final String DIR = "eval-sets";
    /** Manifest of one set. */
    public static final String MANIFEST = "set.json";
    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS).enable(SerializationFeature.INDENT_OUTPUT);

    /**
     * One evaluation set.
     *
     * @param name model name
     * @param id {@code e<N>}
     * @param rows labelled rows
     * @param fingerprint order-independent fingerprint of the rows (sum of xxhash64 of text, label, language,
     *     tenant, event time)
     * @param labels distinct labels
     * @param source where the rows came from (source and window)
     * @param createdAt when it was frozen
     * @param runId the run that froze it
     */
    public record EvaluationSet(String name, String id, long rows, long fingerprint, long labels, String source,
            Instant createdAt, String runId) {
        /** @return {@code name/id}, e.g. {@code intent/e1} */
        public String label() {
            return name + "/" + id;
        }
    }

    private final StorageLayout layout;
    private final Configuration hadoop;

    /**
     * @param layout the storage layout
     * @param hadoop Hadoop configuration
     */
    public EvaluationSets(StorageLayout layout, Configuration hadoop) {
        this.layout = layout;
        this.hadoop = hadoop;
    }

    private String dir(String name) {
        return layout.models(name) + "/" + DIR;
    }

    /**
     * @param name model name
     * @return its newest complete set
     */
    public Optional<EvaluationSet> latest(String name) {
        Path dir = new Path(dir(name));
        try {
            FileSystem fs = dir.getFileSystem(hadoop);
            if (!fs.exists(dir)) {
                return Optional.empty();
            }
            Optional<String> id = java.util.Arrays.stream(fs.listStatus(dir)).filter(FileStatus::isDirectory)
                    .map(s -> s.getPath().getName()).filter(n -> n.matches("e\\d+"))
                    .filter(n -> exists(fs, new Path(new Path(dir, n), MANIFEST)))
                    .max(Comparator.comparingInt(n -> Integer.parseInt(n.substring(1))));
            return id.map(i -> read(fs, new Path(new Path(dir, i), MANIFEST)));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list evaluation sets under " + dir + ": " + e.getMessage(), e);
        }
    }

    /**
     * Freezes rows as the model's next evaluation set.
     *
     * @param spark the session
     * @param name model name
     * @param rows rows of {@link TrainingColumns#SCHEMA}
     * @param source where they came from
     * @param runId the run
     * @return the set
     */
    public EvaluationSet create(SparkSession spark, String name, Dataset<Row> rows, String source, String runId) {
        return create(spark, name, rows, TrainingColumns.SCHEMA.fieldNames(), source, runId);
    }

    /**
     * Freezes rows with more columns than text and label (routing keeps each ticket's point-in-time features as
     * they were when the set was frozen).
     *
     * @param spark the session
     * @param name model name
     * @param rows rows with at least {@link TrainingColumns#SCHEMA}'s columns
     * @param columns the columns kept
     * @param source where they came from
     * @param runId the run
     * @return the set
     */
    public EvaluationSet create(SparkSession spark, String name, Dataset<Row> rows, String[] columns, String source,
            String runId) {
        int next = latestNumber(name) + 1;
        try {
            FileSystem fs = new Path(dir(name)).getFileSystem(hadoop);
            while (true) {
                String id = "e" + next;
                Path folder = new Path(dir(name), id);
                if (fs.exists(folder)) { // a set being written by another run, or a failed one: take the next
                    next++;
                    continue;
                }
                rows.select(java.util.Arrays.stream(columns).map(functions::col).toArray(org.apache.spark.sql.Column[]::new))
                        .write().mode(SaveMode.ErrorIfExists)
                        .parquet(new Path(folder, "rows").toString());
                Dataset<Row> written = spark.read().parquet(new Path(folder, "rows").toString());
                Row stats = stats(written);
                EvaluationSet set = new EvaluationSet(name, id, stats.getLong(0), stats.isNullAt(1) ? 0
                        : stats.getLong(1), stats.getLong(2), source, Instant.now(), runId);
                if (set.rows() == 0) {
                    throw new IllegalArgumentException("Cannot freeze an empty evaluation set for " + name
                            + " from " + source + ": widen the window");
                }
                if (ExclusiveCreate.create(fs, new Path(folder, MANIFEST), JSON.writeValueAsBytes(set))) {
                    return set;
                }
                next++;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot freeze an evaluation set under " + dir(name) + ": "
                    + e.getMessage(), e);
        }
    }

    /**
     * Loads a set and checks that its rows are the frozen ones.
     *
     * @param spark the session
     * @param set the set
     * @return its rows
     */
    public Dataset<Row> load(SparkSession spark, EvaluationSet set) {
        Dataset<Row> rows = spark.read().parquet(dir(set.name()) + "/" + set.id() + "/rows");
        Row stats = stats(rows);
        long fingerprint = stats.isNullAt(1) ? 0 : stats.getLong(1);
        if (stats.getLong(0) != set.rows() || fingerprint != set.fingerprint()) {
            throw new IllegalStateException("Cannot use evaluation set " + set.label() + ": its rows changed ("
                    + stats.getLong(0) + " rows, fingerprint " + fingerprint + "; frozen: " + set.rows() + ", "
                    + set.fingerprint() + "). Freeze a new one (delete " + dir(set.name()) + "/" + set.id() + ")");
        }
        return rows;
    }

    /** Count, fingerprint and distinct labels, computed on the executors. */
    private static Row stats(Dataset<Row> rows) {
        // Each row's hash reduced modulo 2^31 - 1 so the sum cannot overflow (ANSI mode fails on overflow).
        return rows.agg(functions.count(functions.lit(1)), functions.sum(functions.pmod(functions.xxhash64(
                        functions.col(TrainingColumns.TEXT), functions.col(TrainingColumns.LABEL),
                        functions.col(TrainingColumns.LANGUAGE), functions.col(TrainingColumns.TENANT),
                        functions.col(TrainingColumns.EVENT_TIME)), functions.lit(Integer.MAX_VALUE))),
                functions.countDistinct(functions.col(TrainingColumns.LABEL))).first();
    }

    private int latestNumber(String name) {
        Path dir = new Path(dir(name));
        try {
            FileSystem fs = dir.getFileSystem(hadoop);
            if (!fs.exists(dir)) {
                return 0;
            }
            return java.util.Arrays.stream(fs.listStatus(dir)).map(s -> s.getPath().getName())
                    .filter(n -> n.matches("e\\d+")).mapToInt(n -> Integer.parseInt(n.substring(1))).max().orElse(0);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list " + dir + ": " + e.getMessage(), e);
        }
    }

    private static boolean exists(FileSystem fs, Path p) {
        try {
            return fs.exists(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static EvaluationSet read(FileSystem fs, Path manifest) {
        try (InputStream in = fs.open(manifest)) {
            return JSON.readValue(in, EvaluationSet.class);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + manifest + ": " + e.getMessage(), e);
        }
    }

    /** @return the manifest's fields, for run records */
    public static Map<String, Object> describe(EvaluationSet set) {
        return Map.of("id", set.label(), "rows", set.rows(), "fingerprint", set.fingerprint(), "labels", set.labels(),
                "source", set.source());
    }
}
