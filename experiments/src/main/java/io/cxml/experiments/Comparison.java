package io.cxml.experiments;

import org.apache.commons.statistics.distribution.TDistribution;

/**
 * A challenger against the control on one metric and slice, from the two arms' {@link MetricSums}.
 *
 * <p>The estimate is the difference of the ratio estimates, with CUPED when the pre-period covariate varies: each arm's
 * ratio is shifted by {@code theta (mean X of the arm - pooled mean X)}, theta being the pooled regression slope of the
 * linearised outcome on X (Deng, Xu, Kohavi and Walker 2013), which lowers the variance by the squared correlation and
 * leaves the expectation unchanged because X was measured before assignment. The fixed-horizon interval is Welch's
 * (t with Satterthwaite degrees of freedom) on the delta-method variances, which are cluster-robust when units hold
 * several tickets; the always-valid interval is {@link SequentialInterval}'s on the same estimate and variance.
 *
 * @param controlUnits units of the control with outcomes
 * @param treatmentUnits units of the challenger with outcomes
 * @param controlValue the control's metric value
 * @param treatmentValue the challenger's metric value
 * @param difference treatment minus control, CUPED-adjusted
 * @param relativeLift difference / control value
 * @param standardError of the difference
 * @param degreesOfFreedom Welch-Satterthwaite
 * @param low fixed-horizon interval, lower end
 * @param high fixed-horizon interval, upper end
 * @param pValue fixed-horizon two-sided p-value (valid for one planned look only)
 * @param varianceReduction 1 - CUPED variance / plain variance (0 without a covariate)
 * @param sequentialLow always-valid interval, lower end
 * @param sequentialHigh always-valid interval, upper end
 * @param sequentialPValue always-valid p-value
 */
public record Comparison(long controlUnits, long treatmentUnits, double controlValue, double treatmentValue,
        double difference, double relativeLift, double standardError, double degreesOfFreedom, double low, double high,
        double pValue, double varianceReduction, double sequentialLow, double sequentialHigh,
        double sequentialPValue) {

    /**
     * @param control the control's sums
     * @param treatment the challenger's sums
     * @param alpha the error rate of the intervals
     * @param minimumDetectableEffect relative effect that scales the always-valid mixture
     * @param cuped whether to adjust with the pre-period covariate
     * @return the comparison, or null when an arm has fewer than 2 units with outcomes or no variance
     */
    public static Comparison of(MetricSums control, MetricSums treatment, double alpha, double minimumDetectableEffect,
            boolean cuped) {
        if (control.n() < 2 || treatment.n() < 2) {
            return null;
        }
        double varX = control.varianceX() + treatment.varianceX();
        double theta = cuped && varX > 0 ? (control.covarianceLX() + treatment.covarianceLX()) / varX : 0;
        double plainVc = control.linearisedVariance() / control.n();
        double plainVt = treatment.linearisedVariance() / treatment.n();
        double vc = adjustedVariance(control, theta) / control.n();
        double vt = adjustedVariance(treatment, theta) / treatment.n();
        double variance = vc + vt;
        if (!(variance > 0)) {
            return null;
        }
        double difference = treatment.ratio() - control.ratio() - theta * (treatment.meanX() - control.meanX());
        double se = Math.sqrt(variance);
        double df = variance * variance / (vc * vc / (control.n() - 1) + vt * vt / (treatment.n() - 1));
        TDistribution t = TDistribution.of(df);
        double critical = t.inverseSurvivalProbability(alpha / 2);
        double p = Math.min(1, 2 * t.survivalProbability(Math.abs(difference) / se));
        double tau = minimumDetectableEffect * (control.ratio() == 0 ? 1 : Math.abs(control.ratio()));
        double half = SequentialInterval.halfWidth(variance, tau, alpha);
        double reduction = plainVc + plainVt > 0 ? 1 - variance / (plainVc + plainVt) : 0;
        return new Comparison(control.n(), treatment.n(), control.ratio(), treatment.ratio(), difference,
                difference / control.ratio(), se, df, difference - critical * se, difference + critical * se, p,
                reduction, difference - half, difference + half, SequentialInterval.pValue(difference, variance, tau));
    }

    /** Var(L - theta X) of one arm. */
    private static double adjustedVariance(MetricSums s, double theta) {
        return Math.max(0, s.linearisedVariance() - 2 * theta * s.covarianceLX() + theta * theta * s.varianceX());
    }
}
