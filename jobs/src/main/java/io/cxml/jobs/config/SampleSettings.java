package io.cxml.jobs.config;

import java.time.LocalDate;
import java.util.List;

/**
 * Sample-data area ({@code cxml.sample.*}), the defaults of {@code cxml generate-sample}'s options. Resolved once by
 * {@link Settings#resolve}; the only place these keys are read. Defaults live in {@code conf/application.conf}.
 */
public final class SampleSettings {
    /** Config keys. */
    public static final String TICKETS = "cxml.sample.tickets";
    public static final String ACCOUNTS = "cxml.sample.accounts";
    public static final String DAYS = "cxml.sample.days";
    public static final String SEED = "cxml.sample.seed";
    public static final String START_DATE = "cxml.sample.start-date";
    public static final String BAD_RECORD_SHARE = "cxml.sample.bad-record-share";
    public static final String DUPLICATE_SHARE = "cxml.sample.duplicate-share";
    public static final String TICKETS_PER_TASK = "cxml.sample.tickets-per-task";
    public static final String TONE_STRENGTH = "cxml.sample.tone-strength";
    public static final String SCENARIOS = "cxml.sample.scenarios";

    /**
     * The values, as configured.
     *
     * @param tickets number of tickets
     * @param accounts number of tenants
     * @param days days of history
     * @param seed random seed
     * @param startDate first day
     * @param badRecordShare share of deliberately broken lines
     * @param duplicateShare share of duplicate lines
     * @param ticketsPerTask tickets per generation task
     * @param toneStrength probability that the tone follows the outcome
     * @param scenarios drift scenarios, {@code KIND[:DATE]}
     */
    public record Values(long tickets, int accounts, int days, long seed, LocalDate startDate, double badRecordShare,
            double duplicateShare, int ticketsPerTask, double toneStrength, List<String> scenarios) {
        /** Copies the scenarios. */
        public Values {
            scenarios = List.copyOf(scenarios);
        }
    }

    private SampleSettings() {}

    /**
     * @param config the validated config
     * @return the sample settings
     * @throws ConfigError when the start date is not a date
     */
    public static Values resolve(CxmlConfig config) {
        return new Values(config.getLong(TICKETS), config.getInt(ACCOUNTS), config.getInt(DAYS), config.getLong(SEED),
                config.getDate(START_DATE), config.getDouble(BAD_RECORD_SHARE), config.getDouble(DUPLICATE_SHARE),
                config.getInt(TICKETS_PER_TASK), config.getDouble(TONE_STRENGTH), config.getStringList(SCENARIOS));
    }
}
