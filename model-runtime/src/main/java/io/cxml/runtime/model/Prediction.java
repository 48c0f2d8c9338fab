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

    /**
     * @param probs the probability of every label, in the spec's label order
     * @param spec labels and unknown threshold
     * @param topK labels listed (capped by the number of labels)
     * @return the prediction: the most probable labels first, ties to the earlier label
     */
    public static Prediction fromProbabilities(float[] probs, ClassifierSpec spec, int topK) {
        int k = Math.max(1, Math.min(topK, spec.labels().size()));
        Integer[] order = new Integer[probs.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, (a, b) -> {
            int c = Float.compare(probs[b], probs[a]);
            return c != 0 ? c : Integer.compare(a, b);
        });
        List<ScoredLabel> top = new java.util.ArrayList<>(k);
        for (int i = 0; i < k; i++) {
            top.add(new ScoredLabel(spec.labels().get(order[i]), probs[order[i]]));
        }
        return new Prediction(top.get(0).label(), top.get(0).probability(), List.copyOf(top), probs,
                spec.unknownThreshold());
    }

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
