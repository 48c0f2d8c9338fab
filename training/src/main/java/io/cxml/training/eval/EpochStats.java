package io.cxml.training.eval;

import java.io.Serializable;

/**
 * Progress of one epoch.
 *
 * @param epoch 1-based epoch
 * @param trainLoss mean training loss
 * @param validationAccuracy accuracy on the validation window
 * @param examplesPerSecond training throughput (forward, backward, update; validation excluded)
 * @param seconds wall time of the epoch including validation
 */
public record EpochStats(int epoch, double trainLoss, double validationAccuracy, double examplesPerSecond,
        double seconds) implements Serializable {}
