package io.cxml.inference.monitoring;

/**
 * One drift metric of one slice.
 *
 * @param slice {@code overall}, {@code language=<code>} or {@code tenant=<id>}
 * @param feature what is compared: an input ({@code language}, {@code channel}, {@code text_chars}, ...) or an
 *     output ({@code predicted}, {@code confidence}, {@code unknown})
 * @param metric {@link #PSI}, {@link #JS_DISTANCE}, {@link #MEAN_SHIFT}, {@link #RATE_SHIFT} or {@link #DOMAIN_AUC}
 *     (then {@code reference} is the AUC's noise floor and {@code window} the AUC)
 * @param value the metric (shifts are window minus reference)
 * @param reference the reference's value of a shift (NaN for distances)
 * @param window the window's value of a shift (NaN for distances)
 * @param referenceRows reference rows in the slice
 * @param windowRows window rows in the slice
 * @param level how far it went
 */
public record DriftFinding(String slice, String feature, String metric, double value, double reference,
        double window, long referenceRows, long windowRows, DriftLevel level) {
    /** Population stability index of a mix or of binned values. */
    public static final String PSI = "psi";
    /** Jensen-Shannon distance of the predicted classes. */
    public static final String JS_DISTANCE = "js_distance";
    /** Shift of the mean confidence. */
    public static final String MEAN_SHIFT = "mean_shift";
    /** ROC AUC of a domain classifier telling window from reference texts by their embeddings. */
    public static final String DOMAIN_AUC = "domain_auc";
    /** Shift of the unknown rate. */
    public static final String RATE_SHIFT = "rate_shift";

    /** @return one line for the console: level, slice, feature, metric and value */
    public String line() {
        String shift = Double.isNaN(reference) ? "" : String.format(" (%.3f -> %.3f)", reference, window);
        return String.format("%-5s %-22s %-11s %-11s %8.3f%s  [%,d vs %,d tickets]", level, slice, feature, metric,
                value, shift, referenceRows, windowRows);
    }
}
