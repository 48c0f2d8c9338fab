package io.cxml.runtime.text.pretrained;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import io.cxml.runtime.text.TextFeaturizer;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Token ids from a Hugging Face {@code tokenizer.json} through DJL's tokenizer (native library shipped in its jar):
 * special tokens added, truncated to the maximum sequence length, never padded (batches are padded by length). The
 * native tokenizer is opened lazily, so the featurizer serializes as its path and settings. Ids may include 0 (e.g.
 * XLM-R's {@code <s>}); padded positions are told apart by the mask, not by the id. Thread-safe without a lock: each
 * call borrows a native tokenizer from a pool (one is opened when all are busy), so the Spark tasks of an executor
 * tokenize at once and the pool holds no more tokenizers than calls ever ran concurrently.
 */
public final class TokenizerFeaturizer implements TextFeaturizer, Serializable {
    private static final long serialVersionUID = 1L;

    private final String tokenizerFile;
    private final int maxLength;
    private final int vocabularySize;
    private transient volatile Queue<HuggingFaceTokenizer> idle;

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
    public int[] featurize(String text) {
        return tokenize(text).ids();
    }

    /**
     * @param text the text (null is treated as empty)
     * @return its ids (truncated to {@link #maxLength()}) and whether it had more tokens than that
     */
    Tokens tokenize(String text) {
        Queue<HuggingFaceTokenizer> pool = pool();
        HuggingFaceTokenizer tokenizer = pool.poll();
        if (tokenizer == null) {
            tokenizer = open();
        }
        Encoding encoding;
        try {
            encoding = tokenizer.encode(text == null ? "" : text);
        } finally {
            pool.offer(tokenizer);
        }
        long[] ids = encoding.getIds();
        int[] out = new int[ids.length];
        for (int i = 0; i < ids.length; i++) {
            out[i] = (int) ids[i];
        }
        // DJL sets this when the tokenizer's truncation left overflowing tokens.
        return new Tokens(out, encoding.exceedMaxLength());
    }

    @Override
    public int vocabularySize() {
        return vocabularySize;
    }

    private Queue<HuggingFaceTokenizer> pool() {
        Queue<HuggingFaceTokenizer> pool = idle;
        if (pool == null) {
            // Transient: null again after deserialization, so created on first use rather than in the constructor.
            synchronized (this) {
                if (idle == null) {
                    idle = new ConcurrentLinkedQueue<>();
                }
                pool = idle;
            }
        }
        return pool;
    }

    private HuggingFaceTokenizer open() {
        try {
            return HuggingFaceTokenizer.builder()
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

    /**
     * One tokenized text.
     *
     * @param ids token ids, special tokens included, at most {@link #maxLength()}
     * @param truncated whether the text had more tokens than {@link #maxLength()} (the rest was cut)
     */
    record Tokens(int[] ids, boolean truncated) {}
}
