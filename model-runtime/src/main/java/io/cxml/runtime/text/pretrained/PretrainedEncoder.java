package io.cxml.runtime.text.pretrained;

import ai.djl.nn.Block;
import io.cxml.runtime.text.EncoderSpec;
import io.cxml.runtime.text.TextEncoder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.TreeMap;

/**
 * A pretrained Hugging Face encoder as a {@link TextEncoder}: the {@link TransformerEncoderBlock} of the folder's
 * architecture, tokenized by {@link TokenizerFeaturizer}. When training, {@link #loadPretrained} makes the block
 * start from the folder's safetensors weights; a saved classifier holds the fine-tuned weights in its own parameter
 * file plus a copy of {@value PretrainedFolder#TOKENIZER} ({@link #writeFiles}), so scoring needs only the model
 * directory. The spec records the base model's name, location and checksum.
 */
public final class PretrainedEncoder implements TextEncoder {
    /** Kind written in the spec. */
    public static final String KIND = "pretrained-transformer";

    private final TransformerConfig config;
    private final TokenizerFeaturizer featurizer;
    private final Path tokenizer;
    private final PretrainedFolder folder;
    private final Map<String, String> base;

    private PretrainedEncoder(TransformerConfig config, Path tokenizer, int maxLength, PretrainedFolder folder,
            Map<String, String> base) {
        this.config = config;
        this.tokenizer = tokenizer;
        this.featurizer = new TokenizerFeaturizer(tokenizer, maxLength, config.vocabSize());
        this.folder = folder;
        this.base = Map.copyOf(base);
    }

    /**
     * An encoder for classification: pooled vectors are not normalized (the head sees their scale), and the folder's
     * {@link PretrainedFolder#defaultPrompt() prompt} is not added (fine-tuning learns from the texts as they are).
     *
     * @param folder the base model
     * @param maxSeqLength tokens per text (capped by the folder's own maximum), 0 for the folder's maximum
     * @return the encoder
     */
    public static PretrainedEncoder forClassification(PretrainedFolder folder, int maxSeqLength) {
        return of(folder, maxSeqLength, folder.config().withNormalize(false));
    }

    /**
     * An encoder for sentence embeddings exactly as the folder defines them (pooling and normalization). The
     * folder's {@link PretrainedFolder#defaultPrompt() prompt} is not part of the featurizer: {@link SentenceEmbedder}
     * prepends it to the texts.
     *
     * @param folder the base model
     * @return the encoder
     */
    public static PretrainedEncoder forEmbeddings(PretrainedFolder folder) {
        return forEmbeddings(folder, 0);
    }

    /**
     * An encoder for sentence embeddings as the folder defines them, with a lower token limit.
     *
     * @param folder the base model
     * @param maxSeqLength tokens per text (capped by the folder's own maximum), 0 for the folder's maximum
     * @return the encoder
     */
    public static PretrainedEncoder forEmbeddings(PretrainedFolder folder, int maxSeqLength) {
        return of(folder, maxSeqLength, folder.config());
    }

    private static PretrainedEncoder of(PretrainedFolder folder, int maxSeqLength, TransformerConfig config) {
        int max = maxSeqLength <= 0 ? folder.maxSeqLength() : Math.min(maxSeqLength, folder.maxSeqLength());
        Map<String, String> base = new TreeMap<>();
        base.put("baseName", folder.name());
        base.put("baseLocation", folder.location());
        base.put("baseChecksum", folder.checksum());
        return new PretrainedEncoder(config, folder.tokenizer(), max, folder, base);
    }

    /**
     * Rebuilds the encoder of a saved classifier (architecture from the spec, tokenizer from the model directory).
     *
     * @param spec a spec written by {@link #spec()}
     * @param modelDir the model directory
     * @return the encoder (without pretrained weights: the classifier's parameter file has them)
     */
    public static PretrainedEncoder fromSpec(EncoderSpec spec, Path modelDir) {
        Map<String, String> p = spec.params();
        Path tokenizer = modelDir.resolve(PretrainedFolder.TOKENIZER);
        if (!Files.isRegularFile(tokenizer)) {
            throw new IllegalArgumentException("Cannot rebuild the pretrained encoder: " + tokenizer
                    + " is missing. The model directory is incomplete; retrain or restore it");
        }
        Map<String, String> base = new TreeMap<>();
        for (String key : new String[] {"baseName", "baseLocation", "baseChecksum"}) {
            base.put(key, p.getOrDefault(key, ""));
        }
        return new PretrainedEncoder(TransformerConfig.fromParams(p), tokenizer, spec.intParam("maxSeqLength"),
                null, base);
    }

    @Override
    public EncoderSpec spec() {
        Map<String, String> p = new TreeMap<>(config.toParams());
        p.putAll(base);
        p.put("maxSeqLength", String.valueOf(featurizer.maxLength()));
        return new EncoderSpec(KIND, p);
    }

    @Override
    public TokenizerFeaturizer featurizer() {
        return featurizer;
    }

    @Override
    public TransformerEncoderBlock newBlock() {
        return new TransformerEncoderBlock(config);
    }

    @Override
    public void loadPretrained(Block block) {
        if (folder == null) {
            throw new IllegalStateException("Cannot load pretrained weights: this encoder was rebuilt from a saved"
                    + " model, whose parameter file holds its weights");
        }
        if (!(block instanceof TransformerEncoderBlock encoderBlock)) {
            throw new IllegalArgumentException("Cannot load pretrained weights into " + block.getClass().getName()
                    + ": expected the block from newBlock()");
        }
        encoderBlock.assign(folder.weights());
    }

    @Override
    public void writeFiles(Path modelDir) {
        try {
            Files.createDirectories(modelDir);
            Path target = modelDir.resolve(PretrainedFolder.TOKENIZER);
            if (!target.equals(tokenizer)) {
                Files.copy(tokenizer, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot copy " + tokenizer + " into " + modelDir + ": " + e.getMessage(),
                    e);
        }
    }

    @Override
    public int outputDim() {
        return config.hidden();
    }

    /** @return the base model's name, location and checksum */
    public Map<String, String> base() {
        return base;
    }
}
