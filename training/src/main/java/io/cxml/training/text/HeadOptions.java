package io.cxml.training.text;

import io.cxml.runtime.embedding.BaseEncoder;
import io.cxml.runtime.text.FeaturizerConfig;
import java.io.Serializable;
import java.util.Objects;

/**
 * Settings of a head on a frozen base encoder's embeddings ({@link EmbeddingHeadTrainer}): the encoder, the
 * softmax regression's L2 strength, iterations and tolerance (the solver of the TF-IDF baseline, here on dense
 * vectors), and for a hybrid head the hashed n-grams of the text beside the vector.
 *
 * @param encoder the base encoder (opened on the driver: its checksum is the head's base identity)
 * @param regParam L2 strength on the standardized coefficients
 * @param maxIter most L-BFGS iterations
 * @param tol stop when the objective improves by less than this, relatively
 * @param embeddingBatchSize rows per encoder call inside a task
 * @param oosQuantile share of in-scope validation tickets kept in scope: the version's confidence threshold is
 *     at least the calibrated confidence of that quantile of them
 * @param ngrams the featurizer of the hybrid head's n-gram block, or null for a head on the vector alone
 * @param ngramRegParam L2 strength on the n-gram block's coefficients (its features are unit-length per text)
 */
public record HeadOptions(BaseEncoder encoder, double regParam, int maxIter, double tol, int embeddingBatchSize,
        double oosQuantile, FeaturizerConfig ngrams, double ngramRegParam) implements Serializable {
    /** The default quantile of {@link #oosQuantile()}. */
    public static final double DEFAULT_OOS_QUANTILE = 0.95;

    /**
     * A head on the vector alone, with the default out-of-scope quantile.
     *
     * @param encoder the base encoder
     * @param regParam L2 strength
     * @param maxIter most L-BFGS iterations
     * @param tol relative tolerance
     * @param embeddingBatchSize rows per encoder call
     */
    public HeadOptions(BaseEncoder encoder, double regParam, int maxIter, double tol, int embeddingBatchSize) {
        this(encoder, regParam, maxIter, tol, embeddingBatchSize, DEFAULT_OOS_QUANTILE, null, 0);
    }

    /** Validates. */
    public HeadOptions {
        Objects.requireNonNull(encoder, "encoder");
        if (!(oosQuantile > 0 && oosQuantile <= 1)) {
            throw new IllegalArgumentException("Cannot calibrate out-of-scope detection at quantile " + oosQuantile
                    + ": use a value in (0, 1] (0.95 rejects about 5% of in-scope tickets)");
        }
        if (!(ngramRegParam >= 0)) {
            throw new IllegalArgumentException("Cannot train a hybrid head with n-gram reg-param " + ngramRegParam
                    + ": use a value >= 0");
        }
        if (!(regParam >= 0) || maxIter < 1 || !(tol > 0) || embeddingBatchSize < 1) {
            throw new IllegalArgumentException("Cannot train a head with reg-param " + regParam + ", max-iter "
                    + maxIter + ", tol " + tol + ", batch size " + embeddingBatchSize
                    + ": use reg-param >= 0, max-iter >= 1, tol > 0 and batch size >= 1");
        }
    }
}
