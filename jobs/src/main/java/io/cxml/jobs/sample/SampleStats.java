package io.cxml.jobs.sample;

import java.io.Serializable;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the generator wrote, per task and in total: lines, tickets, superseded versions, exact duplicates and broken
 * lines by kind. The ingest of a full sample must reconcile with it exactly: curated = tickets, quarantined = bad,
 * duplicates = duplicate lines + superseded versions.
 */
public final class SampleStats implements Serializable {
    private static final long serialVersionUID = 1L;

    public long tickets;
    public long lines;
    public long supersededVersions;
    public long duplicateLines;
    public long files;
    public final Map<String, Long> badLines = new TreeMap<>();

    void bad(String kind) {
        badLines.merge(kind, 1L, Long::sum);
    }

    /** @return all broken lines */
    public long badTotal() {
        return badLines.values().stream().mapToLong(Long::longValue).sum();
    }

    /**
     * @param other another task's stats
     * @return this, with the other added
     */
    public SampleStats add(SampleStats other) {
        tickets += other.tickets;
        lines += other.lines;
        supersededVersions += other.supersededVersions;
        duplicateLines += other.duplicateLines;
        files += other.files;
        other.badLines.forEach((k, v) -> badLines.merge(k, v, Long::sum));
        return this;
    }

    @Override
    public String toString() {
        return "tickets=" + tickets + " lines=" + lines + " files=" + files + " superseded=" + supersededVersions
                + " duplicates=" + duplicateLines + " bad=" + badLines;
    }
}
