package io.cxml.runtime.model;

import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import io.cxml.runtime.text.TextEncoder;

/** Builds the classifier network: the encoder's block followed by a linear softmax head. */
public final class ClassifierBlocks {
    private ClassifierBlocks() {}

    /**
     * @param encoder the encoder
     * @param classes number of output labels
     * @return a new, uninitialized block: {@code (ids, mask) -> logits [B, classes]}
     */
    public static Block build(TextEncoder encoder, int classes) {
        return build(encoder.newBlock(), classes);
    }

    /**
     * @param encoderBlock the encoder's block
     * @param classes number of output labels
     * @return a new, uninitialized block: {@code (ids, mask[, rows]) -> logits [B, classes]}
     */
    public static Block build(Block encoderBlock, int classes) {
        return new SequentialBlock()
                .add(encoderBlock)
                .add(Linear.builder().setUnits(classes).build());
    }
}
