package io.cxml.assist.eval;

import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.feature.HashingTF;
import org.apache.spark.ml.feature.IDF;
import org.apache.spark.ml.feature.RegexTokenizer;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;

/**
 * The retrieval baseline: TF-IDF of lowercased word unigrams, hashed into {@code 2^bits} dimensions, with document
 * frequencies fitted on the candidates, as dense float vectors for the same exact search (cosine).
 */
public final class TfIdfVectors {
    private static final String TOKENS = "_tokens";
    private static final String TF = "_tf";
    private static final String TFIDF = "_tfidf";
    private final PipelineModel model;

    private TfIdfVectors(PipelineModel model) {
        this.model = model;
    }

    /**
     * @param corpus the candidate texts
     * @param textCol their column
     * @param bits log2 of the hashed dimensions
     * @return the fitted vectorizer
     */
    public static TfIdfVectors fit(Dataset<Row> corpus, String textCol, int bits) {
        RegexTokenizer tokens = new RegexTokenizer().setInputCol(textCol).setOutputCol(TOKENS)
                .setPattern("[\\s\\p{Punct}]+").setToLowercase(true);
        HashingTF tf = new HashingTF().setInputCol(TOKENS).setOutputCol(TF).setNumFeatures(1 << bits);
        IDF idf = new IDF().setInputCol(TF).setOutputCol(TFIDF);
        return new TfIdfVectors(new Pipeline().setStages(new PipelineStage[] {tokens, tf, idf}).fit(corpus));
    }

    /**
     * @param rows rows with the text column
     * @param vectorCol the column to add (array of float)
     * @return the rows with their TF-IDF vector
     */
    public Dataset<Row> transform(Dataset<Row> rows, String vectorCol) {
        UDF1<Vector, float[]> dense = v -> {
            double[] d = v.toArray();
            float[] out = new float[d.length];
            for (int i = 0; i < d.length; i++) {
                out[i] = (float) d[i];
            }
            return out;
        };
        return model.transform(rows).withColumn(vectorCol, functions.udf(dense,
                DataTypes.createArrayType(DataTypes.FloatType)).apply(functions.col(TFIDF))).drop(TOKENS, TF, TFIDF);
    }
}
