package io.cxml.runtime.executor;

import io.cxml.runtime.model.ClassifierSpec;
import io.cxml.runtime.model.TextClassifier;
import io.cxml.storage.ListingFingerprint;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Where executors find one model version: its directory URI (local or {@code s3a://}), a fingerprint of its weight
 * files (names, sizes, modification times: weights rewritten under the same URI get a new cache entry; the
 * calibration in the spec is read by the driver for every job, so it may change without a reload), the Hadoop
 * settings to read it with, and a label for logs and reports ({@code intent@3}). Made on the driver, which checks
 * that the directory holds a model before any data is read; small and serializable, broadcast to executors.
 *
 * @param uri the model directory URI
 * @param label a readable name, e.g. {@code intent@3}
 * @param fingerprint hex digest of the weight files' listing
 * @param hadoopConf Hadoop settings (file system, S3A) the executors read the files with
 */
public record ModelSource(String uri, String label, String fingerprint, Map<String, String> hadoopConf)
        implements Serializable {
    private static final com.fasterxml.jackson.databind.ObjectMapper SPEC_JSON =
            new com.fasterxml.jackson.databind.ObjectMapper();

    /** Copies the settings. */
    public ModelSource {
        Objects.requireNonNull(uri, "uri");
        hadoopConf = new HashMap<>(hadoopConf);
    }

    /**
     * Checks a model directory on the driver and describes it for executors.
     *
     * @param uri the model directory URI
     * @param label a readable name
     * @param hadoop the driver's Hadoop configuration
     * @return the source
     * @throws IllegalArgumentException when the directory is missing or holds no complete model
     */
    public static ModelSource of(String uri, String label, Configuration hadoop) {
        Path dir = new Path(uri);
        try {
            FileSystem fs = dir.getFileSystem(hadoop);
            if (!fs.exists(dir)) {
                throw new IllegalArgumentException("Cannot score with " + label + ": its model directory " + uri
                        + " does not exist. Check the version with `cxml models list`");
            }
            FileStatus[] files = fs.listStatus(dir);
            Arrays.sort(files, (a, b) -> a.getPath().getName().compareTo(b.getPath().getName()));
            boolean spec = false;
            boolean params = false;
            ListingFingerprint digest = ListingFingerprint.of("");
            for (FileStatus f : files) {
                String name = f.getPath().getName();
                spec |= name.equals(TextClassifier.SPEC_FILE) && f.getLen() > 0;
                params |= name.startsWith(TextClassifier.MODEL_NAME) && name.endsWith(".params") && f.getLen() > 0;
                if (name.endsWith(".params")) { // the weights: calibration written later must not force a reload
                    digest.add(name, f);
                }
            }
            if (!spec || !params) {
                throw new IllegalArgumentException("Cannot score with " + label + ": " + uri + " lacks "
                        + (spec ? "" : TextClassifier.SPEC_FILE + " ") + (params ? "" : TextClassifier.MODEL_NAME
                        + "-*.params ") + "(incomplete or corrupt version). Retrain it or pick another version");
            }
            Map<String, String> conf = new HashMap<>();
            hadoop.forEach(e -> conf.put(e.getKey(), e.getValue()));
            return new ModelSource(uri, label, digest.hex(24), conf);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the model directory " + uri + " of " + label + ": "
                    + e.getMessage(), e);
        }
    }

    /**
     * Reads a model directory's spec (labels, encoder, calibration) straight from its URI.
     *
     * @param modelUri the model directory (local or {@code s3a://})
     * @param hadoop the Hadoop configuration to read it with
     * @return the spec
     */
    public static ClassifierSpec readSpec(String modelUri, Configuration hadoop) {
        Path file = new Path(modelUri, TextClassifier.SPEC_FILE);
        try (java.io.InputStream in = file.getFileSystem(hadoop).open(file)) {
            return SPEC_JSON.readValue(in, ClassifierSpec.class);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file + ": " + e.getMessage()
                    + ". Point to a model directory written by cxml training", e);
        }
    }

    /** @return a Hadoop configuration with the driver's settings */
    public Configuration hadoop() {
        Configuration conf = new Configuration(false);
        hadoopConf.forEach(conf::set);
        return conf;
    }

    @Override
    public String toString() {
        return label + " (" + uri + ")"; // never the Hadoop settings: they may hold credentials
    }
}
