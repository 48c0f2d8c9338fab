package io.cxml.features.view;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * A feature view: a definition plus the computation that turns curated interactions into feature events, one row per
 * (entity, event time) with the columns of {@link FeatureViewDefinition#storedSchema()}.
 *
 * <p>Contract: a row's values may use only information knowable at its event time. The offline store passes every
 * curated ticket created up to the end of the build window; the view returns events for all of them and the store
 * keeps those inside the window, so the result does not depend on where a window starts.
 */
public interface FeatureView {
    /** @return the definition */
    FeatureViewDefinition definition();

    /**
     * Computes the view's events.
     *
     * @param curated rows of {@code curated/interactions} (its contract schema)
     * @return feature events in {@link FeatureViewDefinition#storedSchema()} column order, unique per (entity, event
     *     time)
     */
    Dataset<Row> compute(Dataset<Row> curated);
}
