package io.cxml.jobs.config;

import io.cxml.ingest.IngestOptions;

/**
 * Ingest area ({@code cxml.ingest.*}). Resolved once by {@link Settings#resolve}; the only place these keys are read.
 * Defaults live in {@code conf/application.conf}.
 */
public final class IngestSettings {
    /** Config key: subjects or bodies longer than this are quarantined as text_too_large. */
    public static final String MAX_TEXT_CHARS = "cxml.ingest.max-text-chars";
    /** Config key: how much of a rejected raw line the quarantine keeps. */
    public static final String QUARANTINE_RECORD_CHARS = "cxml.ingest.quarantine-record-chars";

    private final IngestOptions options;

    private IngestSettings(IngestOptions options) {
        this.options = options;
    }

    /**
     * @param config the validated config
     * @return the ingest settings
     */
    public static IngestSettings resolve(CxmlConfig config) {
        return new IngestSettings(new IngestOptions(config.getInt(MAX_TEXT_CHARS),
                config.getInt(QUARANTINE_RECORD_CHARS)));
    }

    /** @return the ingestor's options */
    public IngestOptions options() {
        return options;
    }
}
