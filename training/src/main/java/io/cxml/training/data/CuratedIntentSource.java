package io.cxml.training.data;

import io.cxml.contract.CuratedInteractions;
import io.cxml.features.TrainingColumns;
import io.cxml.storage.StorageLayout;
import java.time.LocalDate;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;

/**
 * Intent training set read straight from {@code curated/interactions} (until the feature views land): text, the
 * intent label, language, tenant and creation time, for tickets created in {@code [from, to)} (both optional).
 */
public final class CuratedIntentSource implements TrainingSetSource {
    private final StorageLayout layout;
    private final LocalDate from;
    private final LocalDate to;

    /**
     * @param layout the storage layout
     * @param from first creation date included, or null
     * @param to first creation date excluded, or null
     */
    public CuratedIntentSource(StorageLayout layout, LocalDate from, LocalDate to) {
        this.layout = layout;
        this.from = from;
        this.to = to;
    }

    @Override
    public Dataset<Row> load(SparkSession spark) {
        Dataset<Row> curated = spark.read().parquet(layout.curatedInteractions());
        return window(curated, from, to)
                .where(functions.col(CuratedInteractions.TRUE_INTENT).isNotNull())
                .select(functions.col(CuratedInteractions.TEXT).as(TrainingColumns.TEXT),
                        functions.col(CuratedInteractions.TRUE_INTENT).as(TrainingColumns.LABEL),
                        functions.col(CuratedInteractions.TRUE_LANGUAGE).as(TrainingColumns.LANGUAGE),
                        functions.col(CuratedInteractions.ACCOUNT_ID).as(TrainingColumns.TENANT),
                        functions.col(CuratedInteractions.CREATED_AT).as(TrainingColumns.EVENT_TIME));
    }

    static Dataset<Row> window(Dataset<Row> curated, LocalDate from, LocalDate to) {
        Column keep = functions.lit(true);
        if (from != null) {
            keep = keep.and(functions.col(CuratedInteractions.DT).geq(functions.lit(java.sql.Date.valueOf(from))));
        }
        if (to != null) {
            keep = keep.and(functions.col(CuratedInteractions.DT).lt(functions.lit(java.sql.Date.valueOf(to))));
        }
        return curated.where(keep);
    }

    @Override
    public String describe() {
        return "curated interactions (true_intent) " + layout.curatedInteractions() + " window ["
                + (from == null ? "start" : from) + ", " + (to == null ? "end" : to) + ")";
    }
}
