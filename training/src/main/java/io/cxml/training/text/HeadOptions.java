package io.cxml.training.text;

import io.cxml.runtime.embedding.BaseEncoder;
import io.cxml.runtime.text.FeaturizerConfig;
import java.io.Serializable;
import java.util.List;
import java.util.Objects;

/**
 * Settings of a head on a frozen base encoder's embeddings ({@link EmbeddingHeadTrainer}): the encoder, the
 * softmax regression's L2 strengths, iterations and tolerance (the solver of the TF-IDF baseline, here on dense
 * vectors), and for a hybrid head the hashed n-grams of the text beside the vector. Where a strength lists several
 * values, the trainer fits one head per combination and keeps the best on the validation rows.
 *
 * @param encoder the base encoder (opened on the driver: its checksum is the head's base identity)
 * @param regParams L2 strengths on the standardized coefficients to choose from (one or more)
 * @param maxIter most L-BFGS iterations
 * @param tol stop when the objective improves by less than this, relatively
 * @param embeddingBatchSize rows per encoder call inside a task
 * @param oosQuantile share of in-scope validation tickets kept in scope: the version's confidence threshold is
 *     at least the calibrated confidence of that quantile of them
 * @param ngrams the featurizer of the hybrid head's n-gram block, or null for a head on the vector alone
 * @param ngramRegParams L2 strengths on the n-gram block's coefficients to choose from (its features are
 *     unit-length per text); ignored without {@code ngrams}
 */
public record HeadOptions(BaseEncoder encoder, List<Double> regParams, int maxIter, double tol,
        int embeddingBatchSize, double oosQuantile, FeaturizerConfig ngrams, List<Double> ngramRegParams)
        implements Serializable {
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

    /**
     * One strength per block (nothing to choose).
     *
     * @param encoder the base encoder
     * @param regParam L2 strength on the vector's coefficients
     * @param maxIter most L-BFGS iterations
     * @param tol relative tolerance
     * @param embeddingBatchSize rows per encoder call
     * @param oosQuantile see {@link #oosQuantile()}
     * @param ngrams the hybrid head's n-gram featurizer, or null
     * @param ngramRegParam L2 strength on the n-gram block's coefficients
     */
    public HeadOptions(BaseEncoder encoder, double regParam, int maxIter, double tol, int embeddingBatchSize,
            double oosQuantile, FeaturizerConfig ngrams, double ngramRegParam) {
        this(encoder, List.of(regParam), maxIter, tol, embeddingBatchSize, oosQuantile, ngrams,
                List.of(ngramRegParam));
    }

    /** Validates. */
    public HeadOptions {
        Objects.requireNonNull(encoder, "encoder");
        if (!(oosQuantile > 0 && oosQuantile <= 1)) {
            throw new IllegalArgumentException("Cannot calibrate out-of-scope detection at quantile " + oosQuantile
                    + ": use a value in (0, 1] (0.95 rejects about 5% of in-scope tickets)");
        }
        regParams = List.copyOf(regParams);
        ngramRegParams = List.copyOf(ngramRegParams);
        if (ngramRegParams.isEmpty() || !ngramRegParams.stream().allMatch(r -> r >= 0)) {
            throw new IllegalArgumentException("Cannot train a hybrid head with n-gram reg-params " + ngramRegParams
                    + ": give one or more values >= 0");
        }
        if (regParams.isEmpty() || !regParams.stream().allMatch(r -> r >= 0) || maxIter < 1 || !(tol > 0)
                || embeddingBatchSize < 1) {
            throw new IllegalArgumentException("Cannot train a head with reg-params " + regParams + ", max-iter "
                    + maxIter + ", tol " + tol + ", batch size " + embeddingBatchSize
                    + ": use one or more reg-params >= 0, max-iter >= 1, tol > 0 and batch size >= 1");
        }
    }
}
