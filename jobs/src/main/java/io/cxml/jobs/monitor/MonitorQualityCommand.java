package io.cxml.jobs.monitor;

import io.cxml.inference.monitoring.RealisedQuality;
import io.cxml.jobs.cli.CxmlCommand;
import io.cxml.jobs.cli.JobRun;
import io.cxml.jobs.cli.TimeWindow;
import io.cxml.jobs.config.ConfigError;
import io.cxml.jobs.config.Settings;
import io.cxml.runs.RunRecord;
import io.cxml.training.registry.ModelManifest;
import io.cxml.training.registry.ModelRef;
import io.cxml.training.registry.ModelRegistry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code cxml monitor quality --from TS --to TS}: realised quality of the scored tickets once outcomes arrived. */
@Command(name = "quality", mixinStandardHelpOptions = true,
        description = {"Join the tickets created in [--from, --to) and scored, with their later outcomes in "
                + "curated/interactions (solved team, CSAT, reopen, intent label where known) and report, per intent "
                + "model version, overall and per week, language and tenant: intent agreement (next to the version's "
                + "held-out accuracy at training time), realised routing accuracy (when the scores carry routed_team), "
                + "mean CSAT and reopen rate. Writes monitor/quality/<run>/ (Parquet) and the "
                + "cxml.monitor.quality.table warehouse table when one is configured."})
public final class MonitorQualityCommand extends CxmlCommand {
    @Mixin
    TimeWindow window = new TimeWindow();

    @Override
    public Integer call() {
        run(settings(), window.from(), window.to());
        return 0;
    }

    /**
     * @param config the resolved settings
     * @param from first creation time included
     * @param to first creation time excluded
     * @return the run record
     */
    public static RunRecord run(Settings config, Instant from, Instant to) {
        if (!from.isBefore(to)) {
            throw new ConfigError("Cannot measure quality over [" + from + ", " + to + "): --from must be before --to");
        }
        String table = config.monitoring().qualityTable();
        return JobRun.execute(config, "monitor quality", System.out, (spark, layout, record) -> {
            record.window.put("from", from.toString());
            record.window.put("to", to.toString());
            ModelRegistry registry = new ModelRegistry(layout, spark.sparkContext().hadoopConfiguration());
            List<Row> measured = RealisedQuality.measure(spark, layout, from, to, config.labels().intent())
                    .collectAsList();
            Map<String, Optional<ModelManifest>> manifests = new HashMap<>();
            StructType schema = new StructType().add("run_id", DataTypes.StringType, false);
            for (String c : RealisedQuality.COLUMNS) {
                schema = schema.add(c, c.equals("model") || c.equals("slice") ? DataTypes.StringType
                        : c.endsWith("_mean") || c.endsWith("_rate") || c.endsWith("_accuracy")
                        || c.endsWith("_agreement") ? DataTypes.DoubleType : DataTypes.LongType, true);
            }
            schema = schema.add("training_accuracy", DataTypes.DoubleType, true);
            List<Row> rows = new ArrayList<>();
            for (Row r : measured) {
                String model = r.getString(0);
                String slice = r.getString(1);
                ModelManifest m = manifests.computeIfAbsent(model, k -> manifest(registry, k)).orElse(null);
                Double trained = null;
                if (m != null && slice.equals("overall")) {
                    trained = m.metrics().accuracy();
                } else if (m != null && slice.startsWith("language=")
                        && m.metrics().perLanguage().containsKey(slice.substring("language=".length()))) {
                    trained = m.metrics().perLanguage().get(slice.substring("language=".length())).accuracy();
                }
                Object[] values = new Object[RealisedQuality.COLUMNS.size() + 2];
                values[0] = record.runId;
                for (int i = 0; i < RealisedQuality.COLUMNS.size(); i++) {
                    values[i + 1] = r.get(i);
                }
                values[values.length - 1] = trained;
                rows.add(RowFactory.create(values));
            }
            Dataset<Row> out = spark.createDataFrame(rows, schema);
            String path = layout.resolve("monitor/quality/" + record.runId);
            out.coalesce(1).write().mode(SaveMode.ErrorIfExists).parquet(path);
            record.details.put("table", path);
            record.count("slices", rows.size());
            Map<String, String> comments = new LinkedHashMap<>();
            comments.put("intent_agreement", "Share of labelled tickets whose predicted intent is the label.");
            comments.put("routing_accuracy", "Share of solved tickets routed to the team that solved them.");
            comments.put("training_accuracy", "The version's held-out accuracy at training time (overall, language).");
            WarehouseSink.publish(config, out, table, new String[] {"run_id", "model", "slice"},
                    "Realised quality of scored tickets per model version and slice (cxml monitor quality).",
                    comments, record);
            System.out.printf("%-14s %-26s %8s %8s %9s %9s %9s %7s %7s%n", "model", "slice", "tickets", "labelled",
                    "agreement", "trained", "routing", "csat", "reopen");
            for (Row r : rows) {
                String slice = r.getString(2);
                if (slice.startsWith("tenant=") && rows.size() > 60) {
                    continue; // the table has them all
                }
                System.out.printf("%-14s %-26s %,8d %,8d %9s %9s %9s %7s %7s%n", r.getString(1), slice, r.getLong(3),
                        r.getLong(5), fmt(r.get(6)), fmt(r.get(12)), fmt(r.get(8)), fmt(r.get(10)), fmt(r.get(11)));
            }
            System.out.println("  quality table " + path);
        });
    }

    private static Optional<ModelManifest> manifest(ModelRegistry registry, String label) {
        try {
            return label == null ? Optional.empty() : Optional.of(registry.resolve(ModelRef.parse(label)));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static String fmt(Object v) {
        return v == null ? "-" : String.format("%.3f", ((Number) v).doubleValue());
    }
}
