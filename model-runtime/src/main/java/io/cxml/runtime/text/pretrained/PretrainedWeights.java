package io.cxml.runtime.text.pretrained;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Hands safetensors weights to a block's parameters: each parameter gets an initializer that creates its array from
 * the tensor of the same Hugging Face name, so the block's ordinary {@code initialize} (or a trainer's) loads them.
 * Names may carry a {@code bert.}, {@code roberta.} or {@code model.} prefix (checkpoints saved from a task model).
 */
final class PretrainedWeights {
    private static final List<String> PREFIXES = List.of("", "bert.", "roberta.", "model.");

    private final Map<String, SafeTensors.Tensor> tensors;
    private final String prefix;
    private final String source;

    PretrainedWeights(Map<String, SafeTensors.Tensor> tensors, String source) {
        this.tensors = tensors;
        this.source = source;
        this.prefix = PREFIXES.stream()
                .filter(p -> tensors.containsKey(p + "embeddings.word_embeddings.weight"))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("Cannot load weights from " + source
                        + ": it has no 'embeddings.word_embeddings.weight' tensor (with or without a bert./roberta."
                        + " prefix). Point to the folder of a BERT or XLM-RoBERTa encoder"));
    }

    /**
     * @param parameter a block parameter
     * @param name the Hugging Face tensor name without prefix, e.g. {@code encoder.layer.0.output.dense.weight}
     */
    void assign(Parameter parameter, String name) {
        SafeTensors.Tensor tensor = tensors.get(prefix + name);
        if (tensor == null) {
            throw new IllegalArgumentException("Cannot load weights from " + source + ": tensor '" + prefix + name
                    + "' is missing. The checkpoint does not match its config.json");
        }
        Shape expected = new Shape(tensor.shape());
        parameter.setInitializer((manager, shape, dataType) -> {
            if (!shape.equals(expected)) {
                throw new IllegalArgumentException("Cannot load tensor '" + prefix + name + "' of " + source
                        + ": its shape " + Arrays.toString(tensor.shape()) + " differs from the block's " + shape
                        + ". The checkpoint does not match its config.json");
            }
            return manager.create(tensor.values(), shape).toType(dataType, false);
        });
    }
}
