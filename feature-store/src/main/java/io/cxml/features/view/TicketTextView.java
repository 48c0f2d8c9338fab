package io.cxml.features.view;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.length;
import static org.apache.spark.sql.functions.lower;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.split;
import static org.apache.spark.sql.functions.trim;
import static org.apache.spark.sql.functions.when;

import io.cxml.contract.CuratedInteractions;
import io.cxml.language.LanguageColumns;
import io.cxml.language.LanguageOptions;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * {@code ticket_text}: per ticket, at its creation, the normalized subject + first message, its detected language
 * and confidence (Lingua restricted to the configured languages, one detector per executor JVM), its length in
 * characters and words, and the channel. Everything here is known when the ticket is created.
 */
public final class TicketTextView implements FeatureView {
    /** View name. */
    public static final String NAME = "ticket_text";
    public static final String TEXT = "text_normalized";
    public static final String LANGUAGE = "language";
    public static final String LANGUAGE_CONFIDENCE = "language_confidence";
    public static final String TEXT_CHARS = "text_chars";
    public static final String TEXT_WORDS = "text_words";
    public static final String CHANNEL = "channel";
    /** Bump when the computation changes. */
    static final String LOGIC_VERSION = "1";

    private static final StructType FEATURES = new StructType()
            .add(TEXT, DataTypes.StringType, false)
            .add(LANGUAGE, DataTypes.StringType, false)
            .add(LANGUAGE_CONFIDENCE, DataTypes.DoubleType, false)
            .add(TEXT_CHARS, DataTypes.IntegerType, false)
            .add(TEXT_WORDS, DataTypes.IntegerType, false)
            .add(CHANNEL, DataTypes.StringType, false);

    private final FeatureViewDefinition definition;
    private final LanguageOptions languages;

    /**
     * @param options feature settings (languages, TTL)
     */
    public TicketTextView(FeatureOptions options) {
        this.languages = options.languages();
        this.definition = FeatureViewDefinition.builder(NAME)
                .setEntityKey(CuratedInteractions.TICKET_ID)
                .setEventTimeColumn(CuratedInteractions.CREATED_AT)
                .setFeatures(FEATURES)
                // The language set changes the detector's answers, so it is part of the logic version.
                .setLogicVersion(LOGIC_VERSION + ";languages=" + String.join(",", languages.languages()))
                .setTtl(options.textTtl())
                .optOwner("ml-platform")
                .optDescription("Lowercased subject + first message, detected language (Lingua over the configured "
                        + "languages) with confidence, length in characters and words, channel; as of ticket "
                        + "creation.")
                .build();
    }

    @Override
    public FeatureViewDefinition definition() {
        return definition;
    }

    @Override
    public Dataset<Row> compute(Dataset<Row> curated) {
        Column text = lower(col(CuratedInteractions.TEXT));
        Column trimmed = trim(col(TEXT));
        return curated
                .select(col(CuratedInteractions.TICKET_ID), col(CuratedInteractions.CREATED_AT),
                        text.as(TEXT), col(CuratedInteractions.CHANNEL).as(CHANNEL),
                        LanguageColumns.detect(col(CuratedInteractions.TEXT), languages).as("_lang"))
                .select(col(CuratedInteractions.TICKET_ID), col(CuratedInteractions.CREATED_AT), col(TEXT),
                        col("_lang." + LanguageColumns.LANGUAGE).as(LANGUAGE),
                        col("_lang." + LanguageColumns.CONFIDENCE).as(LANGUAGE_CONFIDENCE),
                        length(col(TEXT)).as(TEXT_CHARS),
                        when(trimmed.equalTo(""), 0).otherwise(size(split(trimmed, "\\s+"))).as(TEXT_WORDS),
                        col(CHANNEL)); // curated holds one row per ticket: already unique per (ticket, time)
    }
}
