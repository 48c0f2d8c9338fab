package io.cxml.training.text;

import io.cxml.features.split.SplitShares;
import io.cxml.training.baseline.BaselineSettings;
import io.cxml.training.data.TrainingSetSource;
import java.util.Map;
import java.util.Objects;

/**
 * What one {@code cxml train <task>} run does. Build with {@link #builder()}: {@code set*} for the required settings,
 * {@code opt*} for the baseline (default none), the feature versions (default none) and the out-of-scope label
 * (default none).
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

    /** @return a builder; name, task, source, training, split, threshold, run id and scoring batch size are required */
    public static Builder builder() {
        return new Builder();
    }

    /** @return a builder holding these settings */
    public Builder toBuilder() {
        return new Builder().setName(name).setTask(task).setSource(source).setTraining(training).setSplit(split)
                .setUnknownThreshold(unknownThreshold).optBaseline(baseline).optFeatureVersions(featureVersions)
                .setRunId(runId).setScoringBatchSize(scoringBatchSize).optOutOfScopeLabel(outOfScopeLabel);
    }

    /** Builder of {@link TrainRunOptions}; the record validates what {@link #build()} passes it. */
    public static final class Builder {
        private String name;
        private String task;
        private TrainingSetSource source;
        private TrainingOptions training;
        private SplitShares split;
        private Double unknownThreshold;
        private BaselineSettings baseline;
        private Map<String, String> featureVersions = Map.of();
        private String runId;
        private Integer scoringBatchSize;
        private String outOfScopeLabel;

        private Builder() {}

        /**
         * @param value registry model name (e.g. {@code intent})
         * @return this builder
         */
        public Builder setName(String value) {
            this.name = value;
            return this;
        }

        /**
         * @param value task written to the manifest ({@code intent}, {@code sentiment})
         * @return this builder
         */
        public Builder setTask(String value) {
            this.task = value;
            return this;
        }

        /**
         * @param value where the labelled rows come from
         * @return this builder
         */
        public Builder setSource(TrainingSetSource value) {
            this.source = value;
            return this;
        }

        /**
         * @param value DJL training settings
         * @return this builder
         */
        public Builder setTraining(TrainingOptions value) {
            this.training = value;
            return this;
        }

        /**
         * @param value held-out shares, for sources that carry none
         * @return this builder
         */
        public Builder setSplit(SplitShares value) {
            this.split = value;
            return this;
        }

        /**
         * @param value calibrated confidence below which predictions route to "unknown"
         * @return this builder
         */
        public Builder setUnknownThreshold(double value) {
            this.unknownThreshold = value;
            return this;
        }

        /**
         * @param value settings of the TF-IDF + logistic-regression baseline, or null (the default) to skip it
         * @return this builder
         */
        public Builder optBaseline(BaselineSettings value) {
            this.baseline = value;
            return this;
        }

        /**
         * @param value feature view versions the source used, for the manifest (default none)
         * @return this builder
         */
        public Builder optFeatureVersions(Map<String, String> value) {
            this.featureVersions = value;
            return this;
        }

        /**
         * @param value the run id (manifest, logs)
         * @return this builder
         */
        public Builder setRunId(String value) {
            this.runId = value;
            return this;
        }

        /**
         * @param value texts per predictor call when the executors score validation and test rows
         * @return this builder
         */
        public Builder setScoringBatchSize(int value) {
            this.scoringBatchSize = value;
            return this;
        }

        /**
         * @param value gold label of out-of-scope rows, or null/blank (the default) for none
         * @return this builder
         */
        public Builder optOutOfScopeLabel(String value) {
            this.outOfScopeLabel = value;
            return this;
        }

        /**
         * @return the validated options
         * @throws IllegalArgumentException when a required setting is missing or a value is out of range
         * @throws NullPointerException when the source, training or split is null (as the record checks)
         */
        public TrainRunOptions build() {
            check(unknownThreshold != null, "the unknown threshold is not set", "Call setUnknownThreshold(0.3)");
            check(scoringBatchSize != null, "the scoring batch size is not set", "Call setScoringBatchSize(256)");
            return new TrainRunOptions(name, task, source, training, split, unknownThreshold, baseline,
                    featureVersions, runId, scoringBatchSize, outOfScopeLabel);
        }

        private static void check(boolean ok, String reason, String fix) {
            if (!ok) {
                throw new IllegalArgumentException("Cannot build train-run options: " + reason + ". " + fix);
            }
        }
    }
}
