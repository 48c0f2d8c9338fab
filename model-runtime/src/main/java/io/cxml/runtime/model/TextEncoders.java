package io.cxml.runtime.model;

import io.cxml.runtime.text.EncoderSpec;
import io.cxml.runtime.text.HashedNgramEncoder;
import io.cxml.runtime.text.TextEncoder;
import io.cxml.runtime.text.pretrained.PretrainedEncoder;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * Registry of encoder kinds, used to rebuild a saved model's encoder from its {@link EncoderSpec} (and, for kinds
 * that keep files beside the parameters, such as a pretrained encoder's tokenizer, its model directory).
 */
public final class TextEncoders {
    private static final Map<String, BiFunction<EncoderSpec, Path, TextEncoder>> FACTORIES =
            new ConcurrentHashMap<>();

    static {
        register(HashedNgramEncoder.KIND, HashedNgramEncoder::fromSpec);
        FACTORIES.put(PretrainedEncoder.KIND, PretrainedEncoder::fromSpec);
    }

    private TextEncoders() {}

    /**
     * Registers an encoder kind described by its spec alone. Call before loading models that use it.
     *
     * @param kind the kind written in the spec
     * @param factory builds the encoder from its spec
     */
    public static void register(String kind, Function<EncoderSpec, TextEncoder> factory) {
        FACTORIES.put(kind, (spec, dir) -> factory.apply(spec));
    }

    /**
     * @param spec a persisted spec of a kind that needs no files besides it
     * @return the encoder it describes
     */
    public static TextEncoder fromSpec(EncoderSpec spec) {
        return fromSpec(spec, null);
    }

    /**
     * @param spec a persisted spec
     * @param modelDir the model directory holding the encoder's files (may be null for spec-only kinds)
     * @return the encoder it describes
     */
    public static TextEncoder fromSpec(EncoderSpec spec, Path modelDir) {
        BiFunction<EncoderSpec, Path, TextEncoder> factory = FACTORIES.get(spec.kind());
        if (factory == null && "embedding-head".equals(spec.kind())) {
            throw new IllegalArgumentException("Cannot load a head on embeddings as a DJL text classifier: it scores "
                    + "stored sentence embeddings. Score it with TextClassifierStage (cxml score, cxml evaluate)");
        }
        if (factory == null) {
            throw new IllegalArgumentException("Cannot rebuild encoder of kind '" + spec.kind()
                    + "': no such kind is registered (known: " + FACTORIES.keySet()
                    + "). Register it with TextEncoders.register before loading the model");
        }
        if (modelDir == null && PretrainedEncoder.KIND.equals(spec.kind())) {
            throw new IllegalArgumentException("Cannot rebuild encoder of kind '" + spec.kind()
                    + "' without its model directory: use TextEncoders.fromSpec(spec, modelDir)");
        }
        return factory.apply(spec, modelDir);
    }
}
