package io.cxml.jobs.config;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Scoring area ({@code cxml.scoring.*}): how executors score (batch size, top-k, text limit; also used by evaluation
 * and training's held-out scoring), the default models and the warehouse table. Resolved once by
 * {@link Settings#resolve}; the only place these keys are read. Defaults live in {@code conf/application.conf}.
 */
public final class ScoringSettings {
    /** Config key: texts per predictor call when executors score (batch scoring, evaluation, training). */
    public static final String BATCH_SIZE = "cxml.scoring.batch-size";
    /** Config key: labels listed per prediction. */
    public static final String TOP_K = "cxml.scoring.top-k";
    /** Config key: longer model texts are skipped (text_too_long). */
    public static final String MAX_TEXT_CHARS = "cxml.scoring.max-text-chars";
    /** Config key of the default models by task (NAME@VERSION or NAME@ALIAS). */
    public static final String MODELS = "cxml.scoring.models";
    /** Config key: warehouse table of the scored tickets; "" skips publishing. */
    public static final String TABLE = "cxml.scoring.table";

    private final int batchSize;
    private final int topK;
    private final int maxTextChars;
    private final Map<String, String> models;
    private final String table;

    private ScoringSettings(CxmlConfig config) {
        this.batchSize = config.getInt(BATCH_SIZE);
        this.topK = config.getInt(TOP_K);
        this.maxTextChars = config.getInt(MAX_TEXT_CHARS);
        this.models = new LinkedHashMap<>(config.getStringMap(MODELS));
        this.table = config.getString(TABLE);
    }

    /**
     * @param config the validated config
     * @return the scoring settings
     */
    public static ScoringSettings resolve(CxmlConfig config) {
        return new ScoringSettings(config);
    }

    /** @return texts per predictor call */
    public int batchSize() {
        return batchSize;
    }

    /** @return labels per prediction */
    public int topK() {
        return topK;
    }

    /** @return longer model texts are skipped */
    public int maxTextChars() {
        return maxTextChars;
    }

    /** @return task -> model reference, sorted by task */
    public Map<String, String> models() {
        return new LinkedHashMap<>(models);
    }

    /** @return the warehouse table of the scored tickets; blank skips publishing */
    public String table() {
        return table;
    }
}
