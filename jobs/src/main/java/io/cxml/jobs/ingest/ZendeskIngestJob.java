package io.cxml.jobs.ingest;

import io.cxml.jobs.cli.JobRun;
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
     * @param to last export day, inclusive
     * @return the run record
     */
    public static RunRecord run(Settings config, LocalDate from, LocalDate to) {
        return JobRun.execute(config, JOB, System.out, (spark, layout, record) ->
                new ZendeskIngest(spark, layout, config.ingest().options()).run(from, to, record));
    }
}
