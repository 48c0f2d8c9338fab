package io.cxml.experiments;

import org.apache.commons.statistics.distribution.TDistribution;

/**
 * Off-policy estimate (replay) of one metric under a challenger, from logged tickets the control served: the direct
 * method with a one-bit outcome model. Logged tickets whose route (the control's) reached the team that solved them
 * give the metric's value when routing is right, m1; the others its value when routing is wrong, m0. The challenger
 * routes a share Ac of the tickets (weighted by the metric's denominator) to the solving team, the control A0, so
 *
 * <pre>
 *   V(challenger) = Ac m1 + (1 - Ac) m0      V(control) = A0 m1 + (1 - A0) m0 = the logged value
 *   difference    = (Ac - A0) (m1 - m0)
 * </pre>
 *
 * Inverse propensity weighting does not apply: the logging policy is deterministic (the control's one route per
 * ticket), so the tickets where the challenger routes elsewhere have no logged outcome to reweight. The estimate is
 * unbiased when (1) the solving team is the right team, (2) the route changes the outcome only through whether it
 * reaches that team, and (3) tickets the control misrouted are like those the challenger would misroute. (3) fails in
 * practice: hard tickets are misrouted by every model and go badly anyway, so m1 - m0 also carries their difficulty
 * and the estimate overstates the size of an effect (its sign holds when (1) and (2) do). It ranks challengers for an
 * online test; it does not replace one. Variances are the delta method's over tickets ({@link MomentSums}), tickets
 * taken as independent.
 *
 * @param tickets replayed tickets
 * @param controlAgreement A0: share of the denominator the control routed to the solving team
 * @param challengerAgreement Ac: the challenger's share
 * @param controlValue the logged value (the control served the tickets)
 * @param challengerValue the estimate under the challenger
 * @param challengerLow its interval, lower end
 * @param challengerHigh its interval, upper end
 * @param difference challenger minus control
 * @param relativeLift difference / control value
 * @param standardError of the difference
 * @param low difference interval, lower end
 * @param high difference interval, upper end
 */
public record ReplayEstimate(long tickets, double controlAgreement, double challengerAgreement, double controlValue,
        double challengerValue, double challengerLow, double challengerHigh, double difference, double relativeLift,
        double standardError, double low, double high) {
    /** How every output of the replay is labelled, so it is never read as an online result. */
    public static final String LABEL = "off-policy estimate (replay)";

    /**
     * @param sums the per-ticket values' sums ({@link ReplayStatistics})
     * @param alpha error rate of the intervals
     * @return the estimate, or null when the logs have no ticket routed right or none routed wrong for this metric
     *     (nothing tells what a misroute changes)
     */
    public static ReplayEstimate of(MomentSums sums, double alpha) {
        double[] u = sums.means();
        double right = u[1];
        double wrong = u[3];
        if (sums.n() < 2 || !(right > 0) || !(wrong > 0)) {
            return null;
        }
        double d = right + wrong;
        double m1 = u[0] / right;
        double m0 = u[2] / wrong;
        double a0 = right / d;
        double ac = u[4] / d;
        double v0 = (u[0] + u[2]) / d;
        double vc = m0 + ac * (m1 - m0);
        double[] gradC = {ac / right, -ac * m1 / right - (m1 - m0) * ac / d, (1 - ac) / wrong,
            -(1 - ac) * m0 / wrong - (m1 - m0) * ac / d, (m1 - m0) / d};
        double[] grad0 = {1 / d, -v0 / d, 1 / d, -v0 / d, 0};
        double[] gradDiff = new double[gradC.length];
        for (int i = 0; i < gradC.length; i++) {
            gradDiff[i] = gradC[i] - grad0[i];
        }
        double critical = TDistribution.of(sums.n() - 1).inverseSurvivalProbability(alpha / 2);
        double seC = Math.sqrt(sums.varianceOf(gradC));
        double se = Math.sqrt(sums.varianceOf(gradDiff));
        double diff = vc - v0;
        return new ReplayEstimate(sums.n(), a0, ac, v0, vc, vc - critical * seC, vc + critical * seC, diff,
                v0 == 0 ? Double.NaN : diff / v0, se, diff - critical * se, diff + critical * se);
    }

    /**
     * @param metric the metric
     * @return whether the challenger's estimate is better than the logged value
     */
    public boolean improves(Metric metric) {
        return metric.higherIsBetter() ? difference > 0 : difference < 0;
    }
}
