package io.cxml.bench.training;

import io.cxml.features.TrainingColumns;
import io.cxml.runtime.embedding.BaseEncoder;
import io.cxml.runtime.stages.EmbeddingStage;
import io.cxml.runtime.text.FeaturizerConfig;
import io.cxml.runtime.stages.TextClassifierStage;
import io.cxml.training.data.LabelledText;
import io.cxml.training.data.Splits;
import io.cxml.training.eval.Calibration;
import io.cxml.training.eval.Evaluator;
import io.cxml.training.eval.Metrics;
import io.cxml.training.eval.Scored;
import io.cxml.training.eval.TrainingSummary;
import io.cxml.training.text.EmbeddingHeadTrainer;
import io.cxml.training.text.HeadOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;

/**
 * The head on embeddings in {@link ModelBench}, on the same carve as the hashed model and the baseline, through the
 * product path: {@link EmbeddingStage} embeds every row once (train, validation and test, kept in memory), one
 * {@link EmbeddingHeadTrainer} run per reg-param fits a head on the train rows, each head scores the validation rows
 * through a {@link TextClassifierStage} reading the embedding column, the reg-param with the best validation accuracy
 * (ties: lower validation log loss, then the earlier in the list) is kept, its temperature is fitted on validation,
 * and only that head scores the test rows, once.
 */
final class HeadEvaluation {
    private static final String PROBABILITIES = "head_probabilities";

    private HeadEvaluation() {}

    /**
     * @param folder the base encoder's Hugging Face folder
     * @param regParams reg-params to try (chosen by validation accuracy)
     * @param maxIter most L-BFGS iterations
     * @param tol relative tolerance
     * @param maxTokens most tokens per text
     * @param batchSize texts per encoder call
     * @param ngramBuckets a hybrid head's n-gram buckets (the default featurizer's n-grams), 0 for the vector alone
     * @param ngramRegParam the n-gram block's L2 strength
     */
    record Settings(String folder, List<Double> regParams, int maxIter, double tol, int maxTokens, int batchSize,
            int ngramBuckets, double ngramRegParam) {
        static Settings fromSystemProperties(String folder) {
            return new Settings(folder, HeadEvaluation.regParams(System.getProperty("bench.headReg", "0.001")),
                    Integer.getInteger("bench.headMaxIter", 200),
                    Double.parseDouble(System.getProperty("bench.headTol", "1e-6")),
                    Integer.getInteger("bench.maxTokens", 128), Integer.getInteger("bench.headBatch", 256),
                    Integer.getInteger("bench.headNgramBuckets", 0),
                    Double.parseDouble(System.getProperty("bench.headNgramReg", "1e-4")));
        }

        HeadOptions options(BaseEncoder base, double reg) {
            FeaturizerConfig d = FeaturizerConfig.DEFAULT;
            return new HeadOptions(base, reg, maxIter, tol, batchSize, HeadOptions.DEFAULT_OOS_QUANTILE,
                    ngramBuckets == 0 ? null : new FeaturizerConfig(ngramBuckets, d.wordNgrams(), d.charMinN(),
                            d.charMaxN(), d.maxFeatures()), ngramRegParam);
        }
    }

    /**
     * One reg-param's head on the validation rows.
     *
     * @param regParam L2 strength
     * @param validationAccuracy accuracy on the validation rows (temperature 1)
     * @param validationLogLoss mean log loss on the validation rows (temperature 1)
     * @param trainSeconds wall seconds of {@link EmbeddingHeadTrainer#train} (shuffle to one task, fit, write)
     * @param fitSeconds seconds inside the task
     */
    record Tuning(double regParam, double validationAccuracy, double validationLogLoss, double trainSeconds,
            double fitSeconds) {}

    /**
     * @param metrics the chosen head on the test rows (temperature fitted on validation)
     * @param chosen the chosen reg-param's tuning row
     * @param tuning every reg-param tried, in order
     * @param encoder the base encoder
     * @param embeddedRows rows embedded (train + validation + test)
     * @param embeddingSeconds wall seconds of embedding them (local Spark, cached)
     * @param truncated texts longer than the token limit
     * @param master the Spark master
     * @param scoringRowsPerSecond test rows scored per second by the head alone (pre-embedded rows)
     */
    record Result(Metrics metrics, Tuning chosen, List<Tuning> tuning, BaseEncoder encoder, long embeddedRows,
            double embeddingSeconds, long truncated, String master, double scoringRowsPerSecond) {
        Map<String, Object> json(Settings settings) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("encoder", encoder.toString());
            m.put("regParam", chosen.regParam());
            m.put("maxIter", settings.maxIter());
            m.put("tol", settings.tol());
            m.put("maxTokens", encoder.maxTokens());
            m.put("validationAccuracy", chosen.validationAccuracy());
            List<Map<String, Object>> rows = new ArrayList<>();
            for (Tuning t : tuning) {
                Map<String, Object> r = new LinkedHashMap<>();
                r.put("regParam", t.regParam());
                r.put("validationAccuracy", t.validationAccuracy());
                r.put("validationLogLoss", t.validationLogLoss());
                r.put("trainSeconds", t.trainSeconds());
                r.put("fitSeconds", t.fitSeconds());
                rows.add(r);
            }
            m.put("tuning", rows);
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("master", master);
            e.put("rows", embeddedRows);
            e.put("seconds", embeddingSeconds);
            e.put("rowsPerSecond", embeddedRows / Math.max(embeddingSeconds, 1e-9));
            e.put("truncated", truncated);
            m.put("embedding", e);
            m.put("scoringRowsPerSecond", scoringRowsPerSecond);
            return m;
        }
    }

    static List<Double> regParams(String spec) {
        List<Double> out = Arrays.stream(spec.split(",")).map(String::trim).filter(s -> !s.isEmpty())
                .map(Double::parseDouble).distinct().toList();
        if (out.isEmpty() || out.stream().anyMatch(r -> !(r >= 0))) {
            throw new IllegalArgumentException("Cannot tune the head over reg-params '" + spec + "': give one or more "
                    + "comma-separated values >= 0, e.g. -Dbench.headReg=1e-4,1e-3,1e-2");
        }
        return out;
    }

    /** Best validation accuracy; ties: lower validation log loss, then the earlier one. */
    static Tuning choose(List<Tuning> tuning) {
        Tuning best = tuning.get(0);
        for (Tuning t : tuning.subList(1, tuning.size())) {
            if (t.validationAccuracy() > best.validationAccuracy()
                    || (t.validationAccuracy() == best.validationAccuracy()
                            && t.validationLogLoss() < best.validationLogLoss())) {
                best = t;
            }
        }
        return best;
    }

    static Result run(SparkSession spark, Splits.Parts parts, List<String> labels, Settings settings, Path work) {
        BaseEncoder base = BaseEncoder.open(settings.folder(), settings.maxTokens(), Map.of());
        String col = EmbeddingStage.columnFor(base);
        List<Row> rows = new ArrayList<>();
        addRows(rows, parts.train(), TrainingColumns.TRAIN);
        addRows(rows, parts.validation(), TrainingColumns.VALIDATION);
        addRows(rows, parts.test(), TrainingColumns.TEST);
        StructType schema = new StructType().add(TrainingColumns.ROW_ID, DataTypes.LongType)
                .add(TrainingColumns.TEXT, DataTypes.StringType).add(TrainingColumns.LABEL, DataTypes.StringType)
                .add(TrainingColumns.SPLIT, DataTypes.StringType);
        int partitions = spark.sparkContext().defaultParallelism();
        Dataset<Row> frame = spark.createDataFrame(rows, schema).repartition(partitions);
        EmbeddingStage embed = new EmbeddingStage().setInputCol(TrainingColumns.TEXT).setEncoder(base)
                .setOutputPrefix(col).setBatchSize(settings.batchSize());
        EmbeddingStage.Counts counts = embed.countWith(spark.sparkContext());
        long start = System.nanoTime();
        Dataset<Row> embedded = embed.transform(frame).persist(StorageLevel.MEMORY_AND_DISK());
        long embeddedRows = embedded.count();
        double embeddingSeconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("head: embedded %d rows with %s in %.1f s (%.1f rows/s, %s, %d truncated)%n", embeddedRows,
                base, embeddingSeconds, embeddedRows / embeddingSeconds, spark.sparkContext().master(),
                counts.truncated().value());

        Dataset<Row> validationRows = embedded.where(functions.col(TrainingColumns.SPLIT)
                .equalTo(TrainingColumns.VALIDATION));
        int[] validationGold = Evaluator.goldIndexes(labels, parts.validation().stream().map(LabelledText::label)
                .toList());
        long validationOffset = parts.train().size();
        List<Tuning> tuning = new ArrayList<>();
        List<String> uris = new ArrayList<>();
        List<float[][]> validationProbs = new ArrayList<>();
        for (int i = 0; i < settings.regParams().size(); i++) {
            double reg = settings.regParams().get(i);
            String uri = work.resolve("head-" + i).toAbsolutePath().toString();
            long t0 = System.nanoTime();
            TrainingSummary summary = EmbeddingHeadTrainer.train(embedded, col, labels, settings.options(base, reg),
                    uri, spark.sparkContext().hadoopConfiguration());
            double trainSeconds = (System.nanoTime() - t0) / 1e9;
            float[][] valid = score(validationRows, uri, validationOffset, parts.validation().size());
            Tuning t = new Tuning(reg, accuracy(valid, validationGold), logLoss(valid, validationGold), trainSeconds,
                    summary.seconds());
            System.out.printf("head: reg-param %-7g validation accuracy %.4f  log-loss %.4f  train %.1f s (fit %.1f s)"
                    + "%n", reg, t.validationAccuracy(), t.validationLogLoss(), t.trainSeconds(), t.fitSeconds());
            tuning.add(t);
            uris.add(uri);
            validationProbs.add(valid);
        }
        Tuning chosen = choose(tuning);
        int c = tuning.indexOf(chosen);
        double temperature = Calibration.fitTemperature(validationProbs.get(c), validationGold);
        Dataset<Row> testRows = embedded.where(functions.col(TrainingColumns.SPLIT).equalTo(TrainingColumns.TEST));
        long scoringStart = System.nanoTime();
        float[][] test = score(testRows, uris.get(c), validationOffset + parts.validation().size(),
                parts.test().size());
        double scoringRowsPerSecond = parts.test().size() / ((System.nanoTime() - scoringStart) / 1e9);
        List<LabelledText> t = parts.test();
        Metrics metrics = Evaluator.evaluate(new Scored(labels, t.stream().map(LabelledText::label).toList(), test,
                t.stream().map(LabelledText::language).toList(), t.stream().map(LabelledText::tenant).toList()),
                temperature, 0.5);
        embedded.unpersist();
        return new Result(metrics, chosen, tuning, base, embeddedRows, embeddingSeconds, counts.truncated().value(),
                spark.sparkContext().master(), scoringRowsPerSecond);
    }

    private static void addRows(List<Row> rows, List<LabelledText> examples, String split) {
        for (LabelledText e : examples) {
            rows.add(RowFactory.create((long) rows.size(), e.text(), e.label(), split));
        }
    }

    /** Probabilities at temperature 1 of rows {@code offset .. offset + n - 1}, by row id. */
    private static float[][] score(Dataset<Row> rows, String uri, long offset, int n) {
        TextClassifierStage stage = new TextClassifierStage().setInputCol(TrainingColumns.TEXT).setModelUri(uri)
                .setModelLabel("head").setOutputPrefix("head").setCalibrated(false)
                .setProbabilitiesCol(PROBABILITIES);
        float[][] out = new float[n][];
        for (Row r : stage.transform(rows).select(TrainingColumns.ROW_ID, PROBABILITIES).collectAsList()) {
            List<Float> p = r.getList(1);
            float[] v = new float[p.size()];
            for (int i = 0; i < v.length; i++) {
                v[i] = p.get(i);
            }
            out[(int) (r.getLong(0) - offset)] = v;
        }
        for (int i = 0; i < n; i++) {
            if (out[i] == null) {
                throw new IllegalStateException("The head scored no probabilities for row " + (offset + i)
                        + " (an empty text?)");
            }
        }
        return out;
    }

    static double accuracy(float[][] probs, int[] gold) {
        int correct = 0;
        for (int i = 0; i < probs.length; i++) {
            correct += argmax(probs[i]) == gold[i] ? 1 : 0;
        }
        return probs.length == 0 ? Double.NaN : correct / (double) probs.length;
    }

    static double logLoss(float[][] probs, int[] gold) {
        double sum = 0;
        for (int i = 0; i < probs.length; i++) {
            sum -= Math.log(Math.max(gold[i] < 0 ? 0 : probs[i][gold[i]], 1e-12));
        }
        return probs.length == 0 ? Double.NaN : sum / probs.length;
    }

    private static int argmax(float[] p) {
        int best = 0;
        for (int c = 1; c < p.length; c++) {
            best = p[c] > p[best] ? c : best;
        }
        return best;
    }
}
