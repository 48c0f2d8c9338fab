package io.cxml.jobs.cli;

import io.cxml.jobs.config.Settings;
import io.cxml.jobs.spark.SparkSessions;
import io.cxml.runs.RunRecord;
import io.cxml.runs.RunRecordStore;
import io.cxml.runtime.executor.ExecutorReport;
import io.cxml.runtime.executor.ExecutorReports;
import io.cxml.storage.StorageLayout;
import java.io.PrintStream;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The life of one Spark job run: a session, a run record written at the end (also on failure), a summary printed
 * to stdout. Jobs put their work in a {@link Body}; everything around it is here, once.
 */
public final class JobRun {
    private static final Logger LOG = LoggerFactory.getLogger(JobRun.class);

    /** The work of a job. */
    public interface Body {
        /**
         * @param spark the session
         * @param layout the storage layout
         * @param record the run record to fill
         * @throws Exception on failure; the record is then written as failed
         */
        void run(SparkSession spark, StorageLayout layout, RunRecord record) throws Exception;
    }

    private static final int MAX_CAUSE_CHARS = 400;

    private JobRun() {}

    /**
     * Runs a job body.
     *
     * @param settings the resolved settings
     * @param job the job name
     * @param out where the summary goes
     * @param body the work
     * @return the finished run record
     */
    public static RunRecord execute(Settings settings, String job, PrintStream out, Body body) {
        StorageLayout layout = settings.storage().layout();
        RunRecord record = RunRecord.start(job.replace(' ', '-'), settings.run().id());
        SparkSession spark = SparkSessions.create(settings, record.job);
        record.versions.put("spark", spark.version());
        record.details.put("storage_root", layout.root());
        RunRecordStore store = new RunRecordStore(layout, spark.sparkContext().hadoopConfiguration());
        LOG.info("Run {} of {} started, storage root {}", record.runId, job, layout.root());
        try {
            body.run(spark, layout, record);
            executors(record);
            record.succeed();
        } catch (Exception e) {
            if (e instanceof EmptyWindow) {
                record.flag(RunRecord.Outcome.EMPTY, oneLine(e));
            }
            record.fail(oneLine(e));
            tryWrite(store, record);
            throw e instanceof RuntimeException re ? re : new CxmlException(oneLine(e), e);
        }
        String path = store.write(record);
        printSummary(out, record, path);
        return record;
    }

    /** Records, per executor JVM that reported, its pid, DJL settings and model loads (jobs that ran a model). */
    private static void executors(RunRecord record) {
        Map<String, ExecutorReport> reports = ExecutorReports.snapshot();
        if (reports.values().stream().anyMatch(r -> !r.modelLoads().isEmpty())) {
            Map<String, Object> out = new java.util.TreeMap<>();
            reports.forEach((id, r) -> out.put(id, Map.of("pid", r.pid(), "settings", r.settings(),
                    "model_loads", r.modelLoads())));
            record.details.put("executors", out);
        }
    }

    private static void tryWrite(RunRecordStore store, RunRecord record) {
        try {
            store.write(record);
        } catch (RuntimeException e) {
            LOG.warn("Could not write the failed run record: {}", e.getMessage());
        }
    }

    /**
     * @param e an exception
     * @return its message on one line, or its type when it has none
     */
    public static String oneLine(Throwable e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        String line = m.replaceAll("\\s*\\R\\s*", " ").trim();
        // Spark error messages can carry whole query plans: the cause is at the start, the log has the rest.
        return line.length() <= MAX_CAUSE_CHARS ? line : line.substring(0, MAX_CAUSE_CHARS) + "... (see the log)";
    }

    private static void printSummary(PrintStream out, RunRecord record, String path) {
        out.printf("%s %s in %.1f s (run %s)%n", record.job, record.status, record.durationMs / 1000.0, record.runId);
        if (record.reason != null) {
            out.printf("  outcome  %s: %s%n", record.outcome, record.reason);
        }
        if (!record.window.isEmpty()) {
            out.printf("  window   %s%n", record.window);
        }
        for (Map.Entry<String, Long> c : record.counts.entrySet()) {
            out.printf("  %-36s %,d%n", c.getKey(), c.getValue());
        }
        out.printf("  run record %s%n", path);
        out.flush();
    }
}
