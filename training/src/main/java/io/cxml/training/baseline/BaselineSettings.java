package io.cxml.training.baseline;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Settings of the TF-IDF + logistic-regression baseline ({@link TfidfLogisticRegression}); the defaults are the ones
 * tuned on a validation carve of BANKING77's training data (docs/models.md, {@code scripts/bench-baseline.sh}).
 *
 * @param features hashed features shared by word unigrams and bigrams (e.g. 2^18); only the features that occur in
 *     the training rows reach the regression, so its coefficients stay small
 * @param minDocFreq features in fewer training documents are dropped (1 keeps every feature seen)
 * @param normalize whether each text's TF-IDF vector is scaled to unit L2 norm (as scikit-learn's
 *     {@code TfidfVectorizer} does), so long and short texts weigh the same
 * @param regParam regularization strength
 * @param elasticNet elastic-net mixing: 0 = L2 (L-BFGS), above 0 adds L1 (OWL-QN)
 * @param maxIter most optimizer iterations
 * @param tol convergence tolerance of the optimizer
 * @param standardization whether the regression standardizes features before fitting (MLlib's default is true;
 *     TF-IDF features are already on one scale)
 */
public record BaselineSettings(int features, int minDocFreq, boolean normalize, double regParam, double elasticNet, int maxIter,
        double tol, boolean standardization) {
    /** The tuned defaults (also in {@code conf/application.conf}, {@code cxml.training.baseline}). */
    public static final BaselineSettings DEFAULT = new BaselineSettings(1 << 18, 2, false, 1e-3, 0, 25, 1e-6, false);

    /** Checks the ranges. */
    public BaselineSettings {
        if (features < 1 || minDocFreq < 0 || regParam < 0 || elasticNet < 0 || elasticNet > 1 || maxIter < 1
                || tol <= 0) {
            throw new IllegalArgumentException("Cannot fit the baseline with " + this + ": features >= 1, "
                    + "min-doc-freq >= 0, reg-param >= 0, elastic-net in [0, 1], max-iter >= 1 and tol > 0");
        }
    }

    /**
     * @param n hashed features
     * @return a copy with {@code n} features
     */
    public BaselineSettings withFeatures(int n) {
        return new BaselineSettings(n, minDocFreq, normalize, regParam, elasticNet, maxIter, tol, standardization);
    }

    /**
     * @param reg regularization strength
     * @param standardize whether to standardize
     * @return a copy with those settings
     */
    public BaselineSettings withRegularization(double reg, boolean standardize) {
        return new BaselineSettings(features, minDocFreq, normalize, reg, elasticNet, maxIter, tol, standardize);
    }

    /**
     * @param minDf the document-frequency floor
     * @return a copy with it
     */
    public BaselineSettings withMinDocFreq(int minDf) {
        return new BaselineSettings(features, minDf, normalize, regParam, elasticNet, maxIter, tol, standardization);
    }

    /**
     * @param l2 whether to scale each text's vector to unit L2 norm
     * @return a copy with it
     */
    public BaselineSettings withNormalize(boolean l2) {
        return new BaselineSettings(features, minDocFreq, l2, regParam, elasticNet, maxIter, tol, standardization);
    }

    /** @return the settings as manifest / report parameters (key -> value) */
    public Map<String, String> params() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("baselineFeatures", String.valueOf(features));
        p.put("baselineMinDocFreq", String.valueOf(minDocFreq));
        p.put("baselineNormalize", String.valueOf(normalize));
        p.put("baselineRegParam", String.valueOf(regParam));
        p.put("baselineElasticNet", String.valueOf(elasticNet));
        p.put("baselineMaxIter", String.valueOf(maxIter));
        p.put("baselineTol", String.valueOf(tol));
        p.put("baselineStandardization", String.valueOf(standardization));
        return p;
    }

    /** @return a one-line description for reports */
    public String describe() {
        return "word 1-2-gram TF-IDF, " + features + " hashed features (min doc freq " + minDocFreq
                + (normalize ? ", L2-normalized" : "") + "), "
                + "multinomial logistic regression (" + (elasticNet == 0 ? "L2, L-BFGS" : "elastic net " + elasticNet
                + ", OWL-QN") + ", reg " + regParam + ", " + maxIter + " iterations max, tol " + tol
                + (standardization ? ", standardized" : ", not standardized") + ")";
    }
}
