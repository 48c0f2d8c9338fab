package io.cxml.training.routing;

import io.cxml.runtime.routing.RoutingColumns;
import io.cxml.runtime.executor.DevicePreference;
import io.cxml.runtime.executor.ModelSource;
import io.cxml.runtime.executor.TaskScoring;
import io.cxml.runtime.model.ClassifierSpec;
import io.cxml.runtime.model.Prediction;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Adds the intent model's class probabilities ({@link RoutingColumns#INTENT}) to routing rows, scored on the
 * executors with the per-JVM model cache, as batch scoring does.
 */
public final class IntentProbabilities {
    private IntentProbabilities() {}

    /**
     * @param rows rows with a text column
     * @param textColumn the text column
     * @param source the intent version
     * @param spec its spec
     * @param batchSize texts per predictor call
     * @param device device preference
     * @return the rows with {@link RoutingColumns#INTENT} appended (null for a null text)
     */
    public static Dataset<Row> add(Dataset<Row> rows, String textColumn, ModelSource source, ClassifierSpec spec,
            int batchSize, DevicePreference device) {
        StructType schema = rows.schema().add(RoutingColumns.INTENT,
                DataTypes.createArrayType(DataTypes.FloatType, false), true);
        int text = rows.schema().fieldIndex(textColumn);
        return rows.mapPartitions(new Score(source, spec, batchSize, device, text), Encoders.row(schema));
    }

    private record Score(ModelSource source, ClassifierSpec spec, int batchSize, DevicePreference device, int text)
            implements MapPartitionsFunction<Row, Row> {
        @Override
        public Iterator<Row> call(Iterator<Row> rows) {
            TaskScoring[] task = new TaskScoring[1];
            return TaskScoring.inBatches(rows, batchSize, batch -> {
                List<String> texts = new ArrayList<>();
                for (Row r : batch) {
                    if (!r.isNullAt(text)) {
                        texts.add(r.getString(text));
                    }
                }
                if (task[0] == null && !texts.isEmpty()) {
                    task[0] = TaskScoring.open(source, spec, 1, device);
                }
                List<Prediction> p = texts.isEmpty() ? List.<Prediction>of() : task[0].predict(texts);
                List<Row> out = new ArrayList<>(batch.size());
                int next = 0;
                for (Row r : batch) {
                    Object[] values = new Object[r.size() + 1];
                    for (int i = 0; i < r.size(); i++) {
                        values[i] = r.get(i);
                    }
                    if (!r.isNullAt(text)) {
                        float[] probabilities = p.get(next++).probabilities();
                        Float[] boxed = new Float[probabilities.length];
                        for (int i = 0; i < boxed.length; i++) {
                            boxed[i] = probabilities[i];
                        }
                        values[r.size()] = boxed;
                    }
                    out.add(RowFactory.create(values));
                }
                return out;
            });
        }
    }
}
