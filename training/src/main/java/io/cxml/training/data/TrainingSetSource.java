package io.cxml.training.data;

import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Where a training set comes from: the feature store, curated tickets, or a user's labelled file. Returns rows of
 * {@link TrainingColumns#SCHEMA}, so the trainers never see source-specific columns.
 */
public interface TrainingSetSource {
    /**
     * @param spark the session
     * @return rows of {@link TrainingColumns#SCHEMA}
     */
    Dataset<Row> load(SparkSession spark);

    /** @return a one-line description for reports and {@code model.json} (path, window) */
    String describe();

    /**
     * Where the labels came from and how many rows carry one; a source that reads labels from the export overrides
     * this with its coverage and its agreement with the hidden truth.
     *
     * @param spark the session
     * @return the label facts of the report
     */
    default LabelStats labelStats(SparkSession spark) {
        return LabelStats.allLabelled(describe(), load(spark).count());
    }

    /**
     * @return how the labels were derived when they are weak (inferred from something other than the text, e.g.
     *     sentiment from outcomes), empty when they are gold labels
     */
    default Optional<String> weakLabelRule() {
        return Optional.empty();
    }
}
