package io.cxml.runtime.text.pretrained;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * One post-LayerNorm transformer layer as in Hugging Face's {@code BertLayer} (shared by XLM-RoBERTa): multi-head
 * self-attention with an additive padding mask, residual + LayerNorm, a GELU (erf) feed-forward, residual +
 * LayerNorm; dropout on attention probabilities and hidden states while training. Input {@code (hidden [B, L, H],
 * additive mask [B, 1, 1, L])}, output {@code hidden [B, L, H]}.
 */
final class TransformerLayerBlock extends AbstractBlock {
    private static final byte VERSION = 1;

    private final TransformerConfig config;
    private final Linear query;
    private final Linear key;
    private final Linear value;
    private final Linear attentionOutput;
    private final LayerNorm attentionNorm;
    private final Linear intermediate;
    private final Linear output;
    private final LayerNorm outputNorm;

    TransformerLayerBlock(TransformerConfig config) {
        super(VERSION);
        this.config = config;
        query = addChildBlock("query", linear(config.hidden()));
        key = addChildBlock("key", linear(config.hidden()));
        value = addChildBlock("value", linear(config.hidden()));
        attentionOutput = addChildBlock("attentionOutput", linear(config.hidden()));
        attentionNorm = addChildBlock("attentionNorm", norm(config));
        intermediate = addChildBlock("intermediate", linear(config.intermediate()));
        output = addChildBlock("output", linear(config.hidden()));
        outputNorm = addChildBlock("outputNorm", norm(config));
    }

    static Linear linear(int units) {
        return Linear.builder().setUnits(units).build();
    }

    static LayerNorm norm(TransformerConfig config) {
        return LayerNorm.builder().axis(1).optEpsilon(config.layerNormEps()).build();
    }

    /**
     * @param weights the checkpoint
     * @param prefix e.g. {@code encoder.layer.0.}
     */
    void assign(PretrainedWeights weights, String prefix) {
        linear(weights, query, prefix + "attention.self.query.");
        linear(weights, key, prefix + "attention.self.key.");
        linear(weights, value, prefix + "attention.self.value.");
        linear(weights, attentionOutput, prefix + "attention.output.dense.");
        norm(weights, attentionNorm, prefix + "attention.output.LayerNorm.");
        linear(weights, intermediate, prefix + "intermediate.dense.");
        linear(weights, output, prefix + "output.dense.");
        norm(weights, outputNorm, prefix + "output.LayerNorm.");
    }

    static void linear(PretrainedWeights weights, Linear block, String prefix) {
        weights.assign(block.getParameters().get("weight"), prefix + "weight");
        weights.assign(block.getParameters().get("bias"), prefix + "bias");
    }

    static void norm(PretrainedWeights weights, LayerNorm block, String prefix) {
        weights.assign(block.getParameters().get("gamma"), prefix + "weight");
        weights.assign(block.getParameters().get("beta"), prefix + "bias");
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.get(0);
        NDArray mask = inputs.get(1);
        long batch = x.getShape().get(0);
        long length = x.getShape().get(1);
        int heads = config.heads();
        int headDim = config.hidden() / heads;
        NDArray q = heads(apply(query, ps, x, training), batch, length, heads, headDim);
        NDArray k = heads(apply(key, ps, x, training), batch, length, heads, headDim);
        NDArray v = heads(apply(value, ps, x, training), batch, length, heads, headDim);
        NDArray scores = q.matMul(k.transpose(0, 1, 3, 2)).mul(1f / (float) Math.sqrt(headDim)).add(mask);
        NDArray probs = dropout(scores.softmax(-1), config.attentionDropout(), training);
        NDArray context = probs.matMul(v).transpose(0, 2, 1, 3).reshape(batch, length, config.hidden());
        NDArray attended = dropout(apply(attentionOutput, ps, context, training), config.hiddenDropout(), training);
        NDArray h = apply(attentionNorm, ps, attended.add(x), training);
        NDArray inner = Activation.gelu(apply(intermediate, ps, h, training));
        NDArray out = dropout(apply(output, ps, inner, training), config.hiddenDropout(), training);
        return new NDList(apply(outputNorm, ps, out.add(h), training));
    }

    private static NDArray heads(NDArray x, long batch, long length, int heads, int headDim) {
        return x.reshape(batch, length, heads, headDim).transpose(0, 2, 1, 3);
    }

    static NDArray apply(Block block, ParameterStore ps, NDArray x, boolean training) {
        return block.forward(ps, new NDList(x), training).singletonOrThrow();
    }

    static NDArray dropout(NDArray x, float rate, boolean training) {
        if (!training || rate <= 0) {
            return x;
        }
        return x.getNDArrayInternal().dropout(x, rate, true).singletonOrThrow();
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape hidden = new Shape(1, config.hidden());
        query.initialize(manager, dataType, hidden);
        key.initialize(manager, dataType, hidden);
        value.initialize(manager, dataType, hidden);
        attentionOutput.initialize(manager, dataType, hidden);
        attentionNorm.initialize(manager, dataType, hidden);
        intermediate.initialize(manager, dataType, hidden);
        output.initialize(manager, dataType, new Shape(1, config.intermediate()));
        outputNorm.initialize(manager, dataType, hidden);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }
}
