package io.cxml.training.data;

import io.cxml.contract.CuratedInteractions;
import io.cxml.features.TrainingColumns;
import io.cxml.language.LanguageOptions;
import io.cxml.storage.StorageLayout;
import java.time.LocalDate;
import java.util.Optional;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;

/**
 * Sentiment training set from outcome weak labels, where no sentiment labels exist. The rule, in order:
 * <ol>
 *   <li>CSAT 1-2, or escalated: {@value #NEGATIVE};</li>
 *   <li>CSAT 4-5 and not reopened: {@value #POSITIVE};</li>
 *   <li>CSAT 3: {@value #NEUTRAL};</li>
 *   <li>anything else (no CSAT and not escalated, or CSAT 4-5 but reopened): excluded, no label.</li>
 * </ol>
 * The labels describe the outcome the customer reported, used as a proxy for the sentiment of their text. The text
 * is everything the customer wrote: subject and first message, then their later messages (follow-ups, the message
 * that reopened the ticket), where the tone of a conversation shows.
 */
public final class SentimentWeakLabels implements TrainingSetSource {
    /** Negative label. */
    public static final String NEGATIVE = "negative";
    /** Neutral label. */
    public static final String NEUTRAL = "neutral";
    /** Positive label. */
    public static final String POSITIVE = "positive";

    private final StorageLayout layout;
    private final LanguageOptions languages;
    private final LocalDate from;
    private final LocalDate to;

    /**
     * @param layout the storage layout
     * @param languages the languages the detector knows (the language column and its slices)
     * @param from first creation date included, or null
     * @param to first creation date excluded, or null
     */
    public SentimentWeakLabels(StorageLayout layout, LanguageOptions languages, LocalDate from, LocalDate to) {
        this.layout = layout;
        this.languages = languages;
        this.from = from;
        this.to = to;
    }

    /**
     * The rule as a Spark column over curated columns (null = excluded).
     *
     * @return the weak label column
     */
    public static Column weakLabel() {
        Column csat = functions.col(CuratedInteractions.CSAT);
        Column escalated = functions.coalesce(functions.col(CuratedInteractions.ESCALATED), functions.lit(false));
        Column reopened = functions.coalesce(functions.col(CuratedInteractions.REOPENED), functions.lit(false));
        return functions.when(csat.leq(2).or(escalated), NEGATIVE)
                .when(csat.geq(4).and(functions.not(reopened)), POSITIVE)
                .when(csat.equalTo(3), NEUTRAL);
    }

    /**
     * The customer's words: the curated text (subject and first message) followed by the customer's later messages.
     *
     * @return the text column over curated columns
     */
    public static Column customerText() {
        return functions.expr("concat_ws(' ', " + CuratedInteractions.TEXT + ", nullif(concat_ws(' ', transform("
                + "slice(filter(" + CuratedInteractions.MESSAGES + ", m -> m.author = 'customer'), 2, 1000000), "
                + "m -> m.body)), ''))");
    }

    /** The weak-label rule in words, for reports and training-set manifests. */
    public static final String RULE = "sentiment labels are weak: derived from outcomes (CSAT 1-2 or escalated = "
            + "negative; CSAT 4-5 and not reopened = positive; CSAT 3 = neutral), not from what the customer wrote";

    @Override
    public Optional<String> weakLabelRule() {
        return Optional.of(RULE);
    }

    @Override
    public Dataset<Row> load(SparkSession spark) {
        Dataset<Row> curated = CuratedIntentSource.window(spark.read().schema(CuratedInteractions.SCHEMA)
                .parquet(layout.curatedInteractions()), from,
                to);
        return curated.withColumn(TrainingColumns.LABEL, weakLabel())
                .where(functions.col(TrainingColumns.LABEL).isNotNull())
                .select(customerText().as(TrainingColumns.TEXT),
                        functions.col(TrainingColumns.LABEL),
                        CuratedIntentSource.detectedLanguage(languages).as(TrainingColumns.LANGUAGE),
                        functions.col(CuratedInteractions.ACCOUNT_ID).as(TrainingColumns.TENANT),
                        functions.col(CuratedInteractions.CREATED_AT).as(TrainingColumns.EVENT_TIME));
    }

    @Override
    public String describe() {
        return "curated interactions (customer messages), sentiment weak labels (CSAT 1-2 or escalated = negative; CSAT 4-5 and not"
                + " reopened = positive; CSAT 3 = neutral; else excluded) " + layout.curatedInteractions()
                + " window [" + (from == null ? "start" : from) + ", " + (to == null ? "end" : to) + ")";
    }
}
