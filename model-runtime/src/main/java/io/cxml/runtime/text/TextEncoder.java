package io.cxml.runtime.text;

import ai.djl.nn.Block;
import java.nio.file.Path;

/**
 * A text encoder: a featurizer (text to ids, outside the graph) and a DJL block that maps a padded batch of ids to
 * one vector per text. The built-in encoder is {@link HashedNgramEncoder}; a user-supplied pretrained encoder plugs
 * in by implementing this interface and registering a factory with {@link io.cxml.runtime.model.TextEncoders#register}.
 *
 * <p>Block contract: input {@code NDList(ids [batch, length] int64, mask [batch, length] float32)}, where padded
 * positions have id 0 and mask 0 (the mask, not the id, marks padding); output {@code NDList(vectors [batch,
 * outputDim()] float32)}. A pretrained encoder ({@code text.pretrained}) also loads its starting weights and writes
 * the files it needs besides the parameters (its tokenizer) into the model directory.
 */
public interface TextEncoder {
    /** DJL engine of every cxml encoder and text model. */
    String ENGINE = "PyTorch";

    /** @return the persisted description that rebuilds this encoder */
    EncoderSpec spec();

    /** @return the featurizer used at training and inference */
    TextFeaturizer featurizer();

    /** @return a new, uninitialized block implementing the contract above */
    Block newBlock();

    /** @return the size of one text vector */
    int outputDim();

    /**
     * Makes a block from {@link #newBlock()} start from pretrained weights when it is initialized; call before
     * initialization. Encoders trained from scratch do nothing.
     *
     * @param block the block
     */
    default void loadPretrained(Block block) {}

    /**
     * Writes the files that {@link io.cxml.runtime.model.TextEncoders#fromSpec(EncoderSpec, Path)} needs besides the spec and the
     * parameters into a model directory. Encoders described by their spec alone write nothing.
     *
     * @param modelDir the model directory
     */
    default void writeFiles(Path modelDir) {}
}
