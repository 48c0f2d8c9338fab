package io.cxml.features.view;

import java.time.LocalDate;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * A feature view too costly to recompute on every build (an encoder pass per ticket): the offline store hands it the
 * rows its version already holds for the window, and the view reuses those still valid and computes only the rest.
 * The store stages the result before it replaces the window's partitions, since the view reads them.
 */
public interface IncrementalFeatureView extends FeatureView {
    /**
     * Computes the window's events.
     *
     * @param curated rows of {@code curated/interactions} created up to the window's end
     * @param from first event date of the window, inclusive
     * @param to last event date, inclusive
     * @param stored the version's rows dated in the window (its stored schema), or null when it has none
     * @return feature events in {@link FeatureViewDefinition#storedSchema()} column order
     */
    Dataset<Row> compute(Dataset<Row> curated, LocalDate from, LocalDate to, Dataset<Row> stored);

    /** @return counts of the last build, read after it was written (e.g. {@code embedded}), for the run record */
    Map<String, Long> lastBuildCounts();

    @Override
    default Dataset<Row> compute(Dataset<Row> curated) {
        return compute(curated, LocalDate.MIN, LocalDate.MAX, null);
    }
}
