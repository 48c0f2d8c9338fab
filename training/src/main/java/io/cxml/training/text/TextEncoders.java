package io.cxml.training.text;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/** Registry of encoder kinds, used to rebuild a saved model's encoder from its {@link EncoderSpec}. */
public final class TextEncoders {
    private static final Map<String, Function<EncoderSpec, TextEncoder>> FACTORIES = new ConcurrentHashMap<>();

    static {
        FACTORIES.put(HashedNgramEncoder.KIND, HashedNgramEncoder::fromSpec);
    }

    private TextEncoders() {}

    /**
     * Registers an encoder kind (e.g. a pretrained transformer wrapper). Call before loading models that use it.
     *
     * @param kind the kind written in the spec
     * @param factory builds the encoder from its spec
     */
    public static void register(String kind, Function<EncoderSpec, TextEncoder> factory) {
        FACTORIES.put(kind, factory);
    }

    /**
     * @param spec a persisted spec
     * @return the encoder it describes
     */
    public static TextEncoder fromSpec(EncoderSpec spec) {
        Function<EncoderSpec, TextEncoder> factory = FACTORIES.get(spec.kind());
        if (factory == null) {
            throw new IllegalArgumentException("Cannot rebuild encoder of kind '" + spec.kind()
                    + "': no such kind is registered (known: " + FACTORIES.keySet()
                    + "). Register it with TextEncoders.register before loading the model");
        }
        return factory.apply(spec);
    }
}
