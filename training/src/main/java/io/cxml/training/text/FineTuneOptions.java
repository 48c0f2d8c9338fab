package io.cxml.training.text;

import java.io.Serializable;

/**
 * Settings of fine-tuning a pretrained encoder ({@link PretrainedFineTuner}); present in {@link TrainingOptions}
 * when {@code cxml.training.encoder.kind = pretrained}. Seed, patience and device come from the task's options.
 * Build with {@link #builder()}: every setting is required ({@code set*}).
 *
 * @param path the Hugging Face encoder folder (local path or {@code s3a://} URI) readable where training runs
 * @param maxSeqLength tokens per text, special tokens included (capped by the model's positions)
 * @param epochs maximum epochs
 * @param batchSize examples per optimizer step
 * @param learningRate peak AdamW learning rate (reached after warm-up, then decayed linearly to 0)
 * @param warmupFraction share of all steps spent warming up linearly from 0
 * @param weightDecay AdamW decoupled weight decay
 * @param clipNorm global gradient-norm clipping threshold, 0 to disable
 * @param frozenLayers lower transformer layers (and the embeddings) kept frozen, 0 to train everything
 */
public record FineTuneOptions(String path, int maxSeqLength, int epochs, int batchSize, float learningRate,
        float warmupFraction, float weightDecay, float clipNorm, int frozenLayers) implements Serializable {
    /** Validates the settings. */
    public FineTuneOptions {
        check(path != null && !path.isBlank(), "the encoder path is empty",
                "set cxml.training.encoder.path to a Hugging Face folder");
        check(maxSeqLength >= 2, "max sequence length is " + maxSeqLength, "use e.g. 128");
        check(epochs >= 1, "epochs is " + epochs, "use at least 1");
        check(batchSize >= 1, "batch size is " + batchSize, "use e.g. 32");
        check(learningRate > 0 && Float.isFinite(learningRate), "learning rate is " + learningRate,
                "use e.g. 5e-5");
        check(warmupFraction >= 0 && warmupFraction < 1, "warm-up fraction is " + warmupFraction,
                "use a value in [0, 1), e.g. 0.1");
        check(weightDecay >= 0, "weight decay is " + weightDecay, "use e.g. 0.01");
        check(clipNorm >= 0, "gradient clip norm is " + clipNorm, "use e.g. 1.0, or 0 to disable");
        check(frozenLayers >= 0, "frozen layers is " + frozenLayers, "use 0 or more");
    }

    /** @return a builder with no setting set; every one is required */
    public static Builder builder() {
        return new Builder();
    }

    /** @return a builder holding these settings */
    public Builder toBuilder() {
        return new Builder().setPath(path).setMaxSeqLength(maxSeqLength).setEpochs(epochs).setBatchSize(batchSize)
                .setLearningRate(learningRate).setWarmupFraction(warmupFraction).setWeightDecay(weightDecay)
                .setClipNorm(clipNorm).setFrozenLayers(frozenLayers);
    }

    /** Builder of {@link FineTuneOptions}: every setting is required ({@code set*}); the record checks the ranges. */
    public static final class Builder {
        private String path;
        private Integer maxSeqLength;
        private Integer epochs;
        private Integer batchSize;
        private Float learningRate;
        private Float warmupFraction;
        private Float weightDecay;
        private Float clipNorm;
        private Integer frozenLayers;

        private Builder() {}

        /**
         * @param value the Hugging Face encoder folder (local path or {@code s3a://} URI)
         * @return this builder
         */
        public Builder setPath(String value) {
            this.path = value;
            return this;
        }

        /**
         * @param value tokens per text, special tokens included
         * @return this builder
         */
        public Builder setMaxSeqLength(int value) {
            this.maxSeqLength = value;
            return this;
        }

        /**
         * @param value maximum epochs
         * @return this builder
         */
        public Builder setEpochs(int value) {
            this.epochs = value;
            return this;
        }

        /**
         * @param value examples per optimizer step
         * @return this builder
         */
        public Builder setBatchSize(int value) {
            this.batchSize = value;
            return this;
        }

        /**
         * @param value peak AdamW learning rate
         * @return this builder
         */
        public Builder setLearningRate(float value) {
            this.learningRate = value;
            return this;
        }

        /**
         * @param value share of all steps spent warming up, in [0, 1)
         * @return this builder
         */
        public Builder setWarmupFraction(float value) {
            this.warmupFraction = value;
            return this;
        }

        /**
         * @param value AdamW decoupled weight decay
         * @return this builder
         */
        public Builder setWeightDecay(float value) {
            this.weightDecay = value;
            return this;
        }

        /**
         * @param value global gradient-norm clipping threshold, 0 to disable
         * @return this builder
         */
        public Builder setClipNorm(float value) {
            this.clipNorm = value;
            return this;
        }

        /**
         * @param value lower transformer layers (and the embeddings) kept frozen, 0 to train everything
         * @return this builder
         */
        public Builder setFrozenLayers(int value) {
            this.frozenLayers = value;
            return this;
        }

        /**
         * @return the validated settings
         * @throws IllegalArgumentException when a setting is missing or out of range
         */
        public FineTuneOptions build() {
            check(maxSeqLength != null, "the max sequence length is not set", "Call setMaxSeqLength(128)");
            check(epochs != null, "the epoch count is not set", "Call setEpochs(3)");
            check(batchSize != null, "the batch size is not set", "Call setBatchSize(32)");
            check(learningRate != null, "the learning rate is not set", "Call setLearningRate(5e-5f)");
            check(warmupFraction != null, "the warm-up fraction is not set", "Call setWarmupFraction(0.1f)");
            check(weightDecay != null, "the weight decay is not set", "Call setWeightDecay(0.01f)");
            check(clipNorm != null, "the gradient clip norm is not set", "Call setClipNorm(1.0f)");
            check(frozenLayers != null, "the frozen layer count is not set", "Call setFrozenLayers(0)");
            return new FineTuneOptions(path, maxSeqLength, epochs, batchSize, learningRate, warmupFraction,
                    weightDecay, clipNorm, frozenLayers);
        }
    }

    private static void check(boolean ok, String reason, String fix) {
        if (!ok) {
            throw new IllegalArgumentException("Cannot fine-tune: " + reason + ". " + fix);
        }
    }
}
