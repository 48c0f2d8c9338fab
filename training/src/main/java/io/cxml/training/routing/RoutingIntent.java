package io.cxml.training.routing;
import io.cxml.features.TrainingColumns;
import io.cxml.runtime.executor.DevicePreference;
import io.cxml.runtime.executor.ModelSource;
import io.cxml.runtime.routing.RoutingColumns;
import io.cxml.runtime.stages.TextClassifierStage;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The intent input of routing rows: the intent model's class probabilities ({@link RoutingColumns#INTENT}), added by
 * the same {@link TextClassifierStage} that batch scoring runs, so training and scoring feed routing alike.
 */
final class RoutingIntent {
    private static final String PREFIX = "cxml_routing_intent";

    private RoutingIntent() {}

    /**
     * @param rows routing rows with {@link TrainingColumns#TEXT}
     * @param intent the intent version
     * @param batchSize texts per predictor call
     * @param device device preference
     * @return the rows with {@link RoutingColumns#INTENT} appended (null for a null text)
     */
    static Dataset<Row> add(Dataset<Row> rows, ModelSource intent, int batchSize, DevicePreference device) {
        TextClassifierStage stage = new TextClassifierStage().setInputCol(TrainingColumns.TEXT).setOutputPrefix(PREFIX)
                .setModelUri(intent.uri()).setModelLabel(intent.label()).setBatchSize(batchSize).setTopK(1)
                .setDevice(device).setProbabilitiesCol(RoutingColumns.INTENT);
        Dataset<Row> scored = stage.transform(rows);
        for (String c : stage.outputColumns()) {
            if (!c.equals(RoutingColumns.INTENT)) {
                scored = scored.drop(c);
            }
        }
        return scored;
    }
}
