package io.cxml.runtime.text.pretrained;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import io.cxml.runtime.text.TextFeaturizer;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * Token ids from a Hugging Face {@code tokenizer.json} through DJL's tokenizer (native library shipped in its jar):
 * special tokens added, truncated to the maximum sequence length, never padded (batches are padded by length). The
 * native tokenizer is opened lazily, so the featurizer serializes as its path and settings. Ids may include 0 (e.g.
 * XLM-R's {@code <s>}); padded positions are told apart by the mask, not by the id.
 */
public final class TokenizerFeaturizer implements TextFeaturizer, Serializable {
    private static final long serialVersionUID = 1L;

    private final String tokenizerFile;
    private final int maxLength;
    private final int vocabularySize;
    private transient HuggingFaceTokenizer tokenizer;

    /**
     * @param tokenizerFile the {@code tokenizer.json}
     * @param maxLength maximum tokens per text, special tokens included
     * @param vocabularySize the model's vocabulary size
     */
    public TokenizerFeaturizer(Path tokenizerFile, int maxLength, int vocabularySize) {
        if (maxLength < 2) {
            throw new IllegalArgumentException("Cannot tokenize to at most " + maxLength
                    + " tokens: need at least 2 (the special tokens)");
        }
        this.tokenizerFile = tokenizerFile.toAbsolutePath().toString();
        this.maxLength = maxLength;
        this.vocabularySize = vocabularySize;
    }

    /** @return maximum tokens per text */
    public int maxLength() {
        return maxLength;
    }

    @Override
    public synchronized int[] featurize(String text) {
        Encoding encoding = tokenizer().encode(text == null ? "" : text);
        long[] ids = encoding.getIds();
        int[] out = new int[ids.length];
        for (int i = 0; i < ids.length; i++) {
            out[i] = (int) ids[i];
        }
        return out;
    }

    @Override
    public int vocabularySize() {
        return vocabularySize;
    }

    private HuggingFaceTokenizer tokenizer() {
        if (tokenizer == null) {
            try {
                tokenizer = HuggingFaceTokenizer.builder()
                        .optTokenizerPath(Paths.get(tokenizerFile))
                        .optAddSpecialTokens(true)
                        .optPadding(false)
                        .optTruncation(true)
                        .optMaxLength(maxLength)
                        .build();
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot open tokenizer " + tokenizerFile + ": " + e.getMessage(), e);
            }
        }
        return tokenizer;
    }
}
