package io.cxml.training.text;

import io.cxml.runtime.executor.DevicePreference;
import io.cxml.runtime.text.FeaturizerConfig;
import java.io.Serializable;

/**
 * Immutable settings of one text-classifier training run. Build with {@link #builder()}; every setting is optional
 * ({@code opt*}) with a default fit for CI-sized data, validated in {@link Builder#build()}.
 */
public final class TrainingOptions implements Serializable {
    private static final long serialVersionUID = 1L;

    private final FeaturizerConfig featurizer;
    private final int dim;
    private final int epochs;
    private final int batchSize;
    private final float learningRate;
    private final long seed;
    private final int patience;
    private final DevicePreference device;
    private final boolean rowSparse;
    private final FineTuneOptions pretrained;
    private final HeadOptions head;

    private TrainingOptions(Builder b) {
        this.featurizer = b.featurizer;
        this.dim = b.dim;
        this.epochs = b.epochs;
        this.batchSize = b.batchSize;
        this.learningRate = b.learningRate;
        this.seed = b.seed;
        this.patience = b.patience;
        this.device = b.device;
        this.rowSparse = b.rowSparse;
        this.pretrained = b.pretrained;
        this.head = b.head;
    }

    /** @return a builder with the defaults */
    public static Builder builder() {
        return new Builder();
    }

    /** @return a builder holding these settings */
    public Builder toBuilder() {
        return new Builder().optFeaturizer(featurizer).optDim(dim).optEpochs(epochs).optBatchSize(batchSize)
                .optLearningRate(learningRate).optSeed(seed).optPatience(patience).optDevice(device).optRowSparse(rowSparse)
                .optPretrained(pretrained).optHead(head);
    }

    /** @return hashing settings */
    public FeaturizerConfig featurizer() {
        return featurizer;
    }

    /** @return embedding size */
    public int dim() {
        return dim;
    }

    /** @return maximum number of epochs */
    public int epochs() {
        return epochs;
    }

    /** @return examples per optimizer step */
    public int batchSize() {
        return batchSize;
    }

    /** @return Adam learning rate */
    public float learningRate() {
        return learningRate;
    }

    /** @return seed for initialization and shuffling */
    public long seed() {
        return seed;
    }

    /** @return epochs without validation improvement before stopping */
    public int patience() {
        return patience;
    }

    /** @return where to train */
    public DevicePreference device() {
        return device;
    }

    /** @return whether the embedding table is updated row-sparsely (lazy Adam on the batch's rows only) */
    public boolean rowSparse() {
        return rowSparse;
    }

    /**
     * @return the pretrained encoder to fine-tune instead of training the hashed n-gram encoder, or null (the
     *     default: hashed n-grams)
     */
    public FineTuneOptions pretrained() {
        return pretrained;
    }

    /**
     * @return the head to train on a frozen base encoder's embeddings instead of the hashed n-gram model, or null
     */
    public HeadOptions head() {
        return head;
    }

    @Override
    public String toString() {
        return "TrainingOptions{featurizer=" + featurizer + ", dim=" + dim + ", epochs=" + epochs + ", batchSize="
                + batchSize + ", learningRate=" + learningRate + ", seed=" + seed + ", patience=" + patience
                + ", device=" + device + ", rowSparse=" + rowSparse + ", pretrained=" + pretrained + ", head=" + head + "}";
    }

    /** Builder of {@link TrainingOptions}. */
    public static final class Builder {
        private FeaturizerConfig featurizer = FeaturizerConfig.DEFAULT;
        private int dim = 64;
        private int epochs = 10;
        private int batchSize = 32;
        private float learningRate = 0.01f;
        private long seed = 42;
        private int patience = 2;
        private DevicePreference device = DevicePreference.AUTO;
        private boolean rowSparse = true;
        private FineTuneOptions pretrained;
        private HeadOptions head;

        private Builder() {}

        /**
         * @param value a head on a frozen encoder's embeddings, or null for the hashed n-gram model
         * @return this builder
         */
        public Builder optHead(HeadOptions value) {
            this.head = value;
            return this;
        }

        /**
         * @param value a pretrained encoder to fine-tune, or null for the hashed n-gram encoder
         * @return this builder
         */
        public Builder optPretrained(FineTuneOptions value) {
            this.pretrained = value;
            return this;
        }

        /**
         * @param value true (default) to update only the embedding rows a batch uses (lazy Adam); false for DJL's
         *     dense Adam over the whole table
         * @return this builder
         */
        public Builder optRowSparse(boolean value) {
            this.rowSparse = value;
            return this;
        }

        /**
         * @param value hashing settings
         * @return this builder
         */
        public Builder optFeaturizer(FeaturizerConfig value) {
            this.featurizer = value;
            return this;
        }

        /**
         * @param value embedding size
         * @return this builder
         */
        public Builder optDim(int value) {
            this.dim = value;
            return this;
        }

        /**
         * @param value maximum epochs
         * @return this builder
         */
        public Builder optEpochs(int value) {
            this.epochs = value;
            return this;
        }

        /**
         * @param value batch size
         * @return this builder
         */
        public Builder optBatchSize(int value) {
            this.batchSize = value;
            return this;
        }

        /**
         * @param value Adam learning rate
         * @return this builder
         */
        public Builder optLearningRate(float value) {
            this.learningRate = value;
            return this;
        }

        /**
         * @param value the seed
         * @return this builder
         */
        public Builder optSeed(long value) {
            this.seed = value;
            return this;
        }

        /**
         * @param value early-stopping patience in epochs
         * @return this builder
         */
        public Builder optPatience(int value) {
            this.patience = value;
            return this;
        }

        /**
         * @param value where to train
         * @return this builder
         */
        public Builder optDevice(DevicePreference value) {
            this.device = value;
            return this;
        }

        /** @return the validated options */
        public TrainingOptions build() {
            check(featurizer != null, "featurizer is null", "set cxml.training.<model>.buckets etc.");
            check(dim >= 1, "dim is " + dim, "use a positive embedding size such as 64");
            check(epochs >= 1, "epochs is " + epochs, "use at least 1");
            check(batchSize >= 1, "batch size is " + batchSize, "use at least 1, e.g. 32");
            check(learningRate > 0 && Float.isFinite(learningRate), "learning rate is " + learningRate,
                    "use a positive value such as 0.01");
            check(patience >= 1, "patience is " + patience, "use at least 1 epoch");
            check(device != null, "device is null", "use AUTO, CPU or GPU");
            check(head == null || pretrained == null, "both a head on embeddings and fine-tuning are set",
                    "pick one: cxml.training.encoder.kind = embedding-head or pretrained");
            return new TrainingOptions(this);
        }

        private static void check(boolean ok, String reason, String fix) {
            if (!ok) {
                throw new IllegalArgumentException("Cannot build training options: " + reason + ". " + fix);
            }
        }
    }
}
