package io.cxml.jobs.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import io.cxml.experiments.Metric;
import io.cxml.experiments.PlantedOutcomes;
import java.time.Duration;
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
    /** The agent-set contact-reason field: its name, coverage, error rate and taxonomy-change day. */
    public static final String LABEL_FIELD = "cxml.sample.labels.field";
    public static final String LABEL_COVERAGE = "cxml.sample.labels.coverage";
    public static final String LABEL_ERROR_RATE = "cxml.sample.labels.error-rate";
    public static final String LABEL_TAXONOMY_CHANGE = "cxml.sample.labels.taxonomy-change";
    /** The experiment of {@code cxml pipeline --sample --experiment}. */
    public static final String EXPERIMENT = "cxml.sample.experiment";

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
     * @param labels the agent-set contact-reason field
     * @param experiment the experiment of {@code pipeline --sample --experiment}
     */
    public record Values(long tickets, int accounts, int days, long seed, LocalDate startDate, double badRecordShare,
            double duplicateShare, int ticketsPerTask, double toneStrength, List<String> scenarios, Labels labels,
            DemoExperiment experiment) {
        /** Copies the scenarios. */
        public Values {
            scenarios = List.copyOf(scenarios);
        }
    }

    /**
     * How the sample's agents fill the contact-reason custom field.
     *
     * @param field the custom field's name
     * @param coverage share of tickets with the field set
     * @param errorRate share of set fields with a wrong, similar intent
     * @param taxonomyChange tickets created before this day carry old label names; null = half-way through the
     *     history
     */
    public record Labels(String field, double coverage, double errorRate, LocalDate taxonomyChange) {}

    /**
     * The A/A/B intent experiment of {@code cxml pipeline --sample --experiment} and the effect planted in its
     * challenger arm.
     *
     * @param name experiment name (and assignment salt)
     * @param challengerSeed training seed of the challenger intent version
     * @param primaryMetric the metric that decides
     * @param guardrails metrics that must not get worse
     * @param minimumDetectableEffect relative; scales the always-valid intervals
     * @param maturity how long after solving an outcome counts
     * @param effects planted in the challenger's tickets
     * @param effectSeed seed of the planted draws
     */
    public record DemoExperiment(String name, long challengerSeed, Metric primaryMetric, List<Metric> guardrails,
            double minimumDetectableEffect, Duration maturity, PlantedOutcomes.Effects effects, long effectSeed) {
        /** Copies the guardrails. */
        public DemoExperiment {
            guardrails = List.copyOf(guardrails);
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
                config.getInt(TICKETS_PER_TASK), config.getDouble(TONE_STRENGTH), config.getStringList(SCENARIOS),
                new Labels(config.getString(LABEL_FIELD), config.getDouble(LABEL_COVERAGE),
                        config.getDouble(LABEL_ERROR_RATE), config.getString(LABEL_TAXONOMY_CHANGE).isBlank() ? null
                        : config.getDate(LABEL_TAXONOMY_CHANGE)), experiment(config));
    }

    private static DemoExperiment experiment(CxmlConfig config) {
        Config c = config.raw().getConfig(EXPERIMENT);
        try {
            List<Metric> guardrails = c.getStringList("guardrails").stream().map(Metric::parse).toList();
            DemoExperiment e = new DemoExperiment(c.getString("name"), c.getLong("challenger-seed"),
                    Metric.parse(c.getString("primary-metric")), guardrails,
                    c.getDouble("minimum-detectable-effect"), c.getDuration("maturity"),
                    new PlantedOutcomes.Effects(c.getDouble("effects.reopen"), c.getDouble("effects.escalation"),
                            c.getDouble("effects.csat")), c.getLong("seed"));
            if (!e.name().matches("[A-Za-z0-9_-]+") || !(e.minimumDetectableEffect() > 0)
                    || e.maturity().isNegative()) {
                throw new IllegalArgumentException("use a name of letters, digits, '_' or '-', a "
                        + "minimum-detectable-effect > 0 and a maturity of 0 or more");
            }
            return e;
        } catch (ConfigException e) {
            throw new ConfigError("Wrong value under config key '" + EXPERIMENT + "': "
                    + e.getMessage().replaceAll("^.*?: ", "") + " (see conf/application.conf)", e);
        } catch (IllegalArgumentException e) {
            throw new ConfigError("Wrong value under config key '" + EXPERIMENT + "': " + e.getMessage(), e);
        }
    }
}
