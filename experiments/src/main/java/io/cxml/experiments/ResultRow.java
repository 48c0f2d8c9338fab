package io.cxml.experiments;

/**
 * One row of {@code EXPERIMENT_RESULTS}: a challenger against the control on one metric and slice at one look.
 *
 * @param arm the challenger
 * @param metric the metric
 * @param role primary or guardrail
 * @param slice all, language=xx or tenant=id
 * @param comparison the estimate and intervals
 * @param adjustedPValue the always-valid p-value adjusted across the family (Holm for the overall slice, whose tests
 *     decide; Benjamini-Hochberg within the language and tenant slices, which only inform)
 * @param srmPValue the sample-ratio chi-square p-value of the slice
 */
public record ResultRow(String arm, Metric metric, String role, String slice, Comparison comparison,
        double adjustedPValue, double srmPValue) {
    /** Role of the primary metric. */
    public static final String PRIMARY = "primary";
    /** Role of a guardrail metric. */
    public static final String GUARDRAIL = "guardrail";

    /** @return whether the always-valid test rejects no difference at level alpha after adjustment */
    public boolean significant(double alpha) {
        return adjustedPValue < alpha;
    }

    /** @return whether the estimate moves the metric in its good direction */
    public boolean improves() {
        return metric.higherIsBetter() == comparison.difference() > 0;
    }
}
