package io.cxml.inference.monitoring;

/** How far a drift metric went, and of a whole check: the worst of its findings. */
public enum DriftLevel {
    /** Below the warn level. */
    OK,
    /** At or above the warn level, below the alert level. */
    WARN,
    /** At or above the alert level. */
    ALERT;

    /**
     * @param value the metric (its absolute value is compared)
     * @param warn warn level
     * @param alert alert level
     * @return the level
     */
    public static DriftLevel of(double value, double warn, double alert) {
        double v = Math.abs(value);
        return v >= alert ? ALERT : v >= warn ? WARN : OK;
    }
}
