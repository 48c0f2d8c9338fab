package io.cxml.jobs.ingest;

import io.cxml.ingest.RawExportFiles;
import io.cxml.jobs.cli.DayWindow;
import io.cxml.jobs.cli.EmptyWindow;
import io.cxml.jobs.cli.JobRun;
import io.cxml.jobs.config.ConfigError;
import io.cxml.jobs.config.Settings;
import io.cxml.runs.RunRecord;
import io.cxml.zendesk.ZendeskIngest;
import java.time.LocalDate;

/** {@code cxml ingest --source zendesk}: a window of the Zendesk export -> curated/interactions + quarantine. */
public final class ZendeskIngestJob {
    /** Job name of the run records: a Zendesk ingest is an ingest, only its source differs. */
    public static final String JOB = "ingest";

    private ZendeskIngestJob() {}

    /**
     * @param config the resolved settings
     * @param from first export day
     * @param to first export day left out ({@code [from, to)}, as every window)
     * @return the run record
     * @throws ConfigError when the window is empty
     * @throws EmptyWindow when the export has no file in the window
     */
    public static RunRecord run(Settings config, LocalDate from, LocalDate to) {
        LocalDate last = DayWindow.lastDay("ingest", from, to);
        return JobRun.execute(config, JOB, System.out, (spark, layout, record) -> {
            if (!RawExportFiles.any(layout.rawZendesk(), from, last, spark.sparkContext().hadoopConfiguration())) {
                throw new EmptyWindow("Cannot ingest [" + from + ", " + to + ") from Zendesk: no export files under "
                        + layout.rawZendesk() + "/dt=YYYY-MM-DD for those days. Check --from/--to and "
                        + "cxml.storage.root (docs/zendesk.md)");
            }
            new ZendeskIngest(spark, layout, config.ingest().options()).run(from, last, record);
            record.window.put("to", to.toString());
        });
    }
}
