package io.cxml.training.routing;

import io.cxml.features.TrainingColumns;
import io.cxml.runtime.routing.RoutingFeatures;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.classification.LogisticRegression;
import org.apache.spark.ml.feature.StringIndexer;
import org.apache.spark.ml.feature.StringIndexerModel;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The second routing baseline: one global MLlib multinomial logistic regression on the same input vector the
 * routing models read (no tenant dimension), restricted at prediction time to the tenant's teams. It answers "do
 * per-tenant models beat one well-regularised global model that knows which teams a tenant has?".
 */
public final class GlobalLrBaseline {
    /** Folder of a routing version holding the fitted baseline. */
    public static final String DIR = "baseline";
    /** Probability column the baseline adds. */
    static final String PROBABILITY = "_lr_probability";
    private static final String LABEL_INDEX = "_lr_label";

    private final PipelineModel model;

    private GlobalLrBaseline(PipelineModel model) {
        this.model = model;
    }

    /**
     * @param fit labelled rows (a sample of the routing fit rows)
     * @param features the feature spec
     * @return the fitted baseline
     */
    public static GlobalLrBaseline fit(Dataset<Row> fit, RoutingFeatures features) {
        Dataset<Row> vectors = RoutingVectors.add(fit, features, TrainingColumns.TEXT);
        StringIndexer labels = new StringIndexer().setInputCol(TrainingColumns.LABEL).setOutputCol(LABEL_INDEX)
                .setHandleInvalid("keep").setStringOrderType("alphabetAsc");
        LogisticRegression lr = new LogisticRegression().setFamily("multinomial").setMaxIter(50).setRegParam(1e-3)
                .setElasticNetParam(0).setFeaturesCol(RoutingVectors.FEATURES).setLabelCol(LABEL_INDEX)
                .setProbabilityCol(PROBABILITY).setPredictionCol("_lr_prediction").setRawPredictionCol("_lr_raw");
        return new GlobalLrBaseline(new Pipeline().setStages(new PipelineStage[] {labels, lr}).fit(vectors));
    }

    /**
     * @param uri where a baseline was saved
     * @return it
     */
    public static GlobalLrBaseline load(String uri) {
        return new GlobalLrBaseline(PipelineModel.load(uri));
    }

    /** @param uri where to save it */
    public void save(String uri) {
        try {
            model.write().overwrite().save(uri);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot save the routing baseline to " + uri + ": " + e.getMessage(), e);
        }
    }

    /** @return the teams, in probability order */
    public List<String> labels() {
        return List.of(((StringIndexerModel) model.stages()[0]).labelsArray()[0]);
    }

    /**
     * @param rows labelled rows with the routing vector ({@link RoutingVectors#add})
     * @return the rows with {@link #PROBABILITY}
     */
    Dataset<Row> transform(Dataset<Row> rows) {
        return model.transform(rows).drop(LABEL_INDEX, "_lr_prediction", "_lr_raw");
    }
}
