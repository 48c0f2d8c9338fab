package io.cxml.experiments;

/**
 * Always-valid inference for a difference whose estimate is approximately normal with variance V: the normal-mixture
 * confidence sequence (Robbins; Howard, Ramdas, McAuliffe and Sekhon 2021, "Time-uniform, nonparametric,
 * nonasymptotic confidence sequences", eq. (14), two-sided) and its mixture-SPRT p-value (Johari, Pekelis and Walsh
 * 2017). The interval {@code d +- sqrt(V (V + tau^2) / tau^2 * (ln((V + tau^2) / V) + 2 ln(1 / alpha)))} covers the
 * true difference at every look simultaneously with probability at least 1 - alpha, so an experiment can be looked at
 * daily and stopped whenever it excludes zero. The mixing scale tau is the minimum detectable effect in absolute
 * units: the interval is then narrowest near the sample size that detects that effect.
 */
public final class SequentialInterval {
    private SequentialInterval() {}

    /**
     * @param variance V, the variance of the estimate at this look (&gt; 0)
     * @param tau the mixture's scale (&gt; 0)
     * @param alpha error rate over all looks
     * @return the half width of the interval
     */
    public static double halfWidth(double variance, double tau, double alpha) {
        double t2 = tau * tau;
        return Math.sqrt(variance * (variance + t2) / t2 * (Math.log((variance + t2) / variance)
                + 2 * Math.log(1 / alpha)));
    }

    /**
     * The mixture-SPRT p-value: 1 / the mixture likelihood ratio, capped at 1. Below alpha exactly when the interval
     * of level alpha excludes zero.
     *
     * @param difference the estimate d
     * @param variance V (&gt; 0)
     * @param tau the mixture's scale (&gt; 0)
     * @return the always-valid p-value at this look
     */
    public static double pValue(double difference, double variance, double tau) {
        double t2 = tau * tau;
        double logLikelihoodRatio = 0.5 * Math.log(variance / (variance + t2))
                + t2 * difference * difference / (2 * variance * (variance + t2));
        return Math.min(1, Math.exp(-logLikelihoodRatio));
    }
}
