package io.cxml.jobs.experiment;

import io.cxml.contract.CuratedInteractions;
import io.cxml.experiments.AnalysisResult;
import io.cxml.experiments.Decision;
import io.cxml.experiments.Experiment;
import io.cxml.experiments.ExperimentAnalysis;
import io.cxml.experiments.ExperimentReport;
import io.cxml.experiments.ExperimentResults;
import io.cxml.experiments.ExperimentStore;
import io.cxml.experiments.OutcomeStatistics;
import io.cxml.experiments.ResultRow;
import io.cxml.experiments.SliceSums;
import io.cxml.inference.scoring.TicketScoring;
import io.cxml.jobs.cli.CxmlCommand;
import io.cxml.jobs.cli.JobRun;
import io.cxml.jobs.cli.TimeWindow;
import io.cxml.jobs.config.ConfigError;
import io.cxml.jobs.config.ExperimentSettings;
import io.cxml.jobs.config.Settings;
import io.cxml.jobs.monitor.WarehouseSink;
import io.cxml.runs.RunRecord;
import io.cxml.storage.StorageFiles;
import io.cxml.training.registry.ModelRef;
import io.cxml.training.registry.ModelRegistry;
import java.io.PrintStream;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code cxml experiment analyze --experiment NAME [--as-of TS]}. */
@Command(name = "analyze", mixinStandardHelpOptions = true,
        description = {"One look at an experiment: joins its scored tickets with their mature outcomes in the curated "
                + "tickets, reduces them to sufficient statistics per arm and slice on the executors, and on the driver "
                + "checks the sample ratio, compares every challenger with the control (CUPED, Welch / delta method, "
                + "cluster-robust per unit, always-valid intervals, Holm) and decides. Writes "
                + "experiments/<name>/looks/<as-of>/, experiments/<name>/report.html, the EXPERIMENT_RESULTS "
                + "warehouse table when one is configured, and the run record.",
            "Exit code: 0 keep running, 10 ship, 11 stop: harm, 12 stop: sample ratio mismatch "
                + "(1 failed, 2 bad config or usage)."})
public final class ExperimentAnalyzeCommand extends CxmlCommand {
    /** Run-record detail of the decision. */
    public static final String DECISION = "decision";

    @Option(names = "--experiment", required = true, paramLabel = "NAME", description = "Experiment in cxml.experiments.")
    String experiment;

    @Option(names = "--as-of", paramLabel = "TS", description = "Time of the look (date = its midnight UTC, or "
            + "2026-01-20T06:00:00Z); default now.")
    String asOf;

    @Override
    public Integer call() {
        Instant at = asOf == null ? Instant.now() : TimeWindow.time(asOf, "--as-of");
        return run(settings(), experiment, at, System.out).decision().exitCode();
    }

    /**
     * @param config the resolved settings
     * @param name the experiment
     * @param asOf the look
     * @param out where the summary goes
     * @return the look
     */
    public static AnalysisResult run(Settings config, String name, Instant asOf, PrintStream out) {
        ExperimentSettings settings = config.experiments();
        Experiment e = settings.named(name);
        if (!asOf.isAfter(e.start())) {
            throw new ConfigError("Cannot analyze experiment '" + name + "' as of " + asOf + ": it starts at "
                    + e.start() + "; look after the start");
        }
        AnalysisResult[] result = new AnalysisResult[1];
        JobRun.execute(config, "experiment analyze", out, (spark, layout, record) -> {
            record.window.put("as_of", asOf.toString());
            record.details.put("experiment", name);
            ModelRegistry registry = new ModelRegistry(layout, spark.sparkContext().hadoopConfiguration());
            for (Experiment.Arm arm : e.arms()) {
                try {
                    registry.resolve(ModelRef.parse(arm.version()));
                } catch (IllegalArgumentException missing) {
                    throw new ConfigError("Cannot analyze experiment '" + name + "': arm '" + arm.name() + "' serves "
                            + arm.version() + ", which the registry does not hold (" + missing.getMessage() + ")");
                }
                record.versions.put("arm." + arm.name(), arm.version());
            }
            String scoredPath = new TicketScoring(spark, layout).scoredPath();
            if (!StorageFiles.exists(scoredPath, spark.sparkContext().hadoopConfiguration())) {
                throw new ConfigError("Cannot analyze experiment '" + name + "': no scored tickets at " + scoredPath
                        + "; run cxml score over the experiment's window first");
            }
            Dataset<Row> scored = spark.read().parquet(scoredPath);
            Dataset<Row> curated = spark.read().schema(CuratedInteractions.SCHEMA)
                    .parquet(layout.curatedInteractions());
            List<SliceSums> sums = OutcomeStatistics.compute(scored, curated, e, asOf, settings.prePeriodDays());
            AnalysisResult r = new ExperimentAnalysis(settings.alpha(), settings.minSliceUnits(),
                    settings.prePeriodDays() > 0).analyze(e, asOf, sums);
            ExperimentStore store = new ExperimentStore(spark, layout);
            String look = store.writeLook(r, record.runId);
            List<Row> looks = store.allLooks(name);
            String report = store.writeReport(name, ExperimentReport.html(r, looks));
            Dataset<Row> rows = spark.createDataFrame(ExperimentResults.rows(r, record.runId),
                    ExperimentResults.schema());
            if (!r.rows().isEmpty()) {
                WarehouseSink.publish(config, rows, settings.table(), ExperimentResults.KEYS,
                        ExperimentResults.TABLE_COMMENT, ExperimentResults.columnComments(), record);
            }
            record.count("tickets", r.tickets()).count("mature_tickets", r.matureTickets())
                    .count("rows", r.rows().size()).count("looks", looks.stream()
                            .map(x -> x.getAs(ExperimentResults.AS_OF)).distinct().count());
            for (int i = 0; i < e.arms().size(); i++) {
                record.count("units_" + e.arms().get(i).name(), r.unitsPerArm()[i]);
            }
            record.details.put(DECISION, r.decision().toString());
            if (r.decision().exitCode() >= Decision.STOP_HARM.exitCode()) {
                // a stop is what a scheduler must alert on: the outcome says so where no exit code arrives
                record.flag(RunRecord.Outcome.ALERT, r.decision() + ": " + r.reason());
            }
            record.details.put("exit_code", r.decision().exitCode());
            record.details.put("reason", r.reason());
            record.details.put("srm_p_value", r.srmPValue());
            if (r.srmSlice() != null) {
                record.details.put("srm_slice", r.srmSlice());
            }
            record.details.put("look", look);
            record.details.put("report", report);
            print(out, r);
            result[0] = r;
        });
        return result[0];
    }

    private static void print(PrintStream out, AnalysisResult r) {
        out.printf(Locale.ROOT, "experiment %s as of %s: %s (exit %d)%n  %s%n", r.experiment().name(), r.asOf(),
                r.decision(), r.decision().exitCode(), r.reason());
        out.printf(Locale.ROOT, "  units per arm %s, sample-ratio p %.3g; tickets %d, mature %d%n",
                java.util.Arrays.toString(r.unitsPerArm()), r.srmPValue(), r.tickets(), r.matureTickets());
        out.printf(Locale.ROOT, "  %-12s %-13s %-9s %9s %9s %9s %8s %21s %21s %8s %6s%n", "arm", "metric", "role",
                "control", "challenger", "diff", "lift", "fixed-horizon", "always-valid", "adj p", "cuped");
        for (ResultRow row : r.rows()) {
            if (!row.slice().equals(SliceSums.ALL)) {
                continue;
            }
            var c = row.comparison();
            out.printf(Locale.ROOT, "  %-12s %-13s %-9s %9.4f %9.4f %+9.4f %+7.2f%% [%8.4f,%8.4f] [%8.4f,%8.4f] "
                    + "%8.2g %5.1f%%%n", row.arm(), row.metric(), row.role(), c.controlValue(), c.treatmentValue(),
                    c.difference(), 100 * c.relativeLift(), c.low(), c.high(), c.sequentialLow(), c.sequentialHigh(),
                    row.adjustedPValue(), 100 * c.varianceReduction());
        }
        if (r.decision() != Decision.KEEP_RUNNING || !r.rows().isEmpty()) {
            out.println("  slices (language, tenant) in the report and the table");
        }
    }
}
