package io.cxml.training.text;

import io.cxml.features.TrainingColumns;
import io.cxml.runtime.executor.DevicePreference;
import io.cxml.runtime.executor.ModelSource;
import io.cxml.runtime.model.ClassifierSpec;
import io.cxml.runtime.stages.EmbeddingStage;
import io.cxml.runtime.stages.TextClassifierStage;
import io.cxml.training.eval.Calibration;
import io.cxml.training.eval.EvaluationAccumulator;
import io.cxml.training.eval.Metrics;
import io.cxml.training.eval.TemperatureFit;
import java.io.Serializable;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Evaluation where the rows are: the rows are scored on the executors by the {@link TextClassifierStage} that batch
 * scoring runs, and folded where they are into mergeable counts ({@link EvaluationAccumulator},
 * {@link TemperatureFit}); only those counts reach the driver, never a row or a probability vector.
 */
public final class ExecutorEvaluation {
    private static final String RAW = "_eval_raw_probabilities";

    private ExecutorEvaluation() {}

    /** How to score: the model, its calibration for prediction, batching and device. */
    public record Scoring(ModelSource source, ClassifierSpec spec, int batchSize, DevicePreference device)
            implements Serializable {}

    /**
     * Fits the temperature on labelled rows, scored at temperature 1.
     *
     * @param rows rows with {@link TrainingColumns#TEXT} and {@link TrainingColumns#LABEL}
     * @param scoring the model
     * @return the temperature
     */
    public static double fitTemperature(Dataset<Row> rows, Scoring scoring) {
        return fitTemperature(rawProbabilities(rows, scoring), RAW, scoring.spec().labels());
    }

    /**
     * Scores labelled rows and measures them.
     *
     * @param rows rows with text, label, language and tenant ({@link TrainingColumns})
     * @param scoring the model; its spec's temperature and threshold are the ones measured
     * @param oosLabel gold label of out-of-scope rows, or null
     * @return the metrics
     */
    public static Metrics evaluate(Dataset<Row> rows, Scoring scoring, String oosLabel) {
        ClassifierSpec spec = scoring.spec();
        return evaluate(rawProbabilities(rows, scoring), RAW, spec.labels(), spec.temperature(),
                spec.unknownThreshold(), oosLabel);
    }

    /** Resolution of {@link #confidenceThreshold}: confidences are counted in bins of this width. */
    static final int CONFIDENCE_BINS = 10_000;

    /**
     * The confidence below which about {@code 1 - share} of the rows fall: the calibrated confidence (the top label's
     * probability at the spec's temperature) that keeps {@code share} of in-scope rows, to 1e-4. A histogram is
     * summed on the executors; only its counts reach the driver.
     *
     * @param rows in-scope rows with {@link TrainingColumns#TEXT} (e.g. the validation carve)
     * @param scoring the model, its spec carrying the fitted temperature
     * @param share in (0, 1]: the share of rows at or above the threshold
     * @return the threshold, 0 when there are no rows
     */
    public static double confidenceThreshold(Dataset<Row> rows, Scoring scoring, double share) {
        double temperature = scoring.spec().temperature();
        long[] histogram = rawProbabilities(rows, scoring).select(RAW).toJavaRDD()
                .treeAggregate(new long[CONFIDENCE_BINS + 1], (h, r) -> {
                    float[] p = floats(r, 0);
                    int top = 0;
                    for (int i = 1; i < p.length; i++) {
                        top = p[i] > p[top] ? i : top;
                    }
                    h[(int) Math.floor(Calibration.scaled(p, temperature, top) * CONFIDENCE_BINS)]++;
                    return h;
                }, (a, b) -> {
                    for (int i = 0; i < a.length; i++) {
                        a[i] += b[i];
                    }
                    return a;
                });
        return thresholdKeeping(histogram, share);
    }

    /**
     * @param histogram row counts per confidence bin of width {@code 1 / CONFIDENCE_BINS}
     * @param share the share of rows to keep at or above the threshold
     * @return the lower edge of the bin that holds the {@code floor((1 - share) * n) + 1}-th lowest confidence, so
     *     at most {@code (1 - share) * n} rows fall below it
     */
    static double thresholdKeeping(long[] histogram, double share) {
        long n = java.util.Arrays.stream(histogram).sum();
        long below = (long) Math.floor((1 - share) * n + 1e-9);
        long seen = 0;
        for (int b = 0; b < histogram.length; b++) {
            seen += histogram[b];
            if (seen > below) {
                return b / (double) CONFIDENCE_BINS;
            }
        }
        return 0;
    }

    /**
     * The rows' probabilities at temperature 1, from the same stage that batch scoring runs (the accumulators apply
     * the temperature themselves, so one scoring pass serves fitting and measuring).
     */
    private static Dataset<Row> rawProbabilities(Dataset<Row> rows, Scoring scoring) {
        TextClassifierStage stage = new TextClassifierStage().setInputCol(TrainingColumns.TEXT).setOutputPrefix("cxml_eval")
                .setModelUri(scoring.source().uri()).setModelLabel(scoring.source().label()).setCalibrated(false)
                .setBatchSize(Math.max(1, scoring.batchSize())).setTopK(1)
                .setDevice(scoring.device()).setProbabilitiesCol(RAW);
        return stage.transform(rows.select(EmbeddingStage.keepingEmbeddings(rows, TrainingColumns.TEXT,
                TrainingColumns.LABEL, TrainingColumns.LANGUAGE, TrainingColumns.TENANT)));
    }

    /**
     * Measures rows that already carry probability vectors (e.g. the baseline's).
     *
     * @param rows rows with label, language, tenant and {@code probabilityColumn} (array of float, labels order)
     * @param probabilityColumn the probability column
     * @param labels the label order of the vectors
     * @param temperature the calibration temperature
     * @param threshold the unknown threshold
     * @param oosLabel gold label of out-of-scope rows, or null
     * @return the metrics
     */
    public static Metrics evaluate(Dataset<Row> rows, String probabilityColumn, List<String> labels,
            double temperature, double threshold, String oosLabel) {
        EvaluationAccumulator zero = new EvaluationAccumulator(labels, temperature, threshold, oosLabel);
        return rows.select(TrainingColumns.LABEL, TrainingColumns.LANGUAGE, TrainingColumns.TENANT, probabilityColumn)
                .toJavaRDD().treeAggregate(zero, (acc, r) -> {
                    acc.add(r.getString(0), floats(r, 3), r.getString(1), r.getString(2));
                    return acc;
                }, EvaluationAccumulator::merge).finish();
    }

    /**
     * Fits a temperature on rows that already carry probability vectors.
     *
     * @param rows rows with label and {@code probabilityColumn}
     * @param probabilityColumn the probability column
     * @param labels the label order of the vectors
     * @return the temperature
     */
    public static double fitTemperature(Dataset<Row> rows, String probabilityColumn, List<String> labels) {
        Map<String, Integer> index = index(labels);
        return rows.select(TrainingColumns.LABEL, probabilityColumn).toJavaRDD()
                .treeAggregate(new TemperatureFit(), (fit, r) -> {
                    fit.add(floats(r, 1), index.getOrDefault(r.getString(0), -1));
                    return fit;
                }, TemperatureFit::merge).temperature();
    }

    private static Map<String, Integer> index(List<String> labels) {
        Map<String, Integer> out = new HashMap<>();
        for (int i = 0; i < labels.size(); i++) {
            out.put(labels.get(i), i);
        }
        return out;
    }

    private static float[] floats(Row r, int i) {
        List<Object> values = r.getList(i);
        float[] out = new float[values.size()];
        for (int k = 0; k < out.length; k++) {
            out[k] = ((Number) values.get(k)).floatValue();
        }
        return out;
    }

}
