package io.cxml.training.text;

import ai.djl.nn.Block;

/**
 * A text encoder: a featurizer (text to ids, outside the graph) and a DJL block that maps a padded batch of ids to
 * one vector per text. The built-in encoder is {@link HashedNgramEncoder}; a user-supplied pretrained encoder plugs
 * in by implementing this interface and registering a factory with {@link TextEncoders#register}.
 *
 * <p>Block contract: input {@code NDList(ids [batch, length] int64, mask [batch, length] float32)}, where padded
 * positions have id 0 and mask 0; output {@code NDList(vectors [batch, outputDim()] float32)}.
 */
public interface TextEncoder {
    /** @return the persisted description that rebuilds this encoder */
    EncoderSpec spec();

    /** @return the featurizer used at training and inference */
    TextFeaturizer featurizer();

    /** @return a new, uninitialized block implementing the contract above */
    Block newBlock();

    /** @return the size of one text vector */
    int outputDim();
}
