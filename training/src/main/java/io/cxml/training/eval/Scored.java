package io.cxml.training.eval;

import java.util.List;
import java.util.Objects;

/**
 * Predictions of one model on one labelled set, as plain arrays: the input of {@link Evaluator}.
 *
 * @param labels the model's labels (probability vector order)
 * @param gold gold label per example (may be a label the model does not know: always counted wrong)
 * @param probabilities one probability vector per example (uncalibrated, temperature 1)
 * @param languages language per example (null entries allowed)
 * @param tenants tenant per example (null entries allowed)
 */
public record Scored(List<String> labels, List<String> gold, float[][] probabilities, List<String> languages,
        List<String> tenants) {
    /** Checks sizes. */
    public Scored {
        Objects.requireNonNull(labels, "labels");
        if (gold.size() != probabilities.length || languages.size() != gold.size() || tenants.size() != gold.size()) {
            throw new IllegalArgumentException("Cannot evaluate: " + gold.size() + " gold labels, "
                    + probabilities.length + " predictions, " + languages.size() + " languages and " + tenants.size()
                    + " tenants must all be the same count");
        }
    }

    /** @return number of examples */
    public int size() {
        return gold.size();
    }
}
