package io.cxml.training.eval;

import io.cxml.features.TrainingColumns;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;

/**
 * What a report's figures were measured on, so a reader can judge them: the held-out set (a time split, a seeded
 * random split or a file), how many held-out texts also appear in the training data, and whether the labels are
 * weak. The overlap is computed on the fly with Spark (a semi-join on a normalized-text fingerprint; only the count
 * reaches the driver). A held-out set that repeats training texts measures memory, not generalization, so a share
 * above {@value #LARGE_OVERLAP} is flagged in the report's first lines.
 *
 * <p>It travels in the report's {@code extra} facts under the {@code KEY_*} keys, so {@code metrics.json} carries it
 * and {@link #lines} can print it wherever a report is summarized.
 *
 * @param kind {@link #TIME_SPLIT}, {@link #RANDOM_SPLIT} or {@link #FILE}
 * @param detail the window or the file
 * @param heldOut number of held-out texts
 * @param overlapping held-out texts whose normalized text also appears in training, or -1 when unknown
 * @param weakLabels how weak labels were derived, or null for gold labels
 */
public record HeldOutDescription(String kind, String detail, long heldOut, long overlapping, String weakLabels) {
    /** Share of held-out texts seen in training above which the report warns. */
    public static final double LARGE_OVERLAP = 0.05;
    /** Kind: the newest rows by event time. */
    public static final String TIME_SPLIT = "time split";
    /** Kind: a seeded hash of text and label. */
    public static final String RANDOM_SPLIT = "seeded random split";
    /** Kind: a labelled file given to {@code cxml evaluate}. */
    public static final String FILE = "file";
    /** Fact key: what the held-out set is. */
    public static final String KEY_SET = "held-out set";
    /** Fact key: the overlap with training. */
    public static final String KEY_OVERLAP = "held-out texts also in training";
    /** Fact key: weak labels. */
    public static final String KEY_WEAK_LABELS = "weak labels";
    /** Fact key: the warning, present only when the overlap is large. */
    public static final String KEY_WARNING = "warning";
    /** Folder of a model version holding the fingerprints of its training texts. */
    public static final String TRAINING_TEXTS = "training-texts";

    private static final String FINGERPRINT = "text_fingerprint";

    /**
     * Describes the test rows of a split, measuring their overlap with its training rows.
     *
     * @param split rows with {@link TrainingColumns#SPLIT}
     * @param weakLabels the source's weak-label rule, if any
     * @return the description
     */
    public static HeldOutDescription ofSplit(Dataset<Row> split, Optional<String> weakLabels) {
        Dataset<Row> test = split.where(functions.col(TrainingColumns.SPLIT).equalTo(TrainingColumns.TEST));
        Dataset<Row> train = split.where(functions.col(TrainingColumns.SPLIT).equalTo(TrainingColumns.TRAIN));
        Row window = test.agg(functions.count(functions.lit(1)),
                functions.count(functions.col(TrainingColumns.EVENT_TIME)),
                functions.min(TrainingColumns.EVENT_TIME), functions.max(TrainingColumns.EVENT_TIME)).first();
        long heldOut = window.getLong(0);
        boolean timed = heldOut > 0 && window.getLong(1) == heldOut;
        String detail = timed ? "the newest tickets, created " + window.get(2) + " .. " + window.get(3)
                + "; every training row is older" : "rows chosen by a seeded hash of text and label";
        return new HeldOutDescription(timed ? TIME_SPLIT : RANDOM_SPLIT, detail, heldOut,
                overlap(test, fingerprints(train)), weakLabels.orElse(null));
    }

    /**
     * Describes a labelled file evaluated against a registered version, measuring the overlap with the version's
     * training texts when it kept their fingerprints ({@link #writeTrainingFingerprints}).
     *
     * @param spark the session
     * @param file the file's description
     * @param rows its rows
     * @param versionUri the model version's folder
     * @return the description
     */
    public static HeldOutDescription ofFile(SparkSession spark, String file, Dataset<Row> rows, String versionUri) {
        String uri = versionUri + "/" + TRAINING_TEXTS;
        long heldOut = rows.count();
        long overlapping = -1;
        if (exists(spark, uri)) {
            overlapping = overlap(rows, spark.read().parquet(uri));
        }
        return new HeldOutDescription(FILE, file, heldOut, overlapping, null);
    }

    /**
     * Keeps the distinct fingerprints of a version's training texts beside it (8 bytes a text), so a later
     * {@code cxml evaluate} can tell how many of its texts the model was trained on.
     *
     * @param train the training rows
     * @param versionUri the model version's folder
     */
    public static void writeTrainingFingerprints(Dataset<Row> train, String versionUri) {
        fingerprints(train).coalesce(1).write().mode("overwrite").parquet(versionUri + "/" + TRAINING_TEXTS);
    }

    /** @return the held-out texts that appear in training, as a share of all held-out texts (NaN if unknown) */
    public double overlapShare() {
        return overlapping < 0 || heldOut == 0 ? Double.NaN : (double) overlapping / heldOut;
    }

    /** @return true when the overlap is known and above {@value #LARGE_OVERLAP} */
    public boolean largeOverlap() {
        return overlapShare() > LARGE_OVERLAP;
    }

    /**
     * Adds the description to a report's facts.
     *
     * @param facts the report's {@code extra} map
     */
    public void addTo(Map<String, String> facts) {
        if (largeOverlap()) {
            facts.put(KEY_WARNING, String.format("%.1f%% of the held-out texts also appear in training: these figures "
                    + "measure memory more than generalization", 100 * overlapShare()));
        }
        facts.put(KEY_SET, kind + ": " + detail + " (" + heldOut + " texts)");
        facts.put(KEY_OVERLAP, overlapping < 0 ? "unknown: the model kept no fingerprints of its training texts"
                : String.format("%d of %d (%.2f%%)", overlapping, heldOut, 100 * overlapShare()));
        facts.put(KEY_WEAK_LABELS, weakLabels == null ? "none: gold labels" : weakLabels);
    }

    /**
     * The lines a report or a console summary opens with.
     *
     * @param facts a report's {@code extra} map
     * @return the warning (when there is one), then the held-out set, overlap and weak labels; empty for reports
     *     written before the description existed
     */
    public static List<String> lines(Map<String, String> facts) {
        List<String> out = new ArrayList<>();
        if (facts == null) {
            return out;
        }
        for (String key : List.of(KEY_WARNING, KEY_SET, KEY_OVERLAP, KEY_WEAK_LABELS)) {
            if (facts.containsKey(key)) {
                out.add((KEY_WARNING.equals(key) ? "WARNING" : key) + ": " + facts.get(key));
            }
        }
        return out;
    }

    private static Dataset<Row> fingerprints(Dataset<Row> rows) {
        return rows.select(fingerprint().as(FINGERPRINT)).distinct();
    }

    /** Lower case, whitespace collapsed: texts that differ only in spacing or case count as the same text. */
    private static Column fingerprint() {
        return functions.xxhash64(functions.lower(functions.trim(functions.regexp_replace(
                functions.col(TrainingColumns.TEXT), "\\s+", " "))));
    }

    private static long overlap(Dataset<Row> heldOut, Dataset<Row> trainingFingerprints) {
        Dataset<Row> seen = trainingFingerprints.withColumnRenamed(FINGERPRINT, "seen_" + FINGERPRINT);
        return heldOut.withColumn(FINGERPRINT, fingerprint())
                .join(seen, functions.col(FINGERPRINT).equalTo(functions.col("seen_" + FINGERPRINT)), "left_semi")
                .count();
    }

    private static boolean exists(SparkSession spark, String uri) {
        try {
            Path path = new Path(uri);
            return path.getFileSystem(spark.sparkContext().hadoopConfiguration()).exists(path);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot check " + uri + ": " + e.getMessage(), e);
        }
    }
}
