package io.cxml.training.text;

import io.cxml.features.TrainingColumns;
import io.cxml.runtime.embedding.EmbeddingHead;
import io.cxml.runtime.embedding.EmbeddingStore;
import io.cxml.runtime.embedding.NgramBlock;
import io.cxml.runtime.model.ClassifierSpec;
import io.cxml.runtime.model.TextClassifier;
import io.cxml.runtime.text.HashedNgramFeaturizer;
import io.cxml.training.baseline.SoftmaxRegression;
import io.cxml.training.eval.EpochStats;
import io.cxml.training.eval.ReportWriter;
import io.cxml.training.eval.TrainingSummary;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains a head on stored sentence embeddings: multinomial logistic regression (L2, L-BFGS) over the train rows'
 * vectors (and, for a hybrid head, the hashed n-grams of their texts beside them), fitted inside one Spark task,
 * which writes the version's {@code classifier.json} (temperature 1: the run calibrates it afterwards, as for every
 * text model) and {@value EmbeddingHead#PARAMS_FILE}. The rows reach the task ordered by text and label, so the same
 * data gives the same head whatever its partitioning.
 */
public final class EmbeddingHeadTrainer {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddingHeadTrainer.class);

    private EmbeddingHeadTrainer() {}

    /**
     * @param split rows with {@link TrainingColumns#SPLIT} and the embedding column (train rows are fitted,
     *     validation rows give the reported validation accuracy)
     * @param embeddingCol the column of vectors
     * @param labels output labels
     * @param options the head's settings
     * @param modelUri where the task writes the model directory
     * @param hadoop Hadoop configuration of the target file system
     * @return the summary from the task
     */
    public static TrainingSummary train(Dataset<Row> split, String embeddingCol, List<String> labels,
            HeadOptions options, String modelUri, Configuration hadoop) {
        Map<String, String> conf = new HashMap<>();
        hadoop.forEach(e -> conf.put(e.getKey(), e.getValue()));
        Dataset<Row> rows = split
                .where(functions.col(TrainingColumns.SPLIT).isin(TrainingColumns.TRAIN, TrainingColumns.VALIDATION)
                        .and(functions.col(embeddingCol).isNotNull()))
                .select(functions.col(embeddingCol), functions.col(TrainingColumns.LABEL),
                        functions.col(TrainingColumns.SPLIT), functions.col(TrainingColumns.TEXT))
                .repartition(1)
                .sortWithinPartitions(TrainingColumns.TEXT, TrainingColumns.LABEL, TrainingColumns.SPLIT);
        List<String> out = rows.mapPartitions(new FitTask(new ArrayList<>(labels), options, modelUri, conf),
                Encoders.STRING()).collectAsList();
        if (out.size() != 1) {
            throw new IllegalStateException("Cannot train the head: no training row has an embedding. Check that "
                    + "the training texts are not empty");
        }
        try {
            return ReportWriter.JSON.readValue(out.get(0), TrainingSummary.class);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the head task's summary: " + e.getMessage(), e);
        }
    }

    /** The task body; serializable, holds only plain values. */
    static final class FitTask implements MapPartitionsFunction<Row, String> {
        private static final long serialVersionUID = 1L;
        private final ArrayList<String> labels;
        private final HeadOptions options;
        private final String modelUri;
        private final Map<String, String> hadoopConf;

        FitTask(ArrayList<String> labels, HeadOptions options, String modelUri, Map<String, String> conf) {
            this.labels = labels;
            this.options = options;
            this.modelUri = modelUri;
            this.hadoopConf = new HashMap<>(conf);
        }

        @Override
        public Iterator<String> call(Iterator<Row> input) throws Exception {
            long start = System.nanoTime();
            Map<String, Integer> index = new HashMap<>();
            for (int i = 0; i < labels.size(); i++) {
                index.put(labels.get(i), i);
            }
            List<float[]> train = new ArrayList<>();
            List<String> trainTexts = new ArrayList<>();
            List<Integer> trainLabels = new ArrayList<>();
            List<float[]> validation = new ArrayList<>();
            List<String> validationTexts = new ArrayList<>();
            List<Integer> validationLabels = new ArrayList<>();
            while (input.hasNext()) {
                Row row = input.next();
                Integer label = index.get(row.getString(1));
                if (label == null) {
                    continue; // a validation label the train rows never had: it can only be wrong
                }
                float[] v = EmbeddingStore.vector(row, 0);
                boolean isTrain = TrainingColumns.TRAIN.equals(row.getString(2));
                (isTrain ? train : validation).add(v);
                (isTrain ? trainTexts : validationTexts).add(row.getString(3));
                (isTrain ? trainLabels : validationLabels).add(label);
            }
            if (train.isEmpty()) {
                return java.util.Collections.emptyIterator();
            }
            int dim = train.get(0).length;
            int[] y = trainLabels.stream().mapToInt(Integer::intValue).toArray();
            // One head per combination of strengths; the best on the validation rows is kept (accuracy, then log
            // loss, then the earlier in the lists), as sklearn's LogisticRegressionCV does with a held-out fold.
            Fitted fitted = null;
            double[] best = null;
            for (double reg : options.regParams()) {
                for (double ngramReg : options.ngrams() == null ? List.of(0.0) : options.ngramRegParams()) {
                    Fitted candidate = fit(train, trainTexts, y, dim, reg, ngramReg);
                    double[] score = validate(candidate.head(), validation, validationTexts, validationLabels);
                    LOG.info("head: reg-param {}{}: validation accuracy {}, log loss {}, {} L-BFGS iterations{}",
                            reg, options.ngrams() == null ? "" : ", n-gram reg-param " + ngramReg,
                            String.format("%.4f", score[0]), String.format("%.4f", score[1]),
                            candidate.solution().iterations(), candidate.solution().converged() ? " (converged)" : "");
                    if (best == null || score[0] > best[0] || (score[0] == best[0] && score[1] < best[1])) {
                        fitted = candidate;
                        best = score;
                    }
                }
            }
            EmbeddingHead head = fitted.head();
            SoftmaxRegression.Solution solution = fitted.solution();
            double seconds = (System.nanoTime() - start) / 1e9;
            double validationAccuracy = validation.isEmpty() ? Double.NaN : best[0];
            LOG.info("head: {} labels x {} dimensions{} on {} rows: reg-param {}{} kept, {} L-BFGS iterations{}, "
                    + "loss {}, validation accuracy {} in {} s", labels.size(), dim, options.ngrams() == null ? ""
                    : " + " + options.ngrams().buckets() + " n-gram buckets", train.size(), fitted.regParam(),
                    options.ngrams() == null ? "" : " and n-gram reg-param " + fitted.ngramRegParam(),
                    solution.iterations(), solution.converged() ? " (converged)" : "",
                    String.format("%.4f", solution.loss()),
                    String.format("%.4f", validationAccuracy), String.format("%.1f", seconds));
            write(head, dim);
            TrainingSummary summary = new TrainingSummary("cpu()", List.of(new EpochStats(1, solution.loss(),
                    validationAccuracy, train.size() / Math.max(seconds, 1e-9), seconds)), 1, train.size(),
                    validation.size(), train.size() / Math.max(seconds, 1e-9), seconds);
            return List.of(ReportWriter.JSON.writeValueAsString(summary)).iterator();
        }

        /** A head, the strengths it was fitted with and the solve that gave it. */
        private record Fitted(EmbeddingHead head, double regParam, double ngramRegParam,
                SoftmaxRegression.Solution solution) {}

        /** @return accuracy and mean log loss on the validation rows (temperature 1); NaN and +inf without rows */
        private static double[] validate(EmbeddingHead head, List<float[]> vectors, List<String> texts,
                List<Integer> labels) {
            if (vectors.isEmpty()) {
                return new double[] {Double.NaN, Double.POSITIVE_INFINITY};
            }
            int correct = 0;
            double logLoss = 0;
            for (int i = 0; i < vectors.size(); i++) {
                float[] p = head.probabilities(vectors.get(i), texts.get(i), 1.0);
                int best = 0;
                for (int c = 1; c < p.length; c++) {
                    best = p[c] > p[best] ? c : best;
                }
                correct += best == labels.get(i) ? 1 : 0;
                logLoss -= Math.log(Math.max(p[labels.get(i)], 1e-12));
            }
            return new double[] {correct / (double) vectors.size(), logLoss / vectors.size()};
        }

        /** The softmax over the vectors, beside the texts' n-grams for a hybrid head. */
        private Fitted fit(List<float[]> vectors, List<String> texts, int[] y, int dim, double regParam,
                double ngramRegParam) {
            float[][] rows = vectors.toArray(new float[0][]);
            SoftmaxRegression.Solution fit;
            if (options.ngrams() == null) {
                fit = SoftmaxRegression.fitDense(rows, y, labels.size(), regParam, true, options.maxIter(),
                        options.tol());
            } else {
                HashedNgramFeaturizer featurizer = new HashedNgramFeaturizer(options.ngrams());
                int[][] ids = new int[rows.length][];
                float[][] values = new float[rows.length][];
                for (int r = 0; r < rows.length; r++) {
                    NgramBlock.Features f = NgramBlock.features(featurizer, texts.get(r));
                    ids[r] = f.ids();
                    values[r] = f.values();
                }
                fit = SoftmaxRegression.fitHybrid(rows, ids, values, options.ngrams().buckets(), y, labels.size(),
                        regParam, ngramRegParam, options.maxIter(), options.tol());
            }
            int width = fit.coefficients().length / labels.size();
            float[] weights = new float[labels.size() * dim];
            float[] ngramWeights = new float[labels.size() * (width - dim)];
            for (int c = 0; c < labels.size(); c++) {
                for (int j = 0; j < width; j++) {
                    float w = (float) fit.coefficients()[c * width + j];
                    if (j < dim) {
                        weights[c * dim + j] = w;
                    } else {
                        ngramWeights[c * (width - dim) + j - dim] = w;
                    }
                }
            }
            float[] bias = new float[labels.size()];
            for (int i = 0; i < bias.length; i++) {
                bias[i] = (float) fit.intercepts()[i];
            }
            return new Fitted(new EmbeddingHead(labels.size(), dim, weights, bias, options.ngrams() == null ? null
                    : new NgramBlock(options.ngrams(), labels.size(), ngramWeights)), regParam, ngramRegParam, fit);
        }

        /** Written locally, then copied (as the other trainers do), so the file system keeps its checksums. */
        private void write(EmbeddingHead head, int dim) throws IOException {
            java.nio.file.Path local = java.nio.file.Files.createTempDirectory("cxml-head-");
            try {
                try (OutputStream out = java.nio.file.Files.newOutputStream(local.resolve(EmbeddingHead.PARAMS_FILE))) {
                    head.write(out);
                }
                TextClassifier.writeSpec(local, new ClassifierSpec(EmbeddingHead.encoderSpec(options.encoder(), dim),
                        labels, 1.0, 0.0));
                Configuration conf = new Configuration(false);
                hadoopConf.forEach(conf::set);
                org.apache.hadoop.fs.Path target = new org.apache.hadoop.fs.Path(modelUri);
                FileSystem fs = target.getFileSystem(conf);
                fs.mkdirs(target);
                for (String file : List.of(EmbeddingHead.PARAMS_FILE, TextClassifier.SPEC_FILE)) {
                    fs.copyFromLocalFile(false, true, new org.apache.hadoop.fs.Path(local.resolve(file).toUri()),
                            new org.apache.hadoop.fs.Path(target, file));
                }
            } finally {
                SparkTaskTrainer.deleteRecursively(local);
            }
        }
    }
}
