package io.cxml.training.baseline;

import io.cxml.features.TrainingColumns;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.classification.LogisticRegression;
import org.apache.spark.ml.feature.HashingTF;
import org.apache.spark.ml.feature.IDF;
import org.apache.spark.ml.feature.IDFModel;
import org.apache.spark.ml.feature.NGram;
import org.apache.spark.ml.feature.Normalizer;
import org.apache.spark.ml.feature.RegexTokenizer;
import org.apache.spark.ml.feature.SQLTransformer;
import org.apache.spark.ml.feature.StringIndexer;
import org.apache.spark.ml.feature.StringIndexerModel;
import org.apache.spark.ml.feature.VectorSlicer;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The baseline: Unicode word tokens and bigrams hashed together into one term-frequency vector, IDF, then only the
 * features seen in the training rows (a {@link VectorSlicer} over the IDF's document frequencies, so the
 * regression's dense coefficients are labels x seen features, not labels x 2^18), optionally each vector scaled to
 * unit L2 norm, multinomial logistic regression.
 * Fitted on the same training rows as the DJL model and scored on the same test rows. Settings:
 * {@link BaselineSettings}.
 */
public final class TfidfLogisticRegression {
    private static final Logger LOG = LoggerFactory.getLogger(TfidfLogisticRegression.class);
    private static final String WORDS = "bl_words";
    private static final String BIGRAMS = "bl_bigrams";
    private static final String TERMS = "bl_terms";
    private static final String TF = "bl_tf";
    private static final String TFIDF = "bl_tfidf";
    private static final String SEEN = "bl_seen";
    private static final String FEATURES = "bl_features";
    private static final String LABEL_INDEX = "bl_label";
    private static final String PROBABILITY = "bl_probability";
    private static final String GOLD = "bl_gold";

    private final BaselineSettings settings;

    /**
     * @param settings the settings
     */
    public TfidfLogisticRegression(BaselineSettings settings) {
        this.settings = java.util.Objects.requireNonNull(settings, "settings");
    }

    /** @return the baseline with the tuned defaults ({@link BaselineSettings#DEFAULT}) */
    public static TfidfLogisticRegression defaults() {
        return new TfidfLogisticRegression(BaselineSettings.DEFAULT);
    }

    /** @return its settings */
    public BaselineSettings settings() {
        return settings;
    }

    /** Column of {@link Fitted#transform}'s output: probabilities (array of float) in the caller's label order. */
    public static final String PROBABILITIES = "bl_probabilities";

    /**
     * Fits on {@code train} (columns {@link TrainingColumns#TEXT}, {@link TrainingColumns#LABEL}).
     *
     * @param input training rows
     * @return the fitted baseline
     */
    public Fitted fit(Dataset<Row> input) {
        // Few partitions: the IDF's fit merges one dense 2^18 document-frequency vector per partition, and a
        // day-partitioned table brings 30+ of them.
        int slots = input.sparkSession().sparkContext().defaultParallelism();
        Dataset<Row> train = input.rdd().getNumPartitions() > slots ? input.coalesce(slots) : input;
        PipelineModel tfidf = new Pipeline().setStages(new PipelineStage[] {
            new RegexTokenizer().setInputCol(TrainingColumns.TEXT).setOutputCol(WORDS)
                    .setPattern("[^\\p{L}\\p{M}\\p{N}]+").setToLowercase(true),
            new NGram().setN(2).setInputCol(WORDS).setOutputCol(BIGRAMS),
            new SQLTransformer().setStatement("SELECT *, concat(" + WORDS + ", " + BIGRAMS + ") AS " + TERMS
                    + " FROM __THIS__"),
            new HashingTF().setInputCol(TERMS).setOutputCol(TF).setNumFeatures(settings.features()),
            new IDF().setInputCol(TF).setOutputCol(TFIDF).setMinDocFreq(settings.minDocFreq())}).fit(train);
        long[] docFreq = ((IDFModel) tfidf.stages()[tfidf.stages().length - 1]).docFreq();
        int floor = Math.max(1, settings.minDocFreq());
        int[] seen = IntStream.range(0, docFreq.length).filter(i -> docFreq[i] >= floor).toArray();
        if (seen.length == 0) {
            throw new IllegalArgumentException("Cannot fit the baseline: no word occurs in at least " + floor
                    + " training texts. Lower cxml.training.baseline.min-doc-freq or check the texts");
        }
        LOG.info("baseline: {} of {} hashed features occur in the training texts", seen.length, docFreq.length);
        StringIndexerModel indexer = new StringIndexer().setInputCol(TrainingColumns.LABEL)
                .setOutputCol(LABEL_INDEX).setHandleInvalid("keep").fit(train);
        // L2 (the default) is fitted inside one Spark task; MLlib's distributed OWL-QN only when L1 is asked for.
        PipelineStage lr = settings.elasticNet() == 0
                ? new SingleTaskLogisticRegression(FEATURES, LABEL_INDEX, PROBABILITY, settings.regParam(),
                        settings.maxIter(), settings.tol(), settings.standardization())
                : new LogisticRegression().setFeaturesCol(FEATURES).setLabelCol(LABEL_INDEX)
                        .setProbabilityCol(PROBABILITY).setFamily("multinomial").setMaxIter(settings.maxIter())
                        .setRegParam(settings.regParam()).setElasticNetParam(settings.elasticNet())
                        .setTol(settings.tol()).setStandardization(settings.standardization());
        List<PipelineStage> stages = new ArrayList<>(List.of(tfidf, new VectorSlicer().setInputCol(TFIDF)
                .setOutputCol(settings.normalize() ? SEEN : FEATURES).setIndices(seen)));
        if (settings.normalize()) {
            stages.add(new Normalizer().setP(2).setInputCol(SEEN).setOutputCol(FEATURES));
        }
        stages.add(indexer);
        stages.add(lr);
        return new Fitted(new Pipeline().setStages(stages.toArray(new PipelineStage[0])).fit(train));
    }

    /**
     * Fits and returns, for each row of {@code test} ordered by {@link TrainingColumns#ROW_ID}, the probability of
     * each of {@code labels}: {@link Fitted#transform} collected to the driver, for benchmarks on small sets.
     *
     * @param train training rows
     * @param test test rows (must have {@link TrainingColumns#ROW_ID})
     * @param labels label order of the returned vectors
     * @return probabilities per test row
     */
    public float[][] fitAndPredict(Dataset<Row> train, Dataset<Row> test, List<String> labels) {
        List<Row> rows = fit(train).transform(test, labels).select(TrainingColumns.ROW_ID, PROBABILITIES)
                .orderBy(TrainingColumns.ROW_ID).collectAsList();
        float[][] out = new float[rows.size()][];
        for (int r = 0; r < rows.size(); r++) {
            List<Float> p = rows.get(r).getList(1);
            out[r] = new float[p.size()];
            for (int i = 0; i < p.size(); i++) {
                out[r][i] = p.get(i);
            }
        }
        return out;
    }

    /** A fitted baseline: scores on the executors, saves to and loads from any Hadoop path (the registry). */
    public static final class Fitted {
        private final PipelineModel model;

        private Fitted(PipelineModel model) {
            this.model = model;
        }

        /**
         * @param uri a directory URI (local or {@code s3a://})
         * @return the baseline saved there
         */
        public static Fitted load(String uri) {
            return new Fitted(PipelineModel.load(uri));
        }

        /**
         * @param uri a directory URI that does not exist yet
         * @throws java.io.IOException when it cannot be written
         */
        public void save(String uri) throws java.io.IOException {
            model.write().save(uri);
        }

        /**
         * Scores rows on the executors: they come back with {@link #PROBABILITIES}, the probability of each of
         * {@code labels} (labels the baseline never saw get probability 0). Nothing per row reaches the driver.
         *
         * @param scoring rows with {@link TrainingColumns#TEXT}
         * @param labels label order of the returned vectors
         * @return the rows with {@link #PROBABILITIES}
         */
        public Dataset<Row> transform(Dataset<Row> scoring, List<String> labels) {
            String[] seen = java.util.Arrays.stream(model.stages()).filter(StringIndexerModel.class::isInstance)
                    .map(StringIndexerModel.class::cast).findFirst().orElseThrow(() -> new IllegalStateException(
                            "Cannot score with the baseline: its pipeline has no label indexer")).labelsArray()[0];
            Map<String, Integer> target = new HashMap<>();
            for (int i = 0; i < labels.size(); i++) {
                target.put(labels.get(i), i);
            }
            int[] position = new int[seen.length];
            for (int i = 0; i < seen.length; i++) {
                position[i] = target.getOrDefault(seen[i], -1);
            }
            int width = labels.size();
            UserDefinedFunction mapped = functions.udf((UDF1<Vector, float[]>) p -> {
                float[] out = new float[width];
                for (int i = 0; i < position.length && i < p.size(); i++) {
                    if (position[i] >= 0) {
                        out[position[i]] = (float) p.apply(i);
                    }
                }
                return out;
            }, DataTypes.createArrayType(DataTypes.FloatType, false));
            String[] keep = scoring.columns();
            boolean hasLabel = java.util.Arrays.asList(keep).contains(TrainingColumns.LABEL);
            Dataset<Row> input = hasLabel ? scoring.withColumnRenamed(TrainingColumns.LABEL, GOLD) : scoring;
            Dataset<Row> scored = model.transform(input.withColumn(TrainingColumns.LABEL, functions.lit(seen[0])));
            List<Column> out = new ArrayList<>();
            for (String c : keep) {
                out.add(functions.col(c.equals(TrainingColumns.LABEL) ? GOLD : c).as(c));
            }
            out.add(mapped.apply(functions.col(PROBABILITY)).as(PROBABILITIES));
            return scored.select(out.toArray(new Column[0]));
        }
    }
}
