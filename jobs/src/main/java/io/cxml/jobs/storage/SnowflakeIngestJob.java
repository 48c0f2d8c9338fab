package io.cxml.jobs.storage;

import io.cxml.ingest.IngestOptions;
import io.cxml.ingest.InteractionIngestor;
import io.cxml.jobs.cli.JobRun;
import io.cxml.jobs.config.Settings;
import io.cxml.runs.RunRecord;
import io.cxml.runs.RunRecordStore;
import io.cxml.snowflake.SnowflakeIngest;
import io.cxml.snowflake.SnowflakeSourceOptions;
import java.time.LocalDate;
import java.util.Optional;

/** {@code cxml ingest --source snowflake}: incremental ingest of TICKETS/TICKET_EVENTS/CUSTOMERS. */
public final class SnowflakeIngestJob {
    /** Job name, also the name of the watermark chain in the run records. */
    public static final String JOB = "ingest-snowflake";

    private SnowflakeIngestJob() {}

    /**
     * @param config the validated config
     * @param ingest the ingest options
     * @param fromDay backfill from this UTC day; empty for incremental from the last watermark
     * @return the run record
     */
    public static RunRecord run(Settings config, IngestOptions ingest, Optional<LocalDate> fromDay) {
        SnowflakeSourceOptions source = config.storage().snowflake();
        SnowflakeSourceOptions options = SnowflakeSourceOptions.builder().setEndpoint(source.endpoint())
                .optTables(source.tickets(), source.events(), source.customers())
                .optPartitions(source.partitions()).optIngest(ingest).build();
        return JobRun.execute(config, JOB, System.out, (spark, layout, record) -> {
            RunRecordStore runs = new RunRecordStore(layout, spark.sparkContext().hadoopConfiguration());
            InteractionIngestor ingestor = new InteractionIngestor(spark, layout, ingest);
            new SnowflakeIngest(spark, options, ingestor, runs).run(fromDay, record);
        });
    }
}
