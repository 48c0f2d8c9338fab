package io.cxml.experiments;

/**
 * What an analysis tells the scheduler to do, with the exit code of {@code cxml experiment analyze} (0 and 10-12, so
 * they never mix with 1 = failed and 2 = bad config or usage).
 */
public enum Decision {
    /** No conclusion yet (or no mature outcomes): look again later. */
    KEEP_RUNNING("keep_running", 0),
    /** A challenger improves the primary metric and harms no guardrail: promote it through the gates. */
    SHIP("ship", 10),
    /** A challenger significantly harms the primary metric or a guardrail: stop the experiment. */
    STOP_HARM("stop:harm", 11),
    /** The units per arm do not match the weights: assignment or logging is broken; stop and investigate. */
    STOP_SRM("stop:srm", 12);

    private final String label;
    private final int exitCode;

    Decision(String label, int exitCode) {
        this.label = label;
        this.exitCode = exitCode;
    }

    /** @return the exit code of the analyze command */
    public int exitCode() {
        return exitCode;
    }

    @Override
    public String toString() {
        return label;
    }
}
