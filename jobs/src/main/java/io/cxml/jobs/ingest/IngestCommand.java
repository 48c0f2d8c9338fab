package io.cxml.jobs.ingest;

import io.cxml.ingest.IngestOptions;
import io.cxml.ingest.InteractionIngestor;
import io.cxml.ingest.RawExportFiles;
import io.cxml.jobs.cli.DayWindow;
import io.cxml.jobs.cli.CxmlCommand;
import io.cxml.jobs.cli.EmptyWindow;
import io.cxml.jobs.cli.JobRun;
import io.cxml.jobs.config.ConfigError;
import io.cxml.jobs.config.Settings;
import io.cxml.jobs.storage.SnowflakeIngestJob;
import io.cxml.runs.RunRecord;
import java.time.LocalDate;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code cxml ingest}: raw export window -> curated/interactions + quarantine + run record. */
@Command(name = "ingest", mixinStandardHelpOptions = true,
        description = {"Validate, normalize and deduplicate a window of the raw interaction export into "
                + "curated/interactions (Parquet, by creation date). Rejected lines go to quarantine/interactions "
                + "with file, line and reason. Re-running a window gives the same table."})
public final class IngestCommand extends CxmlCommand {

    /** Where ingest reads from. */
    public enum Source { FILES, SNOWFLAKE, ZENDESK }

    @Option(names = "--source", paramLabel = "SOURCE", defaultValue = "files",
            description = "files (raw export under the storage root, the default), zendesk (Zendesk incremental "
                    + "ticket export pages or JSON lines and comments under raw/zendesk/dt=YYYY-MM-DD, see "
                    + "docs/zendesk.md) or snowflake (TICKETS, TICKET_EVENTS, CUSTOMERS, incremental by UPDATED_AT; "
                    + "--from backfills from that day).")
    Source source;

    @Option(names = "--from", paramLabel = "DATE",
            description = "First export day (YYYY-MM-DD); required for files and zendesk.")
    LocalDate from;

    @Option(names = "--to", paramLabel = "DATE", description = "First export day left out: the window is [--from, "
            + "--to), as Airflow's data intervals (default: the day after --from, i.e. one day).")
    LocalDate to;

    @Override
    public Integer call() {
        Settings config = settings();
        if (source == Source.SNOWFLAKE) {
            SnowflakeIngestJob.run(config, config.ingest().options(), java.util.Optional.ofNullable(from));
            return 0;
        }
        if (from == null) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "Missing required option: '--from=DATE'");
        }
        LocalDate end = to == null ? from.plusDays(1) : to;
        if (source == Source.ZENDESK) {
            ZendeskIngestJob.run(config, from, end);
            return 0;
        }
        run(config, from, end);
        return 0;
    }

    /**
     * Runs the ingest of a window (also used by the pipeline).
     *
     * @param config the resolved settings
     * @param from first export day
     * @param to first export day left out ({@code [from, to)})
     * @return the run record
     * @throws ConfigError when the window is empty
     * @throws EmptyWindow when the export has no file in the window
     */
    public static RunRecord run(Settings config, LocalDate from, LocalDate to) {
        LocalDate last = DayWindow.lastDay("ingest", from, to);
        IngestOptions options = config.ingest().options();
        return JobRun.execute(config, "ingest", System.out, (spark, layout, record) -> {
            if (!RawExportFiles.any(layout.rawInteractions(), from, last, spark.sparkContext().hadoopConfiguration())) {
                throw new EmptyWindow("Cannot ingest [" + from + ", " + to + "): no *.jsonl[.gz] files under "
                        + layout.rawInteractions() + "/dt=YYYY-MM-DD for those days. Check --from/--to and "
                        + "cxml.storage.root, or create sample data with `cxml generate-sample`");
            }
            new InteractionIngestor(spark, layout, options).run(from, last, record);
            record.window.put("to", to.toString());
        });
    }
}
