package io.cxml.runtime.text.pretrained;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.List;

/**
 * A BERT-family sentence encoder from DJL blocks, with Hugging Face semantics: word + position + token-type (type 0)
 * embeddings, LayerNorm, dropout; {@link TransformerLayerBlock}s; then mean pooling over the attention mask (as
 * sentence-transformers) or the first token, and an optional L2 normalization. Position ids are {@code 0..L-1} for
 * BERT and {@code pad_token_id + 1 + i} for the RoBERTa family. Input {@code (ids [B, L] int64, mask [B, L]
 * float32)} with right padding; output {@code vectors [B, hidden]}.
 */
public final class TransformerEncoderBlock extends AbstractBlock {
    private static final byte VERSION = 1;
    private static final float MASKED = -1e9f;

    private final TransformerConfig config;
    private final Parameter wordEmbeddings;
    private final Parameter positionEmbeddings;
    private final Parameter tokenTypeEmbeddings;
    private final LayerNorm embeddingNorm;
    private final List<TransformerLayerBlock> layers = new ArrayList<>();

    /**
     * @param config the architecture
     */
    public TransformerEncoderBlock(TransformerConfig config) {
        super(VERSION);
        this.config = config;
        wordEmbeddings = addParameter(table("word_embeddings", config.vocabSize(), config.hidden()));
        positionEmbeddings = addParameter(table("position_embeddings", config.maxPositions(), config.hidden()));
        tokenTypeEmbeddings = addParameter(table("token_type_embeddings", config.typeVocabSize(), config.hidden()));
        embeddingNorm = addChildBlock("embeddingNorm", TransformerLayerBlock.norm(config));
        for (int i = 0; i < config.layers(); i++) {
            layers.add(addChildBlock("layer" + i, new TransformerLayerBlock(config)));
        }
    }

    private static Parameter table(String name, int rows, int dim) {
        return Parameter.builder().setName(name).setType(Parameter.Type.WEIGHT).optShape(new Shape(rows, dim)).build();
    }

    /** @return the architecture */
    public TransformerConfig config() {
        return config;
    }

    /**
     * Makes every parameter load its pretrained value when the block is initialized (directly or by a trainer).
     *
     * @param weights the checkpoint
     */
    void assign(PretrainedWeights weights) {
        weights.assign(wordEmbeddings, "embeddings.word_embeddings.weight");
        weights.assign(positionEmbeddings, "embeddings.position_embeddings.weight");
        weights.assign(tokenTypeEmbeddings, "embeddings.token_type_embeddings.weight");
        TransformerLayerBlock.norm(weights, embeddingNorm, "embeddings.LayerNorm.");
        for (int i = 0; i < layers.size(); i++) {
            layers.get(i).assign(weights, "encoder.layer." + i + ".");
        }
    }

    /**
     * Freezes the embeddings and the lowest layers (no gradient, no update); call after initialization.
     *
     * @param lowerLayers how many layers from the bottom to freeze (0 freezes nothing, not even the embeddings)
     */
    public void freezeLower(int lowerLayers) {
        if (lowerLayers <= 0) {
            return;
        }
        wordEmbeddings.freeze(true);
        positionEmbeddings.freeze(true);
        tokenTypeEmbeddings.freeze(true);
        embeddingNorm.freezeParameters(true);
        for (int i = 0; i < Math.min(lowerLayers, layers.size()); i++) {
            layers.get(i).freezeParameters(true);
        }
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray ids = inputs.get(0);
        NDArray mask = inputs.get(1);
        long length = ids.getShape().get(1);
        NDManager manager = ids.getManager();
        NDArray positions;
        if (config.robertaPositions()) {
            positions = mask.cumSum(1).mul(mask).add(config.padTokenId()).toType(DataType.INT64, false);
        } else {
            positions = manager.arange(0, (int) length, 1, DataType.INT64).expandDims(0);
        }
        if (length > config.maxPositions() - (config.robertaPositions() ? config.padTokenId() + 1 : 0)) {
            throw new IllegalArgumentException("Cannot encode " + length + " tokens: the model has "
                    + config.maxPositions() + " positions. Lower the maximum sequence length");
        }
        NDArray word = lookup(ps, wordEmbeddings, ids, training);
        NDArray position = lookup(ps, positionEmbeddings, positions, training);
        // Into the batch's manager: get(0) alone would attach the row to the parameter's (the model's) manager,
        // which keeps one array per forward pass until the model is closed.
        NDArray type = ps.getValue(tokenTypeEmbeddings, ids.getDevice(), training).get(manager, 0);
        NDArray h = TransformerLayerBlock.apply(embeddingNorm, ps, word.add(position).add(type), training);
        h = TransformerLayerBlock.dropout(h, config.hiddenDropout(), training);
        NDArray additive = mask.sub(1f).mul(-MASKED).reshape(mask.getShape().get(0), 1, 1, length);
        for (TransformerLayerBlock layer : layers) {
            h = layer.forward(ps, new NDList(h, additive), training).singletonOrThrow();
        }
        NDArray pooled;
        if ("cls".equals(config.pooling())) {
            pooled = h.get(":, 0, :");
        } else {
            NDArray m = mask.expandDims(2);
            pooled = h.mul(m).sum(new int[] {1}).div(m.sum(new int[] {1}).maximum(1e-9f));
        }
        if (config.normalize()) {
            pooled = pooled.div(pooled.norm(new int[] {1}, true).maximum(1e-12f));
        }
        return new NDList(pooled);
    }

    private static NDArray lookup(ParameterStore ps, Parameter table, NDArray ids, boolean training) {
        NDArray weight = ps.getValue(table, ids.getDevice(), training);
        return weight.getNDArrayInternal().embedding(ids, weight, SparseFormat.DENSE).singletonOrThrow();
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        embeddingNorm.initialize(manager, dataType, new Shape(1, config.hidden()));
        Shape hidden = new Shape(1, 1, config.hidden());
        for (TransformerLayerBlock layer : layers) {
            layer.initialize(manager, dataType, hidden, new Shape(1, 1, 1, 1));
        }
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0), config.hidden())};
    }
}
