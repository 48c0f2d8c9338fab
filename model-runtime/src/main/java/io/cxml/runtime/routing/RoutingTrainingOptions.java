package io.cxml.runtime.routing;

import java.io.Serializable;

/**
 * How routing models are trained ({@code cxml.routing.*}).
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
    public static final RoutingTrainingOptions DEFAULT =
            new RoutingTrainingOptions(40, 32, 0.05f, 1e-3f, 42, 30, 5000, 30, 21, 50_000, 200);

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
        return new RoutingTrainingOptions(epochs, batchSize, learningRate, weightDecay, seed, minTenantExamples,
                maxTenantExamples, days, halfLifeDays, globalExamples, tenantsPerTask);
    }
}
