package io.cxml.jobs.experiment;

import io.cxml.experiments.Experiment;
import io.cxml.experiments.PlantedOutcomes;
import io.cxml.inference.scoring.TicketScoring;
import io.cxml.jobs.cli.CxmlCommand;
import io.cxml.jobs.cli.JobRun;
import io.cxml.jobs.config.ConfigError;
import io.cxml.jobs.config.Settings;
import io.cxml.runs.RunRecord;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code cxml experiment simulate-outcomes}: sample data only, plants a known effect of the served arm. */
@Command(name = "simulate-outcomes", mixinStandardHelpOptions = true,
        description = {"Sample data only: after cxml score, rewrite the outcomes of the experiment's tickets served by "
                + "the given arms (default: every challenger) in curated/interactions so the arm changes them by a "
                + "known effect (reopen and escalation: relative change of the rate; CSAT: probability of a one-point "
                + "move). Seeded hash draws per ticket; re-running starts from the saved original outcomes. "
                + "docs/experiments.md#a-sample-where-the-arm-matters"})
public final class ExperimentSimulateCommand extends CxmlCommand {
    /** Run-record count of tickets whose outcomes were redrawn. */
    public static final String PLANTED = "planted";

    @Option(names = "--experiment", required = true, paramLabel = "NAME", description = "Experiment in cxml.experiments.")
    String experiment;

    @Option(names = "--arm", paramLabel = "ARM", description = "Arm whose tickets get the effects (repeatable; "
            + "default every challenger). Arms not named get their original outcomes back.")
    List<String> arms = new ArrayList<>();

    @Option(names = "--reopen", paramLabel = "R", description = "Relative change of the reopen rate, e.g. -0.3.")
    double reopen;

    @Option(names = "--escalation", paramLabel = "R", description = "Relative change of the escalation rate.")
    double escalation;

    @Option(names = "--csat", paramLabel = "S", description = "CSAT shift: probability of a one-point move "
            + "(negative: down).")
    double csat;

    @Option(names = "--seed", paramLabel = "N", description = "Seed of the draws (default ${DEFAULT-VALUE}).")
    long seed = 42;

    @Override
    public Integer call() {
        run(settings(), experiment, arms, new PlantedOutcomes.Effects(reopen, escalation, csat), seed);
        return 0;
    }

    /**
     * @param config the settings
     * @param name the experiment
     * @param arms arms that get the effects; empty = every challenger
     * @param effects the effects
     * @param seed the seed
     * @return the run record
     */
    public static RunRecord run(Settings config, String name, List<String> arms, PlantedOutcomes.Effects effects,
            long seed) {
        Experiment e = config.experiments().named(name);
        List<String> chosen = arms.isEmpty() ? e.arms().subList(1, e.arms().size()).stream()
                .map(Experiment.Arm::name).toList() : List.copyOf(arms);
        for (String arm : chosen) {
            if (e.arms().stream().noneMatch(a -> a.name().equals(arm))) {
                throw new ConfigError("Cannot plant outcomes in arm '" + arm + "': experiment '" + name + "' has arms "
                        + e.arms().stream().map(Experiment.Arm::name).toList());
            }
        }
        return JobRun.execute(config, "experiment simulate-outcomes", System.out, (spark, layout, record) -> {
            record.details.put("experiment", name);
            record.details.put("arms", chosen);
            record.details.put("effects", java.util.Map.of("reopen", effects.reopen(), "escalation",
                    effects.escalation(), "csat", effects.csat()));
            record.details.put("seed", seed);
            long planted = PlantedOutcomes.rewrite(spark, layout,
                    spark.read().parquet(new TicketScoring(spark, layout).scoredPath()), e, chosen, effects, seed);
            record.count(PLANTED, planted);
            System.out.printf("planted reopen %+.2f, escalation %+.2f (relative), csat %+.2f in %d tickets of %s%n",
                    effects.reopen(), effects.escalation(), effects.csat(), planted, chosen);
        });
    }
}
