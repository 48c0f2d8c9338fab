package io.cxml.training.text;

import io.cxml.features.TrainingColumns;
import io.cxml.training.eval.EvaluationAccumulator;
import io.cxml.training.eval.Metrics;
import io.cxml.training.eval.TemperatureFit;
import io.cxml.runtime.executor.DevicePreference;
import io.cxml.runtime.executor.ModelSource;
import io.cxml.runtime.executor.TaskScoring;
import io.cxml.runtime.model.ClassifierSpec;
import io.cxml.runtime.model.Prediction;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Evaluation where the rows are: each partition is scored on its executor with the JVM's shared model (the same
 * {@link TaskScoring} path as batch scoring) and folded into mergeable counts ({@link EvaluationAccumulator},
 * {@link TemperatureFit}); only those counts reach the driver, never a row or a probability vector.
 */
public final class ExecutorEvaluation {
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
        Scoring raw = uncalibrated(scoring);
        List<String> labels = raw.spec().labels();
        return texts(rows).mapPartitions((Iterator<Row> it) -> {
            TemperatureFit fit = new TemperatureFit();
            Map<String, Integer> index = index(labels);
            TaskScoring task = TaskScoring.open(raw.source(), raw.spec(), 1, raw.device());
            drain(TaskScoring.inBatches(it, raw.batchSize(), batch -> {
                List<Prediction> predictions = task.predict(column(batch, 0));
                for (int i = 0; i < batch.size(); i++) {
                    fit.add(predictions.get(i).probabilities(), index.getOrDefault(batch.get(i).getString(1), -1));
                }
                return batch;
            }));
            return List.of(fit).iterator();
        }).treeAggregate(new TemperatureFit(), TemperatureFit::merge, TemperatureFit::merge).temperature();
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
        Scoring raw = uncalibrated(scoring);
        ClassifierSpec spec = scoring.spec();
        EvaluationAccumulator zero = new EvaluationAccumulator(spec.labels(), spec.temperature(),
                spec.unknownThreshold(), oosLabel);
        return texts(rows).mapPartitions((Iterator<Row> it) -> {
            EvaluationAccumulator acc = new EvaluationAccumulator(spec.labels(), spec.temperature(),
                    spec.unknownThreshold(), oosLabel);
            TaskScoring task = TaskScoring.open(raw.source(), raw.spec(), 1, raw.device());
            drain(TaskScoring.inBatches(it, raw.batchSize(), batch -> {
                List<Prediction> predictions = task.predict(column(batch, 0));
                for (int i = 0; i < batch.size(); i++) {
                    Row r = batch.get(i);
                    acc.add(r.getString(1), predictions.get(i).probabilities(), r.getString(2), r.getString(3));
                }
                return batch;
            }));
            return List.of(acc).iterator();
        }).treeAggregate(zero, EvaluationAccumulator::merge, EvaluationAccumulator::merge).finish();
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

    private static Scoring uncalibrated(Scoring s) {
        return new Scoring(s.source(), s.spec().withTemperature(1.0), Math.max(1, s.batchSize()), s.device());
    }

    private static JavaRDD<Row> texts(Dataset<Row> rows) {
        return rows.select(TrainingColumns.TEXT, TrainingColumns.LABEL, TrainingColumns.LANGUAGE,
                TrainingColumns.TENANT).toJavaRDD();
    }

    private static List<String> column(List<Row> batch, int i) {
        List<String> out = new ArrayList<>(batch.size());
        for (Row r : batch) {
            String v = r.getString(i);
            out.add(v == null ? "" : v);
        }
        return out;
    }

    private static void drain(Iterator<?> it) {
        while (it.hasNext()) {
            it.next();
        }
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
