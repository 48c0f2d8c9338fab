package io.cxml.inference.monitoring;

/**
 * Where a drift metric warns and alerts ({@code cxml.monitor.drift.*}).
 *
 * @param psiWarn PSI of an input mix or binned numeric value that warns (the field's usual 0.1)
 * @param psiAlert PSI that alerts (the usual 0.25)
 * @param jsWarn Jensen-Shannon distance of the predicted classes that warns
 * @param jsAlert Jensen-Shannon distance that alerts
 * @param confidenceWarn absolute shift of the mean confidence that warns
 * @param confidenceAlert absolute shift of the mean confidence that alerts
 * @param unknownWarn absolute shift of the unknown rate that warns
 * @param unknownAlert absolute shift of the unknown rate that alerts
 * @param minSliceTickets a language or tenant slice with fewer tickets (in the window or the reference) is not judged
 * @param classes predicted classes compared one by one: the reference's most frequent; the rest are pooled, which
 *     keeps the sampling noise of the distance small on small slices
 */
public record DriftThresholds(double psiWarn, double psiAlert, double jsWarn, double jsAlert, double confidenceWarn,
        double confidenceAlert, double unknownWarn, double unknownAlert, int minSliceTickets, int classes) {
    /** Defaults (see conf/application.conf). */
    public static final DriftThresholds DEFAULT = new DriftThresholds(0.1, 0.25, 0.1, 0.2, 0.05, 0.1, 0.05, 0.1,
            200, 15);

    /** Checks the bounds. */
    public DriftThresholds {
        if (!(psiWarn > 0 && psiWarn <= psiAlert && jsWarn > 0 && jsWarn <= jsAlert && confidenceWarn > 0
                && confidenceWarn <= confidenceAlert && unknownWarn > 0 && unknownWarn <= unknownAlert)) {
            throw new IllegalArgumentException("Cannot use the drift thresholds " + this + ": each warn level must be "
                    + "above 0 and at most its alert level");
        }
        if (minSliceTickets < 1 || classes < 1) {
            throw new IllegalArgumentException("Cannot use the drift thresholds " + this + ": min-slice-tickets and "
                    + "classes must be at least 1");
        }
    }
}
