package io.cxml.runtime.routing;

import java.io.Serializable;

/**
 * How routing models are trained ({@code cxml.routing.*}). Build with {@link #builder()} (every setting is required,
 * {@code set*}) or start from {@link #DEFAULT}{@code .toBuilder()}; the record's components are also its JSON form
 * inside a routing index, so they stay as they are.
 *
 * @param epochs passes over a tenant's examples
 * @param batchSize examples per optimiser step
 * @param learningRate Adam learning rate
 * @param weightDecay L2 penalty (decoupled, AdamW)
 * @param seed seed of the example order (training is otherwise deterministic: weights start at zero)
 * @param minTenantExamples tenants with fewer training examples use the global model
 * @param maxTenantExamples a tenant's most recent examples kept (bounds a task's memory whatever the tenant's size)
 * @param lookbackDays a tenant's current teams are those seen in its last {@code lookbackDays}: its model predicts
 *     only them, and examples of other teams are left out (0: every team ever seen)
 * @param halfLifeDays an example's weight halves every {@code halfLifeDays} of age (counted back from the tenant's
 *     newest example), so the current policy wins where it changed while older tickets still teach what did not
 *     change (0: every example weighs the same)
 * @param globalExamples examples (across tenants) the global fallback model learns from
 * @param tenantsPerTask target tenants per training task
 */
public record RoutingTrainingOptions(int epochs, int batchSize, float learningRate, float weightDecay, long seed,
        int minTenantExamples, int maxTenantExamples, int lookbackDays, int halfLifeDays, int globalExamples,
        int tenantsPerTask) implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Defaults tuned on the validation window of the generated sample (docs/routing.md). */
    public static final RoutingTrainingOptions DEFAULT = builder().setEpochs(40).setBatchSize(32)
            .setLearningRate(0.05f).setWeightDecay(1e-3f).setSeed(42).setMinTenantExamples(30)
            .setMaxTenantExamples(5000).setLookbackDays(30).setHalfLifeDays(21).setGlobalExamples(50_000)
            .setTenantsPerTask(200).build();

    /** Checks the ranges. */
    public RoutingTrainingOptions {
        if (epochs < 1 || batchSize < 1 || !(learningRate > 0) || weightDecay < 0 || minTenantExamples < 1
                || maxTenantExamples < minTenantExamples || lookbackDays < 0 || halfLifeDays < 0 || globalExamples < 1
                || tenantsPerTask < 1) {
            throw new IllegalArgumentException("Cannot train routing with epochs " + epochs + ", batch " + batchSize
                    + ", learning rate " + learningRate + ", weight decay " + weightDecay + ", tenant examples "
                    + minTenantExamples + ".." + maxTenantExamples + ", lookback " + lookbackDays + " days, half-life " + halfLifeDays + " days, global "
                    + "examples " + globalExamples + ", tenants per task " + tenantsPerTask + ": counts must be "
                    + "positive, min <= max tenant examples, lookback, half-life >= 0 (0: all history, equal weights)");
        }
    }

    /**
     * @param days the lookback in days
     * @return a copy with that lookback
     */
    public RoutingTrainingOptions withLookbackDays(int days) {
        return toBuilder().setLookbackDays(days).build();
    }

    /** @return a builder with no setting set; every one is required */
    public static Builder builder() {
        return new Builder();
    }

    /** @return a builder holding these settings */
    public Builder toBuilder() {
        return new Builder().setEpochs(epochs).setBatchSize(batchSize).setLearningRate(learningRate)
                .setWeightDecay(weightDecay).setSeed(seed).setMinTenantExamples(minTenantExamples)
                .setMaxTenantExamples(maxTenantExamples).setLookbackDays(lookbackDays).setHalfLifeDays(halfLifeDays)
                .setGlobalExamples(globalExamples).setTenantsPerTask(tenantsPerTask);
    }

    /** Builder of {@link RoutingTrainingOptions}: every setting is required ({@code set*}). */
    public static final class Builder {
        private Integer epochs;
        private Integer batchSize;
        private Float learningRate;
        private Float weightDecay;
        private Long seed;
        private Integer minTenantExamples;
        private Integer maxTenantExamples;
        private Integer lookbackDays;
        private Integer halfLifeDays;
        private Integer globalExamples;
        private Integer tenantsPerTask;

        private Builder() {}

        /**
         * @param value passes over a tenant's examples
         * @return this builder
         */
        public Builder setEpochs(int value) {
            this.epochs = value;
            return this;
        }

        /**
         * @param value examples per optimiser step
         * @return this builder
         */
        public Builder setBatchSize(int value) {
            this.batchSize = value;
            return this;
        }

        /**
         * @param value Adam learning rate
         * @return this builder
         */
        public Builder setLearningRate(float value) {
            this.learningRate = value;
            return this;
        }

        /**
         * @param value L2 penalty (decoupled, AdamW)
         * @return this builder
         */
        public Builder setWeightDecay(float value) {
            this.weightDecay = value;
            return this;
        }

        /**
         * @param value seed of the example order
         * @return this builder
         */
        public Builder setSeed(long value) {
            this.seed = value;
            return this;
        }

        /**
         * @param value tenants with fewer training examples use the global model
         * @return this builder
         */
        public Builder setMinTenantExamples(int value) {
            this.minTenantExamples = value;
            return this;
        }

        /**
         * @param value a tenant's most recent examples kept
         * @return this builder
         */
        public Builder setMaxTenantExamples(int value) {
            this.maxTenantExamples = value;
            return this;
        }

        /**
         * @param value days of history that define a tenant's current teams (0: every team ever seen)
         * @return this builder
         */
        public Builder setLookbackDays(int value) {
            this.lookbackDays = value;
            return this;
        }

        /**
         * @param value days after which an example's weight halves (0: every example weighs the same)
         * @return this builder
         */
        public Builder setHalfLifeDays(int value) {
            this.halfLifeDays = value;
            return this;
        }

        /**
         * @param value examples (across tenants) the global fallback model learns from
         * @return this builder
         */
        public Builder setGlobalExamples(int value) {
            this.globalExamples = value;
            return this;
        }

        /**
         * @param value target tenants per training task
         * @return this builder
         */
        public Builder setTenantsPerTask(int value) {
            this.tenantsPerTask = value;
            return this;
        }

        /**
         * @return the options, checked by the record's ranges
         * @throws IllegalArgumentException when a setting is missing or out of range
         */
        public RoutingTrainingOptions build() {
            required(epochs, "epoch count", "setEpochs(40)");
            required(batchSize, "batch size", "setBatchSize(32)");
            required(learningRate, "learning rate", "setLearningRate(0.05f)");
            required(weightDecay, "weight decay", "setWeightDecay(1e-3f)");
            required(seed, "seed", "setSeed(42)");
            required(minTenantExamples, "minimum tenant example count", "setMinTenantExamples(30)");
            required(maxTenantExamples, "maximum tenant example count", "setMaxTenantExamples(5000)");
            required(lookbackDays, "lookback", "setLookbackDays(30)");
            required(halfLifeDays, "half-life", "setHalfLifeDays(21)");
            required(globalExamples, "global example count", "setGlobalExamples(50_000)");
            required(tenantsPerTask, "tenant count per task", "setTenantsPerTask(200)");
            return new RoutingTrainingOptions(epochs, batchSize, learningRate, weightDecay, seed, minTenantExamples,
                    maxTenantExamples, lookbackDays, halfLifeDays, globalExamples, tenantsPerTask);
        }

        private static void required(Object value, String what, String call) {
            if (value == null) {
                throw new IllegalArgumentException("Cannot train routing: the " + what + " is not set. Call " + call
                        + ", or start from RoutingTrainingOptions.DEFAULT.toBuilder()");
            }
        }
    }
}
