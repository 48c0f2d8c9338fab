package io.cxml.training.eval;

import java.io.Serializable;
import java.util.List;

/**
 * Outcome of a training run.
 *
 * @param device the DJL device it ran on, e.g. {@code cpu()} or {@code gpu(0)}
 * @param epochs per-epoch progress
 * @param bestEpoch epoch whose weights were kept (early stopping)
 * @param trainExamples training examples
 * @param validationExamples validation examples
 * @param examplesPerSecond mean training throughput over all epochs
 * @param seconds total training wall time
 */
public record TrainingSummary(String device, List<EpochStats> epochs, int bestEpoch, int trainExamples,
        int validationExamples, double examplesPerSecond, double seconds) implements Serializable {
    /** Copies the epoch list. */
    public TrainingSummary {
        epochs = List.copyOf(epochs);
    }
}
