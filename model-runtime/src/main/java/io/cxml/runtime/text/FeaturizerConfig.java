package io.cxml.runtime.text;

import java.io.Serializable;

/**
 * Settings of {@link HashedNgramFeaturizer}.
 *
 * @param buckets number of hash buckets (embedding rows), at least 2; bucket 0 is padding
 * @param wordNgrams longest word n-gram (1 = words only, 2 = words and bigrams)
 * @param charMinN shortest character n-gram (ignored when {@code charMaxN} is 0)
 * @param charMaxN longest character n-gram, 0 to disable character n-grams
 * @param maxFeatures cap on the ids of one text (longer texts are truncated)
 */
public record FeaturizerConfig(int buckets, int wordNgrams, int charMinN, int charMaxN, int maxFeatures)
        implements Serializable {
    /** Default: 2^18 buckets, words and bigrams, character 3-5-grams, at most 1024 ids per text. */
    public static final FeaturizerConfig DEFAULT = new FeaturizerConfig(1 << 18, 2, 3, 5, 1024);

    /** Validates the settings. */
    public FeaturizerConfig {
        if (buckets < 2) {
            throw new IllegalArgumentException(
                    "Cannot hash text into " + buckets + " buckets: need at least 2. Set buckets to e.g. 262144");
        }
        if (wordNgrams < 1) {
            throw new IllegalArgumentException(
                    "Cannot use word n-grams of order " + wordNgrams + ": must be at least 1 (words only)");
        }
        if (charMaxN < 0 || (charMaxN > 0 && (charMinN < 1 || charMinN > charMaxN))) {
            throw new IllegalArgumentException("Cannot use character n-grams " + charMinN + "-" + charMaxN
                    + ": need 1 <= min <= max, or max = 0 to disable them");
        }
        if (maxFeatures < 1) {
            throw new IllegalArgumentException("Cannot keep " + maxFeatures + " features per text: must be >= 1");
        }
    }
}
