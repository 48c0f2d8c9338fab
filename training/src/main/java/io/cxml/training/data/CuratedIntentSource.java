package io.cxml.training.data;

import io.cxml.contract.CuratedInteractions;
import io.cxml.features.TrainingColumns;
import io.cxml.language.LanguageColumns;
import io.cxml.language.LanguageOptions;
import io.cxml.storage.StorageLayout;
import java.time.LocalDate;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;

/**
 * Intent training set read straight from {@code curated/interactions}: text, the label the export carries
 * ({@link ExportLabels}: an agent-set field or tag, through the taxonomy), the detected language, tenant and creation
 * time, for tickets created in {@code [from, to)} (both optional). Where the data holds the generator's hidden truth,
 * it rides along as {@link TrainingColumns#TRUTH}, to be measured against and never trained on.
 */
public final class CuratedIntentSource implements TrainingSetSource {
    private final StorageLayout layout;
    private final ExportLabels labels;
    private final LanguageOptions languages;
    private final LocalDate from;
    private final LocalDate to;

    /**
     * @param layout the storage layout
     * @param labels where the labels are in the export
     * @param languages the languages the detector knows (the language column and its slices)
     * @param from first creation date included, or null
     * @param to first creation date excluded, or null
     */
    public CuratedIntentSource(StorageLayout layout, ExportLabels labels, LanguageOptions languages, LocalDate from,
            LocalDate to) {
        this.layout = layout;
        this.labels = labels;
        this.languages = languages;
        this.from = from;
        this.to = to;
    }

    private Dataset<Row> curated(SparkSession spark) {
        return window(spark.read().schema(CuratedInteractions.SCHEMA).parquet(layout.curatedInteractions()), from, to);
    }

    @Override
    public Dataset<Row> load(SparkSession spark) {
        return curated(spark).withColumn(TrainingColumns.LABEL, labels.label())
                .where(functions.col(TrainingColumns.LABEL).isNotNull())
                .select(functions.col(CuratedInteractions.TEXT).as(TrainingColumns.TEXT),
                        functions.col(TrainingColumns.LABEL),
                        detectedLanguage(languages).as(TrainingColumns.LANGUAGE),
                        functions.col(CuratedInteractions.ACCOUNT_ID).as(TrainingColumns.TENANT),
                        functions.col(CuratedInteractions.CREATED_AT).as(TrainingColumns.EVENT_TIME),
                        functions.col(CuratedInteractions.TRUE_INTENT).as(TrainingColumns.TRUTH));
    }

    @Override
    public LabelStats labelStats(SparkSession spark) {
        return labels.measure(curated(spark));
    }

    /**
     * @param languages the detector's languages
     * @return the language detected in the curated text (what scoring sees), never the hidden truth
     */
    static Column detectedLanguage(LanguageOptions languages) {
        return LanguageColumns.detect(functions.col(CuratedInteractions.TEXT), languages)
                .getField(LanguageColumns.LANGUAGE);
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
        return "curated interactions " + layout.curatedInteractions() + ", labels: " + labels.describe()
                + ", window [" + (from == null ? "start" : from) + ", " + (to == null ? "end" : to) + ")";
    }
}
