package io.cxml.jobs.pipeline;

import io.cxml.jobs.cli.CxmlCommand;
import io.cxml.jobs.cli.CxmlException;
import io.cxml.jobs.cli.SeedOption;
import io.cxml.jobs.config.Settings;
import io.cxml.jobs.config.TrainingSettings;
import io.cxml.jobs.features.FeaturesBuildCommand;
import io.cxml.jobs.ingest.IngestCommand;
import io.cxml.jobs.sample.GenerateSampleCommand;
import io.cxml.jobs.sample.SampleSpec;
import io.cxml.jobs.scoring.ScoreCommand;
import io.cxml.jobs.spark.SparkSessions;
import io.cxml.jobs.training.ModelsCommand;
import io.cxml.jobs.training.TrainCommand;
import io.cxml.jobs.training.TrainRoutingCommand;
import io.cxml.storage.StorageLayout;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code cxml pipeline}: every stage end to end, in one Spark session, each stage writing its own run record. With
 * {@code --sample} it first generates a sample export and processes its whole window: the newcomer's demo.
 */
@Command(name = "pipeline", mixinStandardHelpOptions = true,
        description = {"Run the stages end to end: [generate-sample] -> ingest -> features build [-> train intent -> "
                + "promote (quality gates) -> train sentiment -> promote -> train routing -> promote -> score [with an A/A/B experiment, --experiment]]. "
                + "With --sample, generate sample data "
                + "first (cxml.sample.* or the options below) and process its whole window; otherwise process "
                + "--from..--to of the existing export."})
public final class PipelineCommand extends CxmlCommand {
    private static final Logger LOG = LoggerFactory.getLogger(PipelineCommand.class);

    @Option(names = "--sample", description = "Generate sample data first and run on it.")
    boolean sample;

    @Option(names = "--from", paramLabel = "DATE", description = "First day (without --sample).")
    LocalDate from;

    @Option(names = "--to", paramLabel = "DATE", description = "First day left out: the window is [--from, --to) "
            + "(default: the day after --from).")
    LocalDate to;

    @Option(names = "--tickets", paramLabel = "N", description = "With --sample: number of tickets.")
    Long tickets;

    @Option(names = "--accounts", paramLabel = "M", description = "With --sample: number of tenants.")
    Integer accounts;

    @Option(names = "--days", paramLabel = "D", description = "With --sample: days of history.")
    Integer days;

    @picocli.CommandLine.Mixin
    SeedOption seed = new SeedOption();

    @Option(names = "--train", description = "Also train the intent model and per-tenant routing on the curated "
            + "window, promote both through the quality gates and score the window with them.")
    boolean train;

    @Option(names = "--scenario", paramLabel = "KIND[:DATE]", description = "With --sample: plant drift from DATE on "
            + "(language-shift, new-intent, team-reorg; repeatable) and show operations end to end: train and promote "
            + "on the days before the drift, score everything, find the drift (monitor drift), retrain --if-drifted "
            + "(challenger gated on the fixed evaluation set, promoted on pass), re-score the drifted days and check "
            + "them again.")
    List<String> scenarios;

    @Option(names = "--experiment", description = "With --sample (implies --train): after the champion, train a "
            + "second intent version and run one experiment over the window with three arms (control and control-copy "
            + "serve the champion, challenger the new version), plant a known effect in the challenger's outcomes "
            + "(cxml.sample.experiment.*), analyse it and show the lift found and the A/A pair that finds nothing.")
    boolean experiment;

    /** One step of the pipeline. */
    private record Stage(String name, Runnable body) {}

    @Override
    public Integer call() {
        Settings config = settings();
        LocalDate first;
        LocalDate end; // first day left out: every stage's window is [first, end)
        List<Stage> stages = new ArrayList<>();
        if (sample) {
            SampleSpec spec = GenerateSampleCommand.spec(config, tickets, accounts, days, seed.seed(), null);
            first = spec.startDate();
            end = spec.endDate().plusDays(1);
            stages.add(new Stage("generate-sample", () -> GenerateSampleCommand.run(config, spec)));
        } else {
            if (from == null) {
                throw new CxmlException("Cannot run the pipeline: give --from DATE [--to DATE], or --sample to run "
                        + "on generated sample data");
            }
            first = from;
            end = to == null ? from.plusDays(1) : to;
        }
        stages.add(new Stage("ingest", () -> IngestCommand.run(config, first, end)));
        stages.add(new Stage("features build", () -> FeaturesBuildCommand.run(config, first, end, List.of())));
        String[] trained = new String[1];
        String[] routing = new String[1];
        String[] sentiment = new String[1];
        DriftDemo demo = null;
        ExperimentDemo experimentDemo = null;
        if (experiment && (!sample || (scenarios != null && !scenarios.isEmpty()))) {
            throw new CxmlException("Cannot run the experiment demo: --experiment needs --sample (it plants outcomes "
                    + "in generated data) and no --scenario");
        }
        if (scenarios != null && !scenarios.isEmpty()) {
            if (!sample) {
                throw new CxmlException("Cannot plant drift scenarios without --sample: add --sample");
            }
            SampleSpec spec = GenerateSampleCommand.spec(config, tickets, accounts, days, seed.seed(), null, scenarios);
            stages.set(0, new Stage("generate-sample", () -> GenerateSampleCommand.run(config, spec)));
            demo = new DriftDemo(config, spec);
            stages.addAll(demo.stages().stream().map(s -> new Stage(s.getKey(), s.getValue())).toList());
        } else if (train || experiment) {
            stages.add(new Stage("train intent", () -> {
                var m = TrainCommand.run(config, "train intent", "intent", null, null, null, first, end, null)
                        .manifest();
                trained[0] = m.name() + "@" + m.version();
            }));
            stages.add(new Stage("promote intent", () -> ModelsCommand.promote(config, trained[0])));
            stages.add(new Stage("train sentiment", () -> {
                var m = TrainCommand.run(config, "train sentiment", "sentiment", null, null, null, first, end, null)
                        .manifest();
                sentiment[0] = m.name() + "@" + m.version();
            }));
            stages.add(new Stage("promote sentiment", () -> ModelsCommand.promote(config, sentiment[0])));
            stages.add(new Stage("train routing", () -> {
                var m = TrainRoutingCommand.run(config, "train routing", null, first, end, "routing").manifest();
                routing[0] = m.name() + "@" + m.version();
            }));
            stages.add(new Stage("promote routing", () -> ModelsCommand.promote(config, routing[0])));
            if (experiment) { // the experiment's score replaces the plain one: same window, arms recorded
                experimentDemo = new ExperimentDemo(config, first, end);
                stages.addAll(experimentDemo.stages().stream().map(s -> new Stage(s.getKey(), s.getValue())).toList());
            } else {
                stages.add(new Stage("score", () -> ScoreCommand.run(config,
                        first.atStartOfDay(ZoneOffset.UTC).toInstant(),
                        end.atStartOfDay(ZoneOffset.UTC).toInstant(), Map.of())));
            }
        }

        long start = System.nanoTime();
        SparkSessions.create(config, "pipeline"); // one session for every stage, named after the pipeline
        for (int i = 0; i < stages.size(); i++) {
            Stage stage = stages.get(i);
            LOG.info("Pipeline stage {}/{}: {}", i + 1, stages.size(), stage.name());
            stage.body().run();
        }
        System.out.printf("pipeline succeeded: %d stage(s) over [%s, %s) in %.1f s%n", stages.size(), first, end,
                (System.nanoTime() - start) / 1e9);
        StorageLayout layout = config.storage().layout();
        System.out.println("  curated tickets  " + layout.curatedInteractions());
        if ((train || experiment) && trained[0] != null) {
            System.out.println("  scored tickets   " + layout.resolve("scored/tickets"));
            System.out.println("  model report     " + layout.models("intent") + "/"
                    + trained[0].substring(trained[0].indexOf('@') + 1) + "/report/report.html");
            System.out.println("  sentiment report " + layout.models("sentiment") + "/"
                    + sentiment[0].substring(sentiment[0].indexOf('@') + 1) + "/report/report.html");
            System.out.println("  routing report   " + layout.models("routing") + "/"
                    + routing[0].substring(routing[0].indexOf('@') + 1) + "/report/report.html");
        }
        if (demo != null) {
            demo.printSummary(layout);
        }
        if (experimentDemo != null) {
            experimentDemo.printSummary(System.out, layout);
        }
        System.out.println("  run records      " + layout.resolve("runs"));
        return 0;
    }
}
