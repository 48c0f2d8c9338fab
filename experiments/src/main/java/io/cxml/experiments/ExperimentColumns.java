package io.cxml.experiments;

/** The columns scoring adds to {@code scored/tickets} and {@code SCORED_TICKETS} for experiments. */
public final class ExperimentColumns {
    private ExperimentColumns() {}

    /** Experiment the ticket's unit takes part in; null outside every experiment. */
    public static final String EXPERIMENT = "experiment";
    /** Arm that served the ticket; null outside every experiment. */
    public static final String ARM = "arm";
}
