package io.cxml.training.text;

import ai.djl.training.tracker.Tracker;

/**
 * Learning rate that rises linearly from 0 to its peak over the warm-up steps, then falls linearly to 0 at the last
 * step (the schedule of BERT fine-tuning).
 */
public final class WarmupLinearDecay implements Tracker {
    private final float peak;
    private final int warmupSteps;
    private final int totalSteps;

    /**
     * @param peak the peak learning rate
     * @param warmupSteps steps to reach it
     * @param totalSteps all steps of the run
     */
    public WarmupLinearDecay(float peak, int warmupSteps, int totalSteps) {
        this.peak = peak;
        this.warmupSteps = Math.max(0, warmupSteps);
        this.totalSteps = Math.max(this.warmupSteps + 1, totalSteps);
    }

    @Override
    public float getNewValue(int numUpdate) {
        if (numUpdate < warmupSteps) {
            return peak * (numUpdate + 1) / (float) warmupSteps;
        }
        return peak * Math.max(0f, (totalSteps - numUpdate) / (float) (totalSteps - warmupSteps));
    }
}
