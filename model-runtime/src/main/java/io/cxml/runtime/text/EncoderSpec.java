package io.cxml.runtime.text;

import java.io.Serializable;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What is persisted about an encoder so that {@link io.cxml.runtime.model.TextEncoders#fromSpec} can rebuild it: its kind and its
 * parameters as strings.
 *
 * @param kind the registered encoder kind, e.g. {@code hashed-ngram}
 * @param params the encoder's parameters
 */
public record EncoderSpec(String kind, Map<String, String> params) implements Serializable {
    /** Copies the parameters into a sorted, immutable map. */
    public EncoderSpec {
        Objects.requireNonNull(kind, "kind");
        params = Map.copyOf(new TreeMap<>(params == null ? Map.of() : params));
    }

    /**
     * @param key a parameter name
     * @return its value as an int
     */
    public int intParam(String key) {
        String value = params.get(key);
        if (value == null) {
            throw new IllegalArgumentException("Cannot rebuild encoder '" + kind + "': parameter '" + key
                    + "' is missing. The model files are incomplete; retrain or restore model.json");
        }
        return Integer.parseInt(value);
    }
}
