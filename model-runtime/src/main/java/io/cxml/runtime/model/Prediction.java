package io.cxml.runtime.model;

import java.util.List;

/**
 * One text's prediction.
 *
 * @param label the most probable label
 * @param confidence its (temperature-scaled) probability
 * @param topK the most probable labels, best first
 * @param probabilities the full probability vector, in {@link ClassifierSpec#labels()} order
 * @param unknownThreshold the threshold used by {@link #routedLabel()}
 */
public record Prediction(
        String label, float confidence, List<ScoredLabel> topK, float[] probabilities, double unknownThreshold) {

    /** @return the label, or {@link ClassifierSpec#UNKNOWN} when the confidence is below the threshold */
    public String routedLabel() {
        return confidence < unknownThreshold ? ClassifierSpec.UNKNOWN : label;
    }

    /**
     * A label and its probability.
     *
     * @param label the label
     * @param probability its probability
     */
    public record ScoredLabel(String label, float probability) {}
}
