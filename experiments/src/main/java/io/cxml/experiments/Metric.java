package io.cxml.experiments;

import java.util.Locale;

/**
 * An outcome metric of an experiment. Every metric is a ratio of per-unit sums (numerator over denominator), so one
 * delta-method formula covers means per ticket (denominator = the unit's mature tickets), CSAT (denominator = its rated
 * tickets) and clustered units alike.
 */
public enum Metric {
    /** Mean satisfaction 1-5 over rated tickets (a ratio metric: unrated tickets are not in the denominator). */
    CSAT("csat", true),
    /** Share of mature tickets reopened. */
    REOPEN("reopen", false),
    /** Share of mature tickets escalated. */
    ESCALATION("escalation", false),
    /** Mean minutes from creation to solve. */
    HANDLE_TIME("handle_time", false),
    /** Share of routed tickets solved by another team than the routed one. */
    REASSIGNMENT("reassignment", false);

    private final String key;
    private final boolean higherIsBetter;

    Metric(String key, boolean higherIsBetter) {
        this.key = key;
        this.higherIsBetter = higherIsBetter;
    }

    /** @return the name in config and tables */
    public String key() {
        return key;
    }

    /** @return whether an increase is an improvement */
    public boolean higherIsBetter() {
        return higherIsBetter;
    }

    /**
     * @param value a metric key
     * @return the metric
     * @throws IllegalArgumentException naming the metrics
     */
    public static Metric parse(String value) {
        for (Metric m : values()) {
            if (m.key.equals(value.trim().toLowerCase(Locale.ROOT))) {
                return m;
            }
        }
        throw new IllegalArgumentException("metric '" + value
                + "' is not one of csat, reopen, escalation, handle_time, reassignment");
    }

    @Override
    public String toString() {
        return key;
    }
}
