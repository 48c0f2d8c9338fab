package io.cxml.jobs.scoring;

import io.cxml.experiments.Experiment;
import io.cxml.inference.scoring.ScoredTickets;
import io.cxml.inference.scoring.ScoringExperiment;
import io.cxml.inference.scoring.ScoringModel;
import io.cxml.inference.scoring.ScoringOptions;
import io.cxml.inference.scoring.TicketScoring;
import io.cxml.jobs.cli.CxmlCommand;
import io.cxml.jobs.cli.JobRun;
import io.cxml.jobs.cli.TimeWindow;
import io.cxml.jobs.config.ConfigError;
import io.cxml.jobs.config.ExperimentSettings;
import io.cxml.jobs.config.Settings;
import io.cxml.language.LanguageOptions;
import io.cxml.runs.RunRecord;
import io.cxml.training.registry.ModelManifest;
import io.cxml.training.registry.ModelRef;
import io.cxml.training.registry.ModelRegistry;
import io.cxml.training.routing.RoutingRun;
import io.cxml.warehouse.PublishOptions;
import io.cxml.warehouse.PublishResult;
import io.cxml.warehouse.WarehousePublisher;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code cxml score --from TS --to TS [--model intent=intent@champion ...]}. */
@Command(name = "score", mixinStandardHelpOptions = true,
        description = {"Score the curated tickets created in [--from, --to) with the champion models (or the versions "
                + "given) on the executors: language, intent (+ calibrated confidence, top-k, unknown routing) and "
                + "sentiment. Writes scored/tickets/dt=<date>/ (the touched days are rewritten, so a re-run changes "
                + "nothing) and MERGEs SCORED_TICKETS on ticket_id when a warehouse is configured. Tickets that "
                + "cannot be scored go to quarantine/scoring with a reason."})
public final class ScoreCommand extends CxmlCommand {
    /** Run-record count of rows MERGEd into the warehouse. */
    public static final String PUBLISHED = "published";

    @Mixin
    TimeWindow window = new TimeWindow();

    @Option(names = "--model", paramLabel = "TASK=NAME@VERSION|@ALIAS",
            description = "Model of a task, e.g. intent=intent@v3, sentiment=none or routing=routing@v2 (default: "
                    + "cxml.scoring.models).")
    Map<String, String> models = new LinkedHashMap<>();

    @Override
    public Integer call() {
        run(settings(), window.from(), window.to(), models);
        return 0;
    }

    /**
     * Scores a window (also used by the pipeline).
     *
     * @param config the resolved settings
     * @param from first creation time included
     * @param to first creation time excluded
     * @param overrides task -> model reference, over cxml.scoring.models
     * @return the run record
     */
    public static RunRecord run(Settings config, Instant from, Instant to, Map<String, String> overrides) {
        Map<String, String> refs = config.scoring().models();
        overrides.forEach((task, ref) -> {
            if (!List.of(ScoredTickets.INTENT, ScoredTickets.SENTIMENT, RoutingRun.TASK).contains(task)) {
                throw new ConfigError("Cannot score with --model " + task + "=" + ref + ": the tasks are intent, "
                        + "sentiment and routing");
            }
            refs.put(task, ref);
        });
        String table = config.scoring().table();
        boolean publish = config.storage().publishes(table);
        return JobRun.execute(config, "score", System.out, (spark, layout, record) -> {
            io.cxml.jobs.features.EmbeddingViews.activate(config, spark, layout);
            ModelRegistry registry = new ModelRegistry(layout, spark.sparkContext().hadoopConfiguration());
            ScoringModel intent = model(registry, refs.get(ScoredTickets.INTENT), true);
            ScoringModel sentiment = model(registry, refs.get(ScoredTickets.SENTIMENT), false);
            ScoringModel routing = model(registry, refs.get(RoutingRun.TASK), false);
            record.window.put("from", from.toString());
            record.window.put("to", to.toString());
            record.versions.put(ScoredTickets.INTENT, intent.label());
            record.versions.put(ScoredTickets.SENTIMENT, sentiment == null ? "none" : sentiment.label());
            record.versions.put(RoutingRun.TASK, routing == null ? "none" : routing.label());
            ScoringExperiment experiment = experiment(config, registry, from, to, record);
            ScoringOptions options = options(config, from, to, intent, sentiment, routing).optExperiment(experiment)
                    .build();
            TicketScoring scoring = new TicketScoring(spark, layout);
            try {
                Dataset<Row> scored = scoring.run(options, record);
                if (record.count(TicketScoring.READ) == 0) {
                    throw new io.cxml.jobs.cli.EmptyWindow("Cannot score [" + from + ", " + to + "): no curated ticket "
                            + "was created in it. Check the window and that ingest ran for those days");
                }
                if (publish) {
                    PublishOptions.Builder b = PublishOptions.builder().setTable(table)
                            .setKeyColumns(ScoredTickets.TICKET_ID).optTableComment(ScoredTickets.TABLE_COMMENT)
                            .optBatchSize(config.storage().warehouseBatchSize())
                            .optLoadPartitions(config.storage().warehouseLoadPartitions())
                            .optRunId(record.runId.replaceAll("[^A-Za-z0-9]", "_"));
                    String schema = config.storage().warehouseSchema();
                    if (!schema.isBlank()) {
                        b.optSchema(schema);
                    }
                    ScoredTickets.columnComments().forEach(b::optColumnComment);
                    PublishResult r = new WarehousePublisher(config.storage().warehouse(),
                            config.storage().dialect()).publish(scored.drop(ScoredTickets.DT), b.build());
                    record.count(PUBLISHED, r.rows());
                    record.details.put("warehouse_table", table);
                }
            } finally {
                scoring.cleanUp(record);
            }
        });
    }

    /**
     * The experiment running in the window with each arm's version resolved, or null. An arm naming a version the
     * registry does not hold fails here, before any data is read.
     */
    private static ScoringExperiment experiment(Settings config, ModelRegistry registry, Instant from, Instant to,
            RunRecord record) {
        Experiment e = config.experiments().activeDuring(from, to).orElse(null);
        if (e == null) {
            return null;
        }
        Map<String, ScoringModel> arms = new LinkedHashMap<>();
        for (Experiment.Arm arm : e.arms()) {
            ModelRef ref = ModelRef.parse(arm.version());
            try {
                ModelManifest m = registry.resolve(ref);
                arms.put(arm.name(), new ScoringModel(m.name() + "@" + m.version(),
                        registry.modelUri(m.name(), m.version())));
            } catch (IllegalArgumentException missing) {
                throw new ConfigError("Cannot score experiment '" + e.name() + "': arm '" + arm.name() + "' serves "
                        + arm.version() + ", which the registry does not hold (" + missing.getMessage()
                        + "); register it or fix the arm in " + ExperimentSettings.EXPERIMENTS);
            }
        }
        record.details.put("experiment", e.name());
        arms.forEach((arm, m) -> record.versions.put("experiment." + e.name() + "." + arm, m.label()));
        return new ScoringExperiment(e, arms);
    }

    /**
     * The scoring options of a window under the settings (batch size, languages, device, routing lookback); also the
     * experiment replay's.
     *
     * @param config the settings
     * @param from first creation time
     * @param to first creation time left out
     * @param intent the intent model
     * @param sentiment the sentiment model or null
     * @param routing the routing model or null
     * @return the builder, to add an experiment to
     */
    public static ScoringOptions.Builder options(Settings config, Instant from, Instant to, ScoringModel intent,
            ScoringModel sentiment, ScoringModel routing) {
        return ScoringOptions.builder().setWindow(from, to).setIntent(intent).optSentiment(sentiment)
                .setLanguages(config.features().languages()).setBatchSize(config.scoring().batchSize())
                .setTopK(config.scoring().topK()).setMaxTextChars(config.scoring().maxTextChars())
                .optDevice(config.training().device()).optRouting(routing)
                .optActiveTeamDays(config.routing().lookbackDays());
    }

    /**
     * @param registry the registry
     * @param ref a model reference, or blank / none
     * @param required whether a missing model fails (otherwise: null when none of that name is registered)
     * @return the resolved model, or null
     */
    public static ScoringModel model(ModelRegistry registry, String ref, boolean required) {
        if (ref == null || ref.isBlank() || ref.equals("none")) {
            if (required) {
                throw new ConfigError("Cannot score without an intent model: set --model intent=intent@<version>");
            }
            return null;
        }
        ModelRef parsed = ModelRef.parse(ref);
        try {
            ModelManifest m = registry.resolve(parsed);
            return new ScoringModel(m.name() + "@" + m.version(), registry.modelUri(m.name(), m.version()));
        } catch (IllegalArgumentException e) {
            if (required || !registry.versions(parsed.name()).isEmpty()) {
                throw e;
            }
            org.slf4j.LoggerFactory.getLogger(ScoreCommand.class).warn(
                    "No {} model is registered: its columns stay empty ({})", parsed.name(), e.getMessage());
            return null;
        }
    }

    static Instant time(String value, String option) {
        return TimeWindow.time(value, option);
    }
}
