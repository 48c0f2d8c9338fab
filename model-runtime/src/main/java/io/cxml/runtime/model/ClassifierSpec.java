package io.cxml.runtime.model;

import io.cxml.runtime.text.EncoderSpec;
import java.io.Serializable;
import java.util.List;
import java.util.Objects;

/**
 * Everything besides the weights that a saved classifier needs: the encoder, the label order of the output layer,
 * the temperature fitted on validation data, and the confidence below which a prediction is routed to
 * {@link #UNKNOWN}.
 *
 * @param encoder the encoder spec
 * @param labels output labels, index = output position
 * @param temperature softmax temperature (1 = uncalibrated), {@code > 0}
 * @param unknownThreshold confidence below which the routed label is {@link #UNKNOWN}; 0 disables routing
 */
public record ClassifierSpec(EncoderSpec encoder, List<String> labels, double temperature, double unknownThreshold)
        implements Serializable {
    /** Label returned by {@link Prediction#routedLabel()} for low-confidence predictions. */
    public static final String UNKNOWN = "unknown";

    /** Validates the spec. */
    public ClassifierSpec {
        Objects.requireNonNull(encoder, "encoder");
        labels = List.copyOf(labels);
        if (labels.size() < 2) {
            throw new IllegalArgumentException("Cannot build a classifier over " + labels.size()
                    + " label(s): need at least 2. Check that the training data has a label column with 2+ values");
        }
        if (!(temperature > 0)) {
            throw new IllegalArgumentException("Cannot use temperature " + temperature + ": must be > 0");
        }
        if (unknownThreshold < 0 || unknownThreshold > 1) {
            throw new IllegalArgumentException(
                    "Cannot use unknown threshold " + unknownThreshold + ": must be in [0, 1]");
        }
    }

    /**
     * @param t the new temperature
     * @return a copy with that temperature
     */
    public ClassifierSpec withTemperature(double t) {
        return new ClassifierSpec(encoder, labels, t, unknownThreshold);
    }

    /**
     * @param threshold the new threshold
     * @return a copy with that threshold
     */
    public ClassifierSpec withUnknownThreshold(double threshold) {
        return new ClassifierSpec(encoder, labels, temperature, threshold);
    }
}
