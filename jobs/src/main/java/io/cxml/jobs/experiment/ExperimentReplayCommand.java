package io.cxml.jobs.experiment;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.cxml.contract.CuratedInteractions;
import io.cxml.experiments.Experiment;
import io.cxml.experiments.ExperimentStore;
import io.cxml.experiments.Metric;
import io.cxml.experiments.MomentSums;
import io.cxml.experiments.ReplayEstimate;
import io.cxml.experiments.ReplayStatistics;
import io.cxml.inference.scoring.ScoredTickets;
import io.cxml.inference.scoring.ScoringModel;
import io.cxml.inference.scoring.ScoringOptions;
import io.cxml.inference.scoring.TicketScoring;
import io.cxml.jobs.cli.CxmlCommand;
import io.cxml.jobs.cli.JobRun;
import io.cxml.jobs.cli.TimeWindow;
import io.cxml.jobs.config.ConfigError;
import io.cxml.jobs.config.Settings;
import io.cxml.jobs.features.EmbeddingViews;
import io.cxml.jobs.scoring.ScoreCommand;
import io.cxml.storage.StorageFiles;
import io.cxml.training.registry.ModelRef;
import io.cxml.training.registry.ModelRegistry;
import io.cxml.training.routing.RoutingRun;
import java.io.PrintStream;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code cxml experiment replay --experiment NAME --from TS --to TS}: the off-policy estimate on logged tickets. */
@Command(name = "replay", mixinStandardHelpOptions = true,
        description = {"Off-policy estimate (replay), before an online test: routes the logged, solved tickets created "
                + "in [--from, --to) offline with every arm's version (the control standing for the routing that "
                + "served them), compares each route with the team that solved the ticket, and estimates every "
                + "metric of the experiment under each challenger (direct method: the logged outcomes of tickets "
                + "routed right and wrong, weighted by how often the challenger routes right). Sums on the executors. "
                + "Writes experiments/<name>/replay/<from>_<to>.json and the run record; never the looks or "
                + "EXPERIMENT_RESULTS. docs/experiments.md#offline-replay"})
public final class ExperimentReplayCommand extends CxmlCommand {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @Option(names = "--experiment", required = true, paramLabel = "NAME",
            description = "Experiment in cxml.experiments (an intent or routing experiment: its arms must route).")
    String experiment;

    @Mixin
    TimeWindow window = new TimeWindow();

    @Override
    public Integer call() {
        run(settings(), experiment, window.from(), window.to(), Instant.now(), System.out);
        return 0;
    }

    /**
     * @param config the settings
     * @param name the experiment
     * @param from first creation time replayed
     * @param to first creation time left out
     * @param now tickets count once solved at least the experiment's maturity before it
     * @param out where the table goes
     * @return per challenger, per metric, the estimate (null where the logs cannot tell)
     */
    public static Map<String, Map<Metric, ReplayEstimate>> run(Settings config, String name, Instant from, Instant to,
            Instant now, PrintStream out) {
        Experiment e = config.experiments().named(name);
        if (!e.model().equals("intent") && !e.model().equals(RoutingRun.TASK)) {
            throw new ConfigError("Cannot replay experiment '" + name + "': its arms are " + e.model() + " versions, "
                    + "which do not change the route; the replay compares routes (intent or routing experiments)");
        }
        if (!to.isAfter(from)) {
            throw new ConfigError("Cannot replay [" + from + ", " + to + "): --to is the first time left out, so it "
                    + "must be after --from");
        }
        double alpha = config.experiments().alpha();
        Map<String, Map<Metric, ReplayEstimate>> result = new LinkedHashMap<>();
        JobRun.execute(config, "experiment replay", out, (spark, layout, record) -> {
            record.window.put("from", from.toString());
            record.window.put("to", to.toString());
            record.details.put("experiment", name);
            record.details.put("estimate", ReplayEstimate.LABEL);
            EmbeddingViews.activate(config, spark, layout);
            ModelRegistry registry = new ModelRegistry(layout, spark.sparkContext().hadoopConfiguration());
            Map<String, String> refs = config.scoring().models();
            ScoringModel routing = ScoreCommand.model(registry, refs.get(RoutingRun.TASK), false);
            if (routing == null && !e.model().equals(RoutingRun.TASK)) {
                throw new ConfigError("Cannot replay experiment '" + name + "': no routing model is registered; "
                        + "train and promote one (cxml train routing)");
            }
            ScoringOptions base = ScoreCommand.options(config, from, to,
                    ScoreCommand.model(registry, refs.get(ScoredTickets.INTENT), true),
                    ScoreCommand.model(registry, refs.get(ScoredTickets.SENTIMENT), false), routing).build();
            TicketScoring scoring = new TicketScoring(spark, layout);
            String staging = layout.resolve("_staging/experiment-replay/" + record.runId);
            Dataset<Row> routes = null;
            try {
                for (Experiment.Arm arm : e.arms()) {
                    ScoringModel version = armModel(registry, e, arm);
                    record.versions.put("arm." + arm.name(), version.label());
                    String path = staging + "/" + arm.name();
                    scoring.routes(base.withModel(e.model(), version), record, r -> {
                        r.write().mode(SaveMode.Overwrite).parquet(path);
                        return null;
                    });
                    Dataset<Row> armRoutes = spark.read().parquet(path).withColumnRenamed(ScoredTickets.ROUTED_TEAM,
                            ReplayStatistics.routeColumn(arm.name()));
                    routes = routes == null ? armRoutes : routes.join(armRoutes, ScoredTickets.TICKET_ID);
                }
                Dataset<Row> curated = spark.read().schema(CuratedInteractions.SCHEMA)
                        .parquet(layout.curatedInteractions());
                Map<String, Map<Metric, MomentSums>> sums = ReplayStatistics.compute(routes, curated, e, from, to,
                        now.minus(e.maturity()));
                sums.forEach((arm, metrics) -> {
                    Map<Metric, ReplayEstimate> estimates = new LinkedHashMap<>();
                    metrics.forEach((m, s) -> estimates.put(m, ReplayEstimate.of(s, alpha)));
                    result.put(arm, estimates);
                });
            } finally {
                StorageFiles.deleteIfExists(staging, spark.sparkContext().hadoopConfiguration());
            }
            long tickets = result.values().stream().flatMap(m -> m.values().stream())
                    .filter(java.util.Objects::nonNull).mapToLong(ReplayEstimate::tickets).max().orElse(0);
            if (tickets == 0) {
                throw new io.cxml.jobs.cli.EmptyWindow("Cannot replay experiment '" + name + "' on [" + from + ", "
                        + to + "): no solved ticket with a solving team and a route from every arm; check the "
                        + "window, that ingest ran and that the tickets are solved " + e.maturity() + " before now");
            }
            record.count("tickets", tickets);
            Map<String, Object> json = json(e, from, to, alpha, result);
            String path = new ExperimentStore(spark, layout).writeReplay(name, file(from) + "_" + file(to),
                    JSON.writeValueAsString(json));
            record.details.put("replay", json.get("arms"));
            record.details.put("replay_file", path);
            print(out, e, from, to, tickets, result);
            out.println("  written to " + path);
        });
        return result;
    }

    private static ScoringModel armModel(ModelRegistry registry, Experiment e, Experiment.Arm arm) {
        try {
            var m = registry.resolve(ModelRef.parse(arm.version()));
            return new ScoringModel(m.name() + "@" + m.version(), registry.modelUri(m.name(), m.version()));
        } catch (IllegalArgumentException missing) {
            throw new ConfigError("Cannot replay experiment '" + e.name() + "': arm '" + arm.name() + "' serves "
                    + arm.version() + ", which the registry does not hold (" + missing.getMessage() + ")");
        }
    }

    private static Map<String, Object> json(Experiment e, Instant from, Instant to, double alpha,
            Map<String, Map<Metric, ReplayEstimate>> result) {
        Map<String, Object> arms = new LinkedHashMap<>();
        result.forEach((arm, metrics) -> {
            Map<String, Object> byMetric = new LinkedHashMap<>();
            metrics.forEach((m, r) -> byMetric.put(m.key(), r == null ? Map.of("estimate", "none: the logs hold no "
                    + "ticket routed right or none routed wrong with this outcome") : r));
            arms.put(arm, byMetric);
        });
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("estimate", ReplayEstimate.LABEL);
        json.put("experiment", e.name());
        json.put("control", e.control().name());
        json.put("from", from.toString());
        json.put("to", to.toString());
        json.put("alpha", alpha);
        json.put("arms", arms);
        return json;
    }

    private static String file(Instant t) {
        return t.toString().replace(":", "");
    }

    private static void print(PrintStream out, Experiment e, Instant from, Instant to, long tickets,
            Map<String, Map<Metric, ReplayEstimate>> result) {
        out.printf(Locale.ROOT, "experiment %s, %s on %d logged tickets created in [%s, %s) -- not an online "
                + "result%n", e.name(), ReplayEstimate.LABEL.toUpperCase(Locale.ROOT), tickets, from, to);
        out.printf(Locale.ROOT, "  %-12s %-13s %8s %8s %9s %9s %17s %9s %8s %19s%n", "arm", "metric", "agree:ctl",
                "agree:arm", "logged", "replay", "replay interval", "diff", "lift", "diff interval");
        result.forEach((arm, metrics) -> metrics.forEach((m, r) -> {
            if (r == null) {
                out.printf(Locale.ROOT, "  %-12s %-13s no estimate: no logged ticket routed right or none routed "
                        + "wrong%n", arm, m);
            } else {
                out.printf(Locale.ROOT, "  %-12s %-13s %7.1f%% %8.1f%% %9.4f %9.4f [%7.4f,%7.4f] %+9.4f %+7.2f%% "
                        + "[%+8.4f,%+8.4f]%n", arm, m, 100 * r.controlAgreement(), 100 * r.challengerAgreement(),
                        r.controlValue(), r.challengerValue(), r.challengerLow(), r.challengerHigh(), r.difference(),
                        100 * r.relativeLift(), r.low(), r.high());
            }
        }));
        out.println("  agree = share routed to the team that solved the ticket (ctl: the control, which served the "
                + "logs; arm: the challenger); biased where hard tickets are misrouted by every model "
                + "(docs/experiments.md#offline-replay)");
    }
}
