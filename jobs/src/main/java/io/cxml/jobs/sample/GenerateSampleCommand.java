package io.cxml.jobs.sample;

import io.cxml.jobs.cli.CxmlCommand;
import io.cxml.jobs.cli.JobRun;
import io.cxml.jobs.cli.SeedOption;
import io.cxml.jobs.config.ConfigError;
import io.cxml.jobs.config.SampleSettings;
import io.cxml.jobs.config.Settings;
import io.cxml.runs.RunRecord;
import java.time.LocalDate;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code cxml generate-sample}: a realistic raw export to try the suite on, without any customer data. */
@Command(name = "generate-sample", mixinStandardHelpOptions = true,
        description = {"Write a synthetic raw interaction export (raw/interactions/dt=YYYY-MM-DD/*.jsonl.gz) from "
                + "real multilingual utterances (BANKING77, xSID): many tenants with their own teams and routing "
                + "policies, repeat customers, conversations, outcomes, and a share of deliberately bad lines. "
                + "Replaces any previous export under the storage root. Defaults come from cxml.sample.*."})
public final class GenerateSampleCommand extends CxmlCommand {
    @Option(names = "--tickets", paramLabel = "N", description = "Number of tickets.")
    Long tickets;

    @Option(names = "--accounts", paramLabel = "M", description = "Number of tenants.")
    Integer accounts;

    @Option(names = "--days", paramLabel = "D", description = "Days of history.")
    Integer days;

    @picocli.CommandLine.Mixin
    SeedOption seed = new SeedOption();

    @Option(names = "--start-date", paramLabel = "DATE", description = "First day (YYYY-MM-DD).")
    LocalDate startDate;

    @Option(names = "--scenario", paramLabel = "KIND[:DATE]",
            description = "Plant drift from DATE on (default: two thirds into the history): language-shift, new-intent "
                    + "or team-reorg (repeatable; docs/operations.md). Default: cxml.sample.scenarios.")
    List<String> scenarios;

    @Override
    public Integer call() {
        Settings config = settings();
        run(config, spec(config, tickets, accounts, days, seed.seed(), startDate, scenarios));
        return 0;
    }

    /**
     * {@link #spec(Settings, Long, Integer, Integer, Long, LocalDate)} with drift scenarios.
     *
     * @param config the config
     * @param tickets --tickets or null
     * @param accounts --accounts or null
     * @param days --days or null
     * @param seed --seed or null
     * @param startDate --start-date or null
     * @param scenarios --scenario values, or null for cxml.sample.scenarios
     * @return the spec
     */
    public static SampleSpec spec(Settings config, Long tickets, Integer accounts, Integer days, Long seed,
            LocalDate startDate, List<String> scenarios) {
        SampleSpec spec = spec(config, tickets, accounts, days, seed, startDate);
        List<String> given = scenarios != null ? scenarios : config.sample().scenarios();
        try {
            return spec.withScenarios(given.stream().map(x -> DriftScenario.parse(x, spec.defaultScenarioStart()))
                    .toList());
        } catch (IllegalArgumentException e) {
            throw new ConfigError(e.getMessage(), e);
        }
    }

    /**
     * Builds the spec from config defaults and command-line values (which win when given).
     *
     * @param config the config
     * @param tickets --tickets or null
     * @param accounts --accounts or null
     * @param days --days or null
     * @param seed --seed or null
     * @param startDate --start-date or null
     * @return the spec
     */
    public static SampleSpec spec(Settings config, Long tickets, Integer accounts, Integer days, Long seed,
            LocalDate startDate) {
        SampleSettings.Values d = config.sample();
        try {
            return SampleSpec.builder()
                    .setTickets(tickets != null ? tickets : d.tickets())
                    .setAccounts(accounts != null ? accounts : d.accounts())
                    .setDays(days != null ? days : d.days())
                    .setSeed(seed != null ? seed : d.seed())
                    .setStartDate(startDate != null ? startDate : d.startDate())
                    .setBadRecordShare(d.badRecordShare())
                    .setDuplicateShare(d.duplicateShare())
                    .setTicketsPerTask(d.ticketsPerTask())
                    .optToneStrength(d.toneStrength())
                    .optLabels(new AgentLabelSpec(d.labels().field(), d.labels().coverage(), d.labels().errorRate(),
                            d.labels().taxonomyChange()))
                    .build();
        } catch (IllegalArgumentException e) {
            throw new ConfigError(e.getMessage(), e); // a bad option or cxml.sample.* value: a usage error
        }
    }

    /**
     * Generates (also used by the pipeline).
     *
     * @param config the config
     * @param spec what to generate
     * @return the run record
     */
    public static RunRecord run(Settings config, SampleSpec spec) {
        return JobRun.execute(config, "generate-sample", System.out, (spark, layout, record) -> {
            record.window.put("from", spec.startDate().toString());
            record.window.put("to", spec.endDate().plusDays(1).toString()); // [from, to), as every window
            SampleGenerator generator = new SampleGenerator(spark, layout);
            SampleStats stats = generator.generate(spec);
            if (!spec.scenarios().isEmpty()) {
                record.details.put("scenarios", generator.scenarioFacts());
            }
            record.count("tickets", stats.tickets).count("lines", stats.lines).count("files", stats.files)
                    .count("superseded_versions", stats.supersededVersions)
                    .count("duplicate_lines", stats.duplicateLines).count("bad_lines", stats.badTotal())
                    .count("kb_lines", generator.knowledgeBaseLines());
            record.details.put("bad_lines", stats.badLines);
            record.details.put("seed", spec.seed());
        });
    }
}
