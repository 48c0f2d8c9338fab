package io.cxml.runtime.text;

import ai.djl.nn.Block;
import java.util.Map;

/**
 * The in-house, language-agnostic encoder: {@link HashedNgramFeaturizer} ids looked up in one embedding table and
 * mean-pooled ({@link MeanPooledEmbedding}), as in fastText.
 */
public final class HashedNgramEncoder implements TextEncoder {
    /** Kind written in the spec. */
    public static final String KIND = "hashed-ngram";

    private final FeaturizerConfig config;
    private final int dim;
    private final HashedNgramFeaturizer featurizer;

    /**
     * @param config the hashing settings (buckets = embedding rows)
     * @param dim the embedding size
     */
    public HashedNgramEncoder(FeaturizerConfig config, int dim) {
        if (dim < 1) {
            throw new IllegalArgumentException("Cannot build an encoder of dimension " + dim + ": must be >= 1");
        }
        this.config = config;
        this.dim = dim;
        this.featurizer = new HashedNgramFeaturizer(config);
    }

    /**
     * @param spec a spec written by {@link #spec()}
     * @return the encoder
     */
    public static HashedNgramEncoder fromSpec(EncoderSpec spec) {
        FeaturizerConfig config = new FeaturizerConfig(spec.intParam("buckets"), spec.intParam("wordNgrams"),
                spec.intParam("charMinN"), spec.intParam("charMaxN"), spec.intParam("maxFeatures"));
        return new HashedNgramEncoder(config, spec.intParam("dim"));
    }

    @Override
    public EncoderSpec spec() {
        return new EncoderSpec(KIND, Map.of(
                "buckets", String.valueOf(config.buckets()),
                "wordNgrams", String.valueOf(config.wordNgrams()),
                "charMinN", String.valueOf(config.charMinN()),
                "charMaxN", String.valueOf(config.charMaxN()),
                "maxFeatures", String.valueOf(config.maxFeatures()),
                "dim", String.valueOf(dim)));
    }

    @Override
    public TextFeaturizer featurizer() {
        return featurizer;
    }

    @Override
    public Block newBlock() {
        return new MeanPooledEmbedding(config.buckets(), dim);
    }

    /**
     * @return a block whose table is updated row-sparsely by the trainer (see {@link MeanPooledEmbedding})
     */
    public Block newRowSparseBlock() {
        return new MeanPooledEmbedding(config.buckets(), dim, true);
    }

    @Override
    public int outputDim() {
        return dim;
    }
}
