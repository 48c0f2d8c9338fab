package io.cxml.runtime.text;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Language-agnostic fastText-style featurizer: lower-cased Unicode word tokens, word n-grams (unigrams and, by
 * default, bigrams) and character n-grams of each word with boundary markers ({@code <word>}), each hashed (64-bit
 * FNV-1a over UTF-8 with a per-kind prefix) into {@code [1, buckets)}. Bucket 0 is reserved for padding.
 *
 * <p>Pure Java and immutable: the same instance featurizes at training and at inference, on the driver or on an
 * executor.
 */
public final class HashedNgramFeaturizer implements TextFeaturizer, Serializable {
    private static final long serialVersionUID = 1L;
    private static final long FNV_OFFSET = 0xcbf29ce484222325L;
    private static final long FNV_PRIME = 0x100000001b3L;

    private final FeaturizerConfig config;

    /**
     * @param config the hashing configuration
     */
    public HashedNgramFeaturizer(FeaturizerConfig config) {
        this.config = Objects.requireNonNull(config, "config");
    }

    /** @return the configuration */
    public FeaturizerConfig config() {
        return config;
    }

    @Override
    public int vocabularySize() {
        return config.buckets();
    }

    /**
     * Splits text into lower-cased tokens: maximal runs of letters, marks and digits (any script).
     *
     * @param text the text, may be null
     * @return the tokens, in order
     */
    public static List<String> tokenize(String text) {
        List<String> tokens = new ArrayList<>();
        if (text == null) {
            return tokens;
        }
        String lower = text.toLowerCase(Locale.ROOT);
        int start = -1;
        int i = 0;
        while (i < lower.length()) {
            int cp = lower.codePointAt(i);
            boolean wordChar = Character.isLetterOrDigit(cp) || Character.getType(cp) == Character.NON_SPACING_MARK
                    || Character.getType(cp) == Character.COMBINING_SPACING_MARK;
            if (wordChar && start < 0) {
                start = i;
            } else if (!wordChar && start >= 0) {
                tokens.add(lower.substring(start, i));
                start = -1;
            }
            i += Character.charCount(cp);
        }
        if (start >= 0) {
            tokens.add(lower.substring(start));
        }
        return tokens;
    }

    @Override
    public int[] featurize(String text) {
        List<String> tokens = tokenize(text);
        int max = config.maxFeatures();
        int[] ids = new int[Math.min(max, estimate(tokens))];
        int n = 0;
        for (int t = 0; t < tokens.size() && n < max; t++) {
            n = add(ids, n, hash("w", tokens.get(t)));
            for (int order = 2; order <= config.wordNgrams() && t + order <= tokens.size() && n < max; order++) {
                n = add(ids, n, hash("n" + order, String.join(" ", tokens.subList(t, t + order))));
            }
            if (config.charMaxN() > 0) {
                n = charNgrams(tokens.get(t), ids, n);
            }
        }
        if (n == 0) {
            // Empty or symbol-only text still gets one (shared) feature, so pooling never divides by zero.
            return new int[] {bucket(FNV_OFFSET)};
        }
        return n == ids.length ? ids : java.util.Arrays.copyOf(ids, n);
    }

    private int estimate(List<String> tokens) {
        int total = 0;
        for (String token : tokens) {
            int len = token.codePointCount(0, token.length()) + 2;
            total += config.wordNgrams();
            for (int k = config.charMinN(); k <= config.charMaxN(); k++) {
                total += Math.max(0, len - k + 1);
            }
        }
        return Math.max(1, total);
    }

    private int charNgrams(String token, int[] ids, int n) {
        int[] cps = ("<" + token + ">").codePoints().toArray();
        int max = config.maxFeatures();
        for (int k = config.charMinN(); k <= config.charMaxN() && n < max; k++) {
            for (int s = 0; s + k <= cps.length && n < max; s++) {
                if (k == cps.length) {
                    continue; // the whole "<word>" is already the word feature
                }
                n = add(ids, n, hash("c", new String(cps, s, k)));
            }
        }
        return n;
    }

    private static int add(int[] ids, int n, int id) {
        if (n < ids.length) {
            ids[n] = id;
            return n + 1;
        }
        return n;
    }

    private int hash(String kind, String value) {
        long h = FNV_OFFSET;
        for (byte b : kind.getBytes(StandardCharsets.UTF_8)) {
            h = (h ^ (b & 0xff)) * FNV_PRIME;
        }
        h = (h ^ 0x1f) * FNV_PRIME;
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            h = (h ^ (b & 0xff)) * FNV_PRIME;
        }
        return bucket(h);
    }

    private int bucket(long h) {
        // Final avalanche (splitmix64) so low bits are well mixed before the modulo.
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        return 1 + (int) Long.remainderUnsigned(h, config.buckets() - 1L);
    }
}
