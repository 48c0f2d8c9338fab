package io.cxml.runtime.text.pretrained;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.cxml.runtime.text.PaddedBatch;
import io.cxml.runtime.text.TextEncoder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Sentence embeddings of a pretrained folder exactly as the folder defines them (its {@link
 * PretrainedFolder#defaultPrompt() default prompt} prepended to every text, as sentence-transformers does, then its
 * pooling and normalization): the reference path that is checked against the Python implementation, and the
 * embedding throughput benchmark. Texts are tokenized, ordered by token count and encoded in batches padded to their
 * longest text. {@link #embed} and {@link #embedAll} may be called from several threads at once (the Spark tasks of
 * an executor share one loaded model): each call has its own parameter store and arrays. Close it once no call runs.
 */
public final class SentenceEmbedder implements AutoCloseable {
    private final PretrainedEncoder encoder;
    private final Model model;
    private final int batchSize;
    private final String prompt;

    /**
     * @param folder the base model
     * @param device where to run
     * @param batchSize texts per forward pass
     */
    public SentenceEmbedder(PretrainedFolder folder, Device device, int batchSize) {
        this(folder, device, batchSize, 0);
    }

    /**
     * @param folder the base model
     * @param device where to run
     * @param batchSize texts per forward pass
     * @param maxTokens tokens per text, prompt and special tokens included (capped by the folder's {@link
     *     PretrainedFolder#maxSeqLength()}); 0 for the folder's maximum. Longer texts are truncated ({@link
     *     Embedded#truncated()})
     */
    public SentenceEmbedder(PretrainedFolder folder, Device device, int batchSize, int maxTokens) {
        if (maxTokens < 0) {
            throw new IllegalArgumentException("Cannot embed with at most " + maxTokens + " tokens per text: give a"
                    + " positive limit, or 0 for the folder's maximum (" + folder.maxSeqLength() + ")");
        }
        this.encoder = PretrainedEncoder.forEmbeddings(folder, maxTokens);
        this.prompt = folder.defaultPrompt();
        this.batchSize = Math.max(1, batchSize);
        this.model = Model.newInstance("sentence-embedder", device, TextEncoder.ENGINE);
        try {
            TransformerEncoderBlock block = encoder.newBlock();
            encoder.loadPretrained(block);
            block.initialize(model.getNDManager(), DataType.FLOAT32, new Shape(1, 2), new Shape(1, 2));
            // Never trained: without gradients no thread records an autograd graph (PyTorch's grad mode is per
            // thread and on by default in threads other than the one that loaded the engine).
            block.freezeParameters(true);
            model.setBlock(block);
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
    }

    /** @return the encoder (tokenizer, spec); its featurizer does not add the {@link #prompt()} */
    public PretrainedEncoder encoder() {
        return encoder;
    }

    /** @return the text prepended to every input (the folder's {@link PretrainedFolder#defaultPrompt()}), or "" */
    public String prompt() {
        return prompt;
    }

    /** @return tokens per text, prompt and special tokens included; longer texts are truncated */
    public int maxTokens() {
        return encoder.featurizer().maxLength();
    }

    /**
     * @param texts the texts (without the prompt: it is added here)
     * @return one embedding per text, in order
     */
    public float[][] embed(List<String> texts) {
        return embedAll(texts).vectors();
    }

    /**
     * @param texts the texts (without the prompt: it is added here)
     * @return one embedding per text, in order, and which texts were truncated at {@link #maxTokens()}
     */
    public Embedded embedAll(List<String> texts) {
        List<int[]> ids = new ArrayList<>(texts.size());
        boolean[] truncated = new boolean[texts.size()];
        for (int i = 0; i < texts.size(); i++) {
            String text = texts.get(i);
            TokenizerFeaturizer.Tokens tokens = encoder.featurizer().tokenize(prompt + (text == null ? "" : text));
            ids.add(tokens.ids());
            truncated[i] = tokens.truncated();
        }
        Integer[] order = new Integer[ids.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.comparingInt(i -> ids.get(i).length));
        float[][] out = new float[texts.size()][];
        int dim = encoder.outputDim();
        // Per call: a store caches parameter values by device, so concurrent calls do not share one.
        ParameterStore store = new ParameterStore(model.getNDManager(), false);
        for (int start = 0; start < order.length; start += batchSize) {
            int end = Math.min(order.length, start + batchSize);
            try (NDManager batch = model.getNDManager().newSubManager()) {
                List<int[]> rows = new ArrayList<>(end - start);
                for (int i = start; i < end; i++) {
                    rows.add(ids.get(order[i]));
                }
                NDList inputs = PaddedBatch.of(batch, rows);
                float[] flat = model.getBlock().forward(store, inputs, false).singletonOrThrow().toFloatArray();
                for (int i = start; i < end; i++) {
                    out[order[i]] = Arrays.copyOfRange(flat, (i - start) * dim, (i - start + 1) * dim);
                }
            }
        }
        return new Embedded(out, truncated);
    }

    @Override
    public void close() {
        model.close();
    }

    /**
     * Embeddings with their truncation.
     *
     * @param vectors one embedding per text, in the order of the texts
     * @param truncated per text, whether it had more tokens than {@link #maxTokens()} (prompt and special tokens
     *     included) and was cut to that many
     */
    public record Embedded(float[][] vectors, boolean[] truncated) {
        /** @return how many texts were truncated */
        public int truncatedCount() {
            int n = 0;
            for (boolean t : truncated) {
                n += t ? 1 : 0;
            }
            return n;
        }
    }
}
