package io.cxml.training.text;

import io.cxml.features.split.SplitShares;
import io.cxml.training.baseline.BaselineSettings;
import io.cxml.training.data.TrainingSetSource;
import java.util.Map;
import java.util.Objects;

/**
 * What one {@code cxml train <task>} run does.
 *
 * @param name registry model name (e.g. {@code intent})
 * @param task task written to the manifest ({@code intent}, {@code sentiment})
 * @param source where the labelled rows come from
 * @param training DJL training settings
 * @param split held-out shares of the split, for sources that carry none (a feature-store training set keeps its own)
 * @param unknownThreshold calibrated confidence below which predictions route to "unknown"
 * @param baseline settings of the TF-IDF + logistic-regression baseline, or null to skip it
 * @param featureVersions feature view versions the source used (for the manifest)
 * @param runId the run id (manifest, logs)
 * @param scoringBatchSize texts per predictor call when the executors score validation and test rows
 * @param outOfScopeLabel gold label of out-of-scope rows (correct when routed to unknown), or null
 */
public record TrainRunOptions(String name, String task, TrainingSetSource source, TrainingOptions training,
        SplitShares split, double unknownThreshold, BaselineSettings baseline,
        Map<String, String> featureVersions, String runId, int scoringBatchSize, String outOfScopeLabel) {
    /** Validates the options. */
    public TrainRunOptions {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(training, "training");
        Objects.requireNonNull(split, "split");
        if (name == null || !name.matches("[a-z][a-z0-9_-]*")) {
            throw new IllegalArgumentException("Cannot register a model named '" + name
                    + "': use lower-case letters, digits, '-' or '_' (e.g. intent)");
        }
        featureVersions = featureVersions == null ? Map.of() : Map.copyOf(featureVersions);
        if (scoringBatchSize < 1) {
            throw new IllegalArgumentException("Cannot score in batches of " + scoringBatchSize + ": use 1 or more");
        }
        outOfScopeLabel = outOfScopeLabel == null || outOfScopeLabel.isBlank() ? null : outOfScopeLabel;
    }
}
