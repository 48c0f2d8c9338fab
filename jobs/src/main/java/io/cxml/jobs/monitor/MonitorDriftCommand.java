package io.cxml.jobs.monitor;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import io.cxml.contract.CuratedInteractions;
import io.cxml.features.FeatureRegistry;
import io.cxml.features.view.TicketTextView;
import io.cxml.inference.monitoring.DriftComparison;
import io.cxml.inference.monitoring.DriftFinding;
import io.cxml.inference.monitoring.DriftLevel;
import io.cxml.inference.monitoring.DriftMetrics;
import io.cxml.inference.monitoring.DriftReport;
import io.cxml.inference.monitoring.DriftResult;
import io.cxml.inference.monitoring.DriftThresholds;
import io.cxml.inference.monitoring.ScoredWindow;
import io.cxml.inference.monitoring.TextDrift;
import io.cxml.jobs.cli.CxmlCommand;
import io.cxml.jobs.cli.JobRun;
import io.cxml.jobs.cli.TimeWindow;
import io.cxml.jobs.config.ConfigError;
import io.cxml.jobs.config.Settings;
import io.cxml.jobs.features.EmbeddingViews;
import io.cxml.runs.RunRecord;
import io.cxml.runtime.embedding.EmbeddingStore;
import io.cxml.storage.StorageLayout;
import io.cxml.training.profile.Profile;
import io.cxml.training.profile.Profiler;
import io.cxml.training.profile.ReferenceProfiles;
import io.cxml.training.registry.ModelManifest;
import io.cxml.training.registry.ModelRef;
import io.cxml.training.registry.ModelRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.storage.StorageLevel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code cxml monitor drift --from TS --to TS}: the window's scored tickets against the champion's reference. */
@Command(name = "drift", mixinStandardHelpOptions = true,
        description = {"Compare the tickets created in [--from, --to) and scored by the champion with the champion's "
                + "reference profile: PSI of the language, channel, priority, tenant and team mix and of binned text "
                + "length and confidence, Jensen-Shannon distance of the predicted intents, shift of mean confidence "
                + "and unknown rate; overall, per language and per tenant (slices under "
                + "cxml.monitor.drift.min-slice-tickets are not judged). Writes DRIFT_METRICS (when a warehouse is "
                + "configured) and monitor/drift/<run>/drift-report.html, prints the worst offenders.",
            "Exit codes: 0 no metric at its alert level (warnings are printed), " + MonitorDriftCommand.EXIT_ALERT
                + " a metric crossed its alert level, 1 the check failed, 2 bad command line."})
public final class MonitorDriftCommand extends CxmlCommand {
    /** Exit code when a metric crossed its alert level. */
    public static final int EXIT_ALERT = 3;
    /** Job name of the run records ({@code runs/monitor-drift/}). */
    public static final String JOB = "monitor drift";
    /** Run-record detail: OK, WARN or ALERT. */
    public static final String VERDICT = "verdict";

    @Mixin
    TimeWindow window = new TimeWindow();

    @Option(names = "--model", paramLabel = "NAME@VERSION|@ALIAS",
            description = "Version to check (default: cxml.monitor.drift.model, the intent champion); routing@champion "
                    + "watches the routed teams, their confidence and the fallback share.")
    String model;

    @Override
    public Integer call() {
        RunRecord record = run(settings(), window.from(), window.to(), model);
        return DriftLevel.ALERT.name().equals(record.details.get(VERDICT)) ? EXIT_ALERT : 0;
    }

    /**
     * Checks a window (also used by the pipeline).
     *
     * @param config the resolved settings
     * @param from first creation time included
     * @param to first creation time excluded
     * @param modelRef the version to check, or null for {@code cxml.monitor.drift.model}
     * @return the run record; {@code details.verdict} is OK, WARN or ALERT
     */
    public static RunRecord run(Settings config, Instant from, Instant to, String modelRef) {
        DriftThresholds thresholds = config.monitoring().driftThresholds();
        String ref = modelRef == null ? config.monitoring().driftModel() : modelRef;
        String table = config.monitoring().driftTable();
        int worst = config.monitoring().worst();
        if (!from.isBefore(to)) {
            throw new ConfigError("Cannot check drift over [" + from + ", " + to + "): --from must be before --to");
        }
        return JobRun.execute(config, JOB, System.out, (spark, layout, record) -> {
            Configuration hadoop = spark.sparkContext().hadoopConfiguration();
            ModelRegistry registry = new ModelRegistry(layout, hadoop);
            ModelManifest m = registry.resolve(ModelRef.parse(ref));
            String label = m.name() + "@" + m.version();
            record.window.put("from", from.toString());
            record.window.put("to", to.toString());
            record.versions.put(m.name(), label);
            Profile reference = ReferenceProfiles.read(registry.versionUri(m.name(), m.version()), hadoop)
                    .orElseThrow(() -> new IllegalArgumentException("Cannot check drift against " + label + ": it has "
                            + "no reference profile (trained before profiles existed). Train a new version (cxml "
                            + "retrain " + m.name() + ") and promote it"));
            Dataset<Row> rows = ScoredWindow.rows(spark, layout, from, to, label,
                    io.cxml.training.routing.RoutingRun.TASK.equals(m.task())).persist(StorageLevel.MEMORY_AND_DISK());
            Profile window;
            try {
                window = Profiler.profile(rows, reference.edges(), Map.of("window", "[" + from + ", " + to + ")",
                        ReferenceProfiles.FACT_MODEL, label));
            } finally {
                rows.unpersist();
            }
            if (window.rows() == 0) {
                throw new io.cxml.jobs.cli.EmptyWindow("Cannot check drift: no ticket created in [" + from + ", " + to
                        + ") was scored by " + label + ". Run cxml score --from " + from + " --to " + to);
            }
            DriftResult result = withTextDrift(DriftComparison.compare(reference, window, thresholds), config, spark,
                    layout, from, to, record);
            record.count("tickets", window.rows()).count("reference_tickets", reference.rows())
                    .count("metrics", result.findings().size())
                    .count("warnings", result.at(DriftLevel.WARN).size())
                    .count("alerts", result.at(DriftLevel.ALERT).size())
                    .count("slices_not_judged", result.notJudged().size());
            record.details.put(VERDICT, result.level().name());
            if (result.level() == DriftLevel.ALERT) {
                record.flag(RunRecord.Outcome.ALERT, result.at(DriftLevel.ALERT).size() + " metric(s) crossed the "
                        + "alert threshold against " + label);
            }
            List<String> lines = result.worst(worst).stream().map(DriftFinding::line).toList();
            record.details.put("worst", lines);
            record.details.put("not_judged", result.notJudged());
            String reportUri = layout.resolve("monitor/drift/" + record.runId + "/" + DriftReport.FILE);
            record.details.put("report", writeReport(label, from, to, reference, window, result, reportUri, hadoop));
            WarehouseSink.publish(config, DriftMetrics.rows(spark, result, record.runId, from, to, label), table,
                    DriftMetrics.KEY, DriftMetrics.TABLE_COMMENT, DriftMetrics.columnComments(), record);
            System.out.printf("drift %s: %,d tickets scored by %s in [%s, %s) against its reference of %,d%n",
                    result.level(), window.rows(), label, from, to, reference.rows());
            if (lines.isEmpty()) {
                System.out.println("  no metric at its warn level");
            }
            lines.forEach(l -> System.out.println("  " + l));
            if (!result.notJudged().isEmpty()) {
                System.out.println("  not judged (too few tickets): " + result.notJudged().size() + " slice(s)");
            }
            System.out.println("  report " + reportUri);
        });
    }

    /**
     * Adds the text-drift findings (embedding domain classifier) when the configured encoder's ticket_embedding view
     * holds the window and the reference days before it; otherwise says why it was not compared.
     */
    private static DriftResult withTextDrift(DriftResult result, Settings config, SparkSession spark,
            StorageLayout layout, Instant from, Instant to, RunRecord record) {
        List<String> notCompared = new ArrayList<>(result.notCompared());
        List<String> notJudged = new ArrayList<>(result.notJudged());
        List<DriftFinding> findings = new ArrayList<>(result.findings());
        EmbeddingViews.activate(config, spark, layout);
        String path = config.embeddings().enabled() ? EmbeddingStore.pathFor(spark,
                config.embeddings().requireEncoder()) : null;
        if (path == null) {
            notCompared.add("text_embedding: no ticket_embedding view of the configured base encoder (cxml features "
                    + "build with cxml.embeddings.encoder.path set)");
            return new DriftResult(findings, notJudged, notCompared);
        }
        Instant since = from.minus(java.time.Duration.ofDays(config.monitoring().textReferenceDays()));
        Dataset<Row> vectors = spark.read().parquet(path)
                .where(col("created_at").geq(lit(Timestamp.from(since))).and(col("created_at").lt(lit(
                        Timestamp.from(to)))))
                .join(spark.read().parquet(layout.curatedInteractions()).select(col(CuratedInteractions.TICKET_ID),
                        col(CuratedInteractions.ACCOUNT_ID).as("tenant")), CuratedInteractions.TICKET_ID)
                .join(languages(spark, layout), CuratedInteractions.TICKET_ID, "left")
                .select(col("ticket_id"), col("language"), col("tenant"), col("embedding"), col("created_at"))
                .persist(StorageLevel.MEMORY_AND_DISK());
        try {
            Column inWindow = col("created_at").geq(lit(Timestamp.from(from)));
            List<DriftFinding> text = TextDrift.check(vectors.where(functions.not(inWindow)), vectors.where(inWindow),
                    config.monitoring().textDrift(), notJudged);
            record.count("text_slices", text.size());
            findings.addAll(text);
        } finally {
            vectors.unpersist();
        }
        findings.sort(DriftResult.WORST_FIRST);
        return new DriftResult(findings, notJudged, notCompared);
    }

    /** The detected language of each ticket, from the newest ticket_text version (none when it was never built). */
    private static Dataset<Row> languages(SparkSession spark, StorageLayout layout) {
        FeatureRegistry registry = new FeatureRegistry(layout, spark.sparkContext().hadoopConfiguration());
        try {
            String path = registry.pathOf(registry.latest(TicketTextView.NAME));
            return spark.read().parquet(path).select(col(io.cxml.contract.CuratedInteractions.TICKET_ID), col(TicketTextView.LANGUAGE));
        } catch (IllegalArgumentException | IllegalStateException e) {
            return spark.emptyDataFrame().selectExpr("cast(null as string) ticket_id", "cast(null as string) language");
        }
    }

    private static String writeReport(String label, Instant from, Instant to, Profile reference, Profile window,
            DriftResult result, String uri, Configuration hadoop) {
        Path dir = null;
        try {
            dir = Files.createTempDirectory("cxml-drift-");
            Path html = DriftReport.write("Drift of " + label + " over [" + from + ", " + to + ")", reference, window,
                    result, dir);
            org.apache.hadoop.fs.Path target = new org.apache.hadoop.fs.Path(uri);
            target.getFileSystem(hadoop).copyFromLocalFile(true, true, new org.apache.hadoop.fs.Path(html.toUri()),
                    target);
            return uri;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the drift report " + uri + ": " + e.getMessage(), e);
        } finally {
            if (dir != null) {
                dir.toFile().delete();
            }
        }
    }

    static Instant time(String value, String option) {
        return TimeWindow.time(value, option);
    }
}
