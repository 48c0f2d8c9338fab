package io.cxml.runtime.text;

/**
 * Turns one text into the integer ids an encoder reads. Implementations are pure, thread-safe and serializable, and
 * the same instance (rebuilt from the model's saved config) is used at training and at inference.
 */
public interface TextFeaturizer {
    /**
     * @param text the text (null is treated as empty)
     * @return the ids, at least one, each in {@code [1, vocabularySize())}; 0 is the padding id
     */
    int[] featurize(String text);

    /** @return the number of distinct ids, padding included */
    int vocabularySize();
}
