package io.cxml.jobs.training;

import io.cxml.jobs.cli.CxmlCommand;
import io.cxml.jobs.cli.DayWindow;
import io.cxml.jobs.cli.JobRun;
import io.cxml.jobs.config.ConfigError;
import io.cxml.jobs.config.Settings;
import io.cxml.jobs.config.TrainingSettings;
import io.cxml.training.data.CuratedIntentSource;
import io.cxml.training.data.FeatureStoreTrainingSet;
import io.cxml.training.data.LabelStats;
import io.cxml.training.data.LabelledFileSource;
import io.cxml.training.data.SentimentWeakLabels;
import io.cxml.training.data.TrainingSetSource;
import io.cxml.training.eval.HeldOutDescription;
import io.cxml.training.registry.ModelRegistry;
import io.cxml.training.text.TextModelTraining;
import io.cxml.training.text.TrainOutcome;
import io.cxml.training.text.TrainRunOptions;
import java.time.LocalDate;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code cxml train intent|sentiment}. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train a model (DJL, in a Spark task: the task's GPU when Spark assigns one), fit the TF-IDF + "
                + "logistic-regression baseline on the same split, evaluate both on the held-out window and "
                + "register the version under models/<name>/.",
        subcommands = {TrainCommand.Intent.class, TrainCommand.Sentiment.class, TrainRoutingCommand.class})
public final class TrainCommand extends CxmlCommand {
    @Override
    public Integer call() {
        spec.commandLine().usage(System.out);
        return 0;
    }

    /** Options shared by both tasks. */
    abstract static class TaskCommand extends CxmlCommand {
        @Option(names = "--data", paramLabel = "PATH",
                description = "Labelled CSV or Parquet file with columns text,label[,language][,tenant][,event_time]"
                        + " instead of the curated tickets.")
        String data;

        @Option(names = "--training-set", paramLabel = "PATH",
                description = "A training set from `cxml features training-set` (relative paths are under the "
                        + "storage root); the model records its feature view versions.")
        String trainingSet;

        @Option(names = "--label-column", paramLabel = "COLUMN",
                description = "Label column of --training-set (default: the one its manifest records for the task).")
        String labelColumn;

        @picocli.CommandLine.Mixin
        DayWindow window = new DayWindow();

        @Option(names = "--name", paramLabel = "NAME", description = "Registry name (default: the task).")
        String name;

        @Option(names = {"--test-share", "--test-fraction"}, paramLabel = "SHARE",
                description = "Held-out test share (default: cxml.training.test-share; a --training-set keeps its "
                        + "own split). 0 trains on all rows but the validation carve; then evaluate on another file "
                        + "with `cxml evaluate`.")
        Double testFraction;

        abstract String task();

        @Override
        protected Map<String, Object> keyOptions() {
            return testFraction == null ? Map.of() : Map.of(TrainingSettings.TEST_SHARE, testFraction);
        }

        @Override
        public Integer call() {
            if (data != null && trainingSet != null) {
                throw new ConfigError("Cannot train from both --data and --training-set: pick one");
            }
            run(settings(), jobName(), task(), data, trainingSet, labelColumn, window.from(), window.to(), name);
            return 0;
        }
    }

    /**
     * Trains, evaluates and registers one model (also used by the pipeline).
     *
     * @param config the validated config
     * @param job the job name for the run record, e.g. {@code train intent}
     * @param task {@code intent} or {@code sentiment}
     * @param data a labelled file, or null for the curated tickets
     * @param trainingSet a feature-store training set, or null
     * @param labelColumn the label column of the training set, or null for the one its manifest records for the task
     * @param from first creation day (curated data), or null
     * @param to first creation day left out ({@code [from, to)}), or null
     * @param name registry name, or null for the task name
     * @return the outcome
     */
    public static TrainOutcome run(Settings config, String job, String task, String data, String trainingSet,
            String labelColumn, LocalDate from, LocalDate to, String name) {
        String model = name == null ? task : name;
        var training = config.training().options(task);
        var split = config.training().splitShares();
        double threshold = config.training().unknownThreshold();
        var baseline = config.training().baseline();
        TrainOutcome[] outcome = new TrainOutcome[1];
        JobRun.execute(config, job, System.out, (spark, layout, record) -> {
            io.cxml.jobs.features.EmbeddingViews.activate(config, spark, layout);
            Map<String, String> featureVersions = Map.of();
            TrainingSetSource source;
            if (trainingSet != null) {
                FeatureStoreTrainingSet set = new FeatureStoreTrainingSet(layout.resolveUserPath(trainingSet), task,
                        labelColumn, spark.sparkContext().hadoopConfiguration());
                featureVersions = set.featureVersions();
                featureVersions.forEach((view, version) -> record.versions.put("features." + view, version));
                source = set;
            } else {
                var languages = config.features().languages();
                source = data != null ? new LabelledFileSource(data)
                        : "sentiment".equals(task) ? new SentimentWeakLabels(layout, languages, from, to)
                        : new CuratedIntentSource(layout, config.labels().intent(), languages, from, to);
            }
            if (from != null) {
                record.window.put("from", from.toString());
            }
            if (to != null) {
                record.window.put("to", to.toString());
            }
            outcome[0] = new TextModelTraining(spark, new ModelRegistry(layout,
                    spark.sparkContext().hadoopConfiguration())).run(TrainRunOptions.builder().setName(model)
                    .setTask(task).setSource(source).setTraining(training).setSplit(split)
                    .setUnknownThreshold(threshold).optBaseline(baseline).optFeatureVersions(featureVersions)
                    .setRunId(record.runId).setScoringBatchSize(config.scoring().batchSize())
                    .optOutOfScopeLabel(config.training().outOfScopeLabel()).build());
            var m = outcome[0].manifest();
            record.count("test_examples", m.metrics().examples());
            record.details.put("model", m.name() + "@" + m.version());
            record.details.put("accuracy", m.metrics().accuracy());
            record.details.put("macro_f1", m.metrics().macroF1());
            if (m.baseline() != null) {
                record.details.put("baseline_accuracy", m.baseline().accuracy());
                record.details.put("baseline_macro_f1", m.baseline().macroF1());
            }
            record.details.put("report", outcome[0].reportUri());
            var facts = outcome[0].report().extra();
            LabelStats.REPORT_KEYS.stream().filter(facts::containsKey)
                    .forEach(k -> record.details.put(k.replaceAll("[^a-z]+", "_"), facts.get(k)));
        });
        var m = outcome[0].manifest();
        HeldOutDescription.lines(outcome[0].report().extra()).forEach(line -> System.out.println("  " + line));
        LabelStats.lines(outcome[0].report().extra()).forEach(line -> System.out.println("  " + line));
        System.out.printf("  model %s@%s: accuracy %.4f, macro-F1 %.4f (%d held-out examples)%n", m.name(),
                m.version(), m.metrics().accuracy(), m.metrics().macroF1(), m.metrics().examples());
        if (m.baseline() != null) {
            System.out.printf("  baseline TF-IDF + LR: accuracy %.4f, macro-F1 %.4f%n", m.baseline().accuracy(),
                    m.baseline().macroF1());
        }
        outcome[0].report().comparisons().forEach((other, c) -> System.out.printf(
                "  %s (same split): accuracy %.4f, macro-F1 %.4f%n", other, c.accuracy(), c.macroF1()));
        System.out.printf("  training %.0f examples/s on %s%n", outcome[0].report().training().examplesPerSecond(),
                outcome[0].report().training().device());
        System.out.println("  promote with: cxml models promote " + m.name() + "@" + m.version());
        System.out.println("report: " + outcome[0].reportUri());
        return outcome[0];
    }

    /** {@code cxml train intent}. */
    @Command(name = "intent", mixinStandardHelpOptions = true,
            description = "Train the multilingual intent model (labels: the export's field named by "
                    + "cxml.training.labels, through its taxonomy; or --data).")
    public static final class Intent extends TaskCommand {
        @Override
        String task() {
            return "intent";
        }
    }

    /** {@code cxml train sentiment}. */
    @Command(name = "sentiment", mixinStandardHelpOptions = true,
            description = "Train the sentiment model. Without --data, labels are weak labels from outcomes: CSAT 1-2 "
                    + "or escalated = negative; CSAT 4-5 and not reopened = positive; CSAT 3 = neutral; else "
                    + "excluded.")
    public static final class Sentiment extends TaskCommand {
        @Override
        String task() {
            return "sentiment";
        }
    }
}
