package io.cxml.runs;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;

/**
 * What one job run did: job, window, counts, versions, timing and outcome. Every job writes one, so that an operator
 * (or the next incremental run, which reads its watermark) can see exactly what happened. Mutable while the run is in
 * progress, written once at the end by {@link RunRecordStore}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"runId", "job", "status", "window", "startedAt", "finishedAt", "durationMs", "counts", "details",
    "versions", "error"})
public final class RunRecord {
    private static final DateTimeFormatter RUN_ID_TIME =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmssSSS'Z'").withZone(ZoneOffset.UTC);

    public String runId;
    public String job;
    public String status = "running";
    public Map<String, String> window = new LinkedHashMap<>();
    public Instant startedAt;
    public Instant finishedAt;
    public Long durationMs;
    public Map<String, Long> counts = new LinkedHashMap<>();
    public Map<String, Object> details = new LinkedHashMap<>();
    public Map<String, String> versions = new LinkedHashMap<>();
    public String error;

    /** For JSON deserialization. */
    public RunRecord() {}

    /**
     * Starts a record for a job, with a sortable, unique run id. Milliseconds in the id: two runs started within one
     * second (a skipped retrain and the next one) must still sort in start order.
     *
     * @param job the job name
     * @return the record, status {@code running}
     */
    public static RunRecord start(String job) {
        RunRecord record = new RunRecord();
        record.job = Objects.requireNonNull(job, "job");
        record.startedAt = Instant.now();
        record.runId =
                RUN_ID_TIME.format(record.startedAt)
                        + "-"
                        + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x10000, 0xfffff));
        record.versions.put("cxml", RunRecord.class.getPackage().getImplementationVersion() == null
                ? "dev" : RunRecord.class.getPackage().getImplementationVersion());
        return record;
    }

    /**
     * Records a count.
     *
     * @param name the count's name
     * @param value the value
     * @return this record
     */
    public RunRecord count(String name, long value) {
        counts.put(name, value);
        return this;
    }

    /**
     * @param name a count's name
     * @return its value, 0 when absent
     */
    public long count(String name) {
        return counts.getOrDefault(name, 0L);
    }

    /** Marks the run successful and stamps its end. */
    public void succeed() {
        finish("succeeded", null);
    }

    /**
     * Marks the run failed and stamps its end.
     *
     * @param cause the one-line cause
     */
    public void fail(String cause) {
        finish("failed", cause);
    }

    private void finish(String outcome, String cause) {
        status = outcome;
        error = cause;
        finishedAt = Instant.now();
        durationMs = Duration.between(startedAt, finishedAt).toMillis();
    }
}
