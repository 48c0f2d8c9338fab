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
@JsonPropertyOrder({"runId", "job", "status", "outcome", "reason", "window", "startedAt", "finishedAt", "durationMs",
    "counts", "details", "versions", "error"})
public final class RunRecord {
    private static final DateTimeFormatter RUN_ID_TIME =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmssSSS'Z'").withZone(ZoneOffset.UTC);

    /**
     * What a finished run means for whoever scheduled it: an orchestrator reads this from the storage root instead of
     * the process's exit code, which does not survive every deploy mode ({@code spark-submit --deploy-mode cluster}).
     */
    public enum Outcome {
        /** The job did its work. */
        SUCCESS,
        /** The job did its work and found something to act on (a drift alert): exit 3 in client mode. */
        ALERT,
        /** A gate refused a promotion: running again refuses again. */
        REFUSED,
        /** The window selected nothing: no data for it (yet). */
        EMPTY,
        /** The job failed. */
        FAILED;

        /** @return the value written to the record, e.g. {@code alert} */
        public String value() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public String runId;
    public String job;
    /** Life cycle: {@code running}, then {@code succeeded} (the job completed) or {@code failed}. */
    public String status = "running";
    /** {@link Outcome#value()} once finished. */
    public String outcome;
    /** One line saying why, for every outcome but success. */
    public String reason;
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
        return start(job, null);
    }

    /**
     * Starts a record with a run id the caller chose (an orchestrator that reads the record back), or a new one.
     *
     * @param job the job name
     * @param runId the run id, or null or blank for a new one
     * @return the record, status {@code running}
     * @throws IllegalArgumentException when the id is not a safe file name
     */
    public static RunRecord start(String job, String runId) {
        RunRecord record = new RunRecord();
        record.job = Objects.requireNonNull(job, "job");
        record.startedAt = Instant.now();
        if (runId != null && !runId.isBlank()) {
            if (!runId.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,199}")) {
                throw new IllegalArgumentException("Cannot use run id '" + runId + "': use letters, digits, '.', '_' "
                        + "and '-' (it names the record file runs/<job>/<run id>.json)");
            }
            record.runId = runId;
        } else {
            record.runId = RUN_ID_TIME.format(record.startedAt) + "-"
                    + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x10000, 0xfffff));
        }
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

    /**
     * Notes, while the run is in progress, an outcome other than success (an alert, a refusal, an empty window); the
     * run's end keeps it.
     *
     * @param value the outcome
     * @param why one line saying why
     */
    public void flag(Outcome value, String why) {
        outcome = value.value();
        reason = why;
    }

    /** Marks the run successful (its outcome {@code success} unless {@link #flag flagged}) and stamps its end. */
    public void succeed() {
        finish("succeeded", null);
        if (outcome == null) {
            outcome = Outcome.SUCCESS.value();
        }
    }

    /**
     * Marks the run failed (its outcome {@code failed}, or the refusal or empty window {@link #flag flagged}) and
     * stamps its end.
     *
     * @param cause the one-line cause
     */
    public void fail(String cause) {
        finish("failed", cause);
        if (outcome == null || Outcome.SUCCESS.value().equals(outcome) || Outcome.ALERT.value().equals(outcome)) {
            outcome = Outcome.FAILED.value();
        }
        if (reason == null || Outcome.FAILED.value().equals(outcome)) {
            reason = cause;
        }
    }

    private void finish(String lifeCycle, String cause) {
        status = lifeCycle;
        error = cause;
        finishedAt = Instant.now();
        durationMs = Duration.between(startedAt, finishedAt).toMillis();
    }
}
