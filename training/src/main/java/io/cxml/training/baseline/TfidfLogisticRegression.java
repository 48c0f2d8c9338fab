package io.cxml.training.baseline;

import io.cxml.training.data.TrainingColumns;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.classification.LogisticRegression;
import org.apache.spark.ml.feature.HashingTF;
import org.apache.spark.ml.feature.IDF;
import org.apache.spark.ml.feature.NGram;
import org.apache.spark.ml.feature.RegexTokenizer;
import org.apache.spark.ml.feature.StringIndexer;
import org.apache.spark.ml.feature.StringIndexerModel;
import org.apache.spark.ml.feature.SQLTransformer;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;

/**
 * The baseline: Unicode word tokens and bigrams hashed together into one term-frequency vector, IDF, multinomial
 * logistic regression. Fitted on the same training rows as the DJL model and scored on the same test rows.
 */
public final class TfidfLogisticRegression {
    private static final String WORDS = "bl_words";
    private static final String BIGRAMS = "bl_bigrams";
    private static final String TERMS = "bl_terms";
    private static final String TF = "bl_tf";
    private static final String FEATURES = "bl_features";
    private static final String LABEL_INDEX = "bl_label";
    private static final String PROBABILITY = "bl_probability";

    /** Default number of hashed features. */
    public static final int DEFAULT_FEATURES = 1 << 16;

    private final int numFeatures;
    private final int maxIter;
    private final double regParam;

    /**
     * @param numFeatures hashed features (words and bigrams share them, e.g. 2^18)
     * @param maxIter logistic-regression iterations
     * @param regParam L2 regularization
     */
    public TfidfLogisticRegression(int numFeatures, int maxIter, double regParam) {
        this.numFeatures = numFeatures;
        this.maxIter = maxIter;
        this.regParam = regParam;
    }

    /** @return the default baseline (2^16 features, 100 iterations, regParam 1e-4) */
    public static TfidfLogisticRegression defaults() {
        return new TfidfLogisticRegression(DEFAULT_FEATURES, 100, 1e-4);
    }

    /**
     * Fits on {@code train} (columns {@link TrainingColumns#TEXT}, {@link TrainingColumns#LABEL}) and returns, for each
     * row of {@code test} ordered by {@link TrainingColumns#ROW_ID}, the probability of each of {@code labels}.
     *
     * @param train training rows
     * @param test test rows (must have {@link TrainingColumns#ROW_ID})
     * @param labels label order of the returned vectors (labels the baseline never saw get probability 0)
     * @return probabilities per test row
     */
    public float[][] fitAndPredict(Dataset<Row> train, Dataset<Row> test, List<String> labels) {
        StringIndexerModel indexer = new StringIndexer().setInputCol(TrainingColumns.LABEL)
                .setOutputCol(LABEL_INDEX).setHandleInvalid("keep").fit(train);
        List<PipelineStage> stages = new ArrayList<>(List.of(
                new RegexTokenizer().setInputCol(TrainingColumns.TEXT).setOutputCol(WORDS)
                        .setPattern("[^\\p{L}\\p{M}\\p{N}]+").setToLowercase(true),
                new NGram().setN(2).setInputCol(WORDS).setOutputCol(BIGRAMS),
                new SQLTransformer().setStatement("SELECT *, concat(" + WORDS + ", " + BIGRAMS + ") AS " + TERMS
                        + " FROM __THIS__"),
                new HashingTF().setInputCol(TERMS).setOutputCol(TF).setNumFeatures(numFeatures),
                new IDF().setInputCol(TF).setOutputCol(FEATURES),
                indexer,
                new LogisticRegression().setFeaturesCol(FEATURES).setLabelCol(LABEL_INDEX)
                        .setProbabilityCol(PROBABILITY).setFamily("multinomial").setMaxIter(maxIter)
                        .setRegParam(regParam)));
        PipelineModel model = new Pipeline().setStages(stages.toArray(new PipelineStage[0])).fit(train);
        String[] seen = indexer.labelsArray()[0];
        Map<String, Integer> target = new HashMap<>();
        for (int i = 0; i < labels.size(); i++) {
            target.put(labels.get(i), i);
        }
        List<Row> rows = model.transform(test.withColumn(TrainingColumns.LABEL, functions.lit(seen[0])))
                .select(TrainingColumns.ROW_ID, PROBABILITY).orderBy(TrainingColumns.ROW_ID).collectAsList();
        float[][] out = new float[rows.size()][];
        for (int r = 0; r < rows.size(); r++) {
            Vector p = rows.get(r).getAs(PROBABILITY);
            float[] mapped = new float[labels.size()];
            for (int i = 0; i < seen.length && i < p.size(); i++) {
                Integer t = target.get(seen[i]);
                if (t != null) {
                    mapped[t] = (float) p.apply(i);
                }
            }
            out[r] = mapped;
        }
        return out;
    }
}
