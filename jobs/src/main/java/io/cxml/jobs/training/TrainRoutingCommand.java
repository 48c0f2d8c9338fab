package io.cxml.jobs.training;

import io.cxml.jobs.cli.CxmlCommand;
import io.cxml.jobs.cli.DayWindow;
import io.cxml.jobs.cli.JobRun;
import io.cxml.jobs.config.Settings;
import io.cxml.language.LanguageOptions;
import io.cxml.runtime.routing.RoutingData;
import io.cxml.training.registry.ModelManifest;
import io.cxml.training.registry.ModelRegistry;
import io.cxml.training.routing.RoutingMetrics;
import io.cxml.training.routing.RoutingReport;
import io.cxml.training.routing.RoutingRun;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code cxml train routing}: one model per tenant plus the global fallback, one registry version. */
@Command(name = "routing", mixinStandardHelpOptions = true,
        description = {"Train per-tenant routing (the team that solves a ticket): one small DJL model per tenant with "
                + "enough history, many tenants per Spark task, plus a global model for small and unseen tenants; "
                + "each tenant learns its recent policy (cxml.routing.lookback-days) and never predicts a team "
                + "absent from it. Evaluates per tenant and language against the most-frequent-team and global MLlib "
                + "baselines and registers one version (packed artifacts + index) under models/routing/."})
public final class TrainRoutingCommand extends CxmlCommand {
    @Option(names = "--data", paramLabel = "PATH", description = "CSV or Parquet with text,team[,tenant][,language]"
            + "[,channel][,priority][,event_time] instead of the feature store; without tenant: one global model.")
    String data;

    @picocli.CommandLine.Mixin
    DayWindow window = new DayWindow();

    @Option(names = "--name", paramLabel = "NAME", defaultValue = "routing",
            description = "Registry name (default: ${DEFAULT-VALUE}).")
    String name;

    @Override
    public Integer call() {
        run(settings(), jobName(), data, window.from(), window.to(), name);
        return 0;
    }

    /**
     * Trains and registers a routing version (also used by the pipeline).
     *
     * @param config the validated config
     * @param job the job name of the run record
     * @param data a labelled file, or null for the feature store
     * @param from first creation day, or null
     * @param to first creation day left out ({@code [from, to)}), or null
     * @param name registry name
     * @return the outcome
     */
    public static RoutingRun.Outcome run(Settings config, String job, String data, LocalDate from, LocalDate to,
            String name) {
        RoutingRun.Outcome[] out = new RoutingRun.Outcome[1];
        JobRun.execute(config, job, System.out, (spark, layout, record) -> {
            io.cxml.jobs.features.EmbeddingViews.activate(config, spark, layout);
            ModelRegistry registry = new ModelRegistry(layout, spark.sparkContext().hadoopConfiguration());
            Map<String, String> versions = new LinkedHashMap<>();
            Dataset<Row> rows = data != null
                    ? RoutingData.fromFile(spark, data, config.features().languages())
                    : RoutingData.fromFeatureStore(spark, layout,
                            from == null ? null : from.atStartOfDay(ZoneOffset.UTC).toInstant(),
                            to == null ? null : to.atStartOfDay(ZoneOffset.UTC).toInstant(), true,
                            versions);
            versions.forEach((view, v) -> record.versions.put("features." + view, v));
            RoutingRun.IntentInput intent = RoutingModels.intent(config.routing().intentModel(),
                    registry, spark.sparkContext().hadoopConfiguration());
            if (intent != null) {
                record.versions.put("intent", intent.label());
            }
            String description = data != null ? "routing file " + data : "solved tickets of curated/interactions ["
                    + (from == null ? "start" : from) + ", " + (to == null ? "end" : to) + "] with " + versions.keySet();
            out[0] = RoutingRun.run(spark, registry, RoutingModels.runOptions(config, name, rows, description, intent,
                    versions, record.runId));
            ModelManifest m = out[0].manifest();
            RoutingMetrics metrics = out[0].metrics();
            record.details.put("model", m.name() + "@" + m.version());
            record.count("tenant_models", out[0].trained().index().tenants.size());
            record.count("fallback_tenants", out[0].trained().index().fallback.size());
            record.count("fit_rows", out[0].trained().fitRows());
            record.count("test_examples", metrics.overall.examples);
            record.details.put("top1", metrics.overall.getTop1());
            record.details.put("top3", metrics.overall.getTop3());
            record.details.put("baseline_most_frequent_top1", metrics.overall.getMostFrequent());
            record.details.put("baseline_global_lr_top1", metrics.overall.getGlobalLr());
            record.details.put("median_tenant_top1", metrics.medianTenantTop1);
            record.details.put("training_seconds", out[0].trained().seconds());
            record.details.put("report", out[0].reportUri());
        });
        print(out[0]);
        return out[0];
    }

    static void print(RoutingRun.Outcome o) {
        RoutingMetrics m = o.metrics();
        ModelManifest v = o.manifest();
        System.out.printf("  %s@%s: %d tenant models + global fallback (%d tenants on it), trained in %.1f s%n",
                v.name(), v.version(), o.trained().index().tenants.size(), o.trained().index().fallback.size(),
                o.trained().seconds());
        System.out.printf("  held-out %d tickets: top-1 %s, top-3 %s; baselines: most frequent team %s, global "
                + "MLlib LR %s; median tenant top-1 %s%n", m.overall.examples, RoutingReport.pct(m.overall.getTop1()),
                RoutingReport.pct(m.overall.getTop3()), RoutingReport.pct(m.overall.getMostFrequent()),
                RoutingReport.pct(m.overall.getGlobalLr()), RoutingReport.pct(m.medianTenantTop1));
        System.out.println("  promote with: cxml models promote " + v.name() + "@" + v.version());
        System.out.println("report: " + o.reportUri());
    }
}
