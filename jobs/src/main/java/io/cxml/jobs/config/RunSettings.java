package io.cxml.jobs.config;

/**
 * Run area ({@code cxml.run.*}): the run id an orchestrator gives a job, so it can read the job's run record (and
 * its outcome) back from the storage root whatever the deploy mode. Resolved once by {@link Settings#resolve}; the
 * only place these keys are read.
 */
public final class RunSettings {
    /** The run id of the job's record ({@code runs/<job>/<id>.json}); "" = a new id per run. */
    public static final String ID = "cxml.run.id";

    private final String id;

    private RunSettings(String id) {
        this.id = id;
    }

    /**
     * @param config the validated config
     * @return the run settings
     * @throws ConfigError when the id is not a safe file name
     */
    public static RunSettings resolve(CxmlConfig config) {
        String id = config.getString(ID).strip();
        if (!id.isEmpty() && !id.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,199}")) {
            throw new ConfigError("Cannot use " + ID + " '" + id + "': use letters, digits, '.', '_' and '-' (it "
                    + "names the record file runs/<job>/<id>.json)");
        }
        return new RunSettings(id);
    }

    /** @return the given run id, or null for a new one per run */
    public String id() {
        return id.isEmpty() ? null : id;
    }
}
