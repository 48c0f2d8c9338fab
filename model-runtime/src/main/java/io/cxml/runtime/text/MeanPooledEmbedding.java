package io.cxml.runtime.text;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.training.initializer.UniformInitializer;
import ai.djl.util.PairList;

/**
 * Embedding bag with mean pooling: looks up each id's row and averages the rows where the mask is 1. Input
 * {@code (ids [B, L] int64, mask [B, L] float32)}, output {@code [B, dim]}. Rows are initialized uniformly in
 * {@code [-1/dim, 1/dim]} as in fastText.
 *
 * <p>Row-sparse training: with a third input {@code rows [U, dim]}, the ids index into {@code rows} (the batch's
 * distinct table rows, gathered by the trainer, which then updates only those rows) instead of the whole table. The
 * table parameter then does not require a gradient, so no dense {@code buckets x dim} gradient or optimizer pass is
 * paid per step. See {@code RowSparseAdam}.
 */
public final class MeanPooledEmbedding extends AbstractBlock {
    /** Name of the embedding parameter. */
    public static final String EMBEDDING = "embedding";
    private static final byte VERSION = 1;

    /** Name of the learned offset added to the pooled vector. */
    public static final String OFFSET = "offset";

    private final Parameter embedding;
    private final Parameter offset;
    private final int dim;

    /**
     * @param rows number of rows (ids)
     * @param dim size of one row
     */
    public MeanPooledEmbedding(int rows, int dim) {
        this(rows, dim, false);
    }

    /**
     * @param rows number of rows (ids)
     * @param dim size of one row
     * @param rowSparse true when the trainer updates the table itself (row-sparse), so the table needs no gradient
     */
    public MeanPooledEmbedding(int rows, int dim, boolean rowSparse) {
        super(VERSION);
        this.dim = dim;
        this.embedding = addParameter(Parameter.builder()
                .setName(EMBEDDING)
                .setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(rows, dim))
                .optInitializer(new UniformInitializer(1f / dim))
                .optRequiresGrad(!rowSparse)
                .build());
        // A learned offset on the pooled vector (starts at 0; equivalent to extra head bias, so it does not change
        // what the model can express). It gives DJL's first-step gradient check a trainable parameter whose gradient
        // does not sum to zero by construction (a softmax head's weight and bias gradients always do) when the
        // table is updated row-sparsely and so has no gradient of its own.
        this.offset = addParameter(Parameter.builder()
                .setName(OFFSET)
                .setType(Parameter.Type.BIAS)
                .optShape(new Shape(dim))
                .optInitializer(Initializer.ZEROS)
                .build());
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore parameterStore, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray ids = inputs.get(0);
        NDArray mask = inputs.get(1);
        NDArray weight = inputs.size() > 2 ? inputs.get(2)
                : parameterStore.getValue(embedding, ids.getDevice(), training);
        NDArray vectors = weight.getNDArrayInternal().embedding(ids, weight, SparseFormat.DENSE).singletonOrThrow();
        NDArray summed = vectors.mul(mask.expandDims(2)).sum(new int[] {1});
        NDArray counts = mask.sum(new int[] {1}, true).maximum(1f);
        NDArray shift = parameterStore.getValue(offset, ids.getDevice(), training);
        return new NDList(summed.div(counts).add(shift));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0), dim)};
    }
}
