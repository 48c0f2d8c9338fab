package io.cxml.experiments;

import java.io.Serializable;

/**
 * Sufficient statistics of one metric in one arm and slice, over units: for each unit u its numerator Y (e.g. reopened
 * tickets, or the CSAT sum), denominator N (its mature, or rated, tickets) and pre-period covariate X. Sums of these,
 * their squares and cross products are all the analysis needs, so executors reduce any number of tickets to a few
 * numbers per arm; sums of disjoint units merge by addition.
 *
 * @param n units with N &gt; 0
 * @param sy sum of Y
 * @param sn sum of N
 * @param syy sum of Y squared
 * @param snn sum of N squared
 * @param syn sum of Y times N
 * @param sx sum of X
 * @param sxx sum of X squared
 * @param sxy sum of X times Y
 * @param sxn sum of X times N
 */
public record MetricSums(long n, double sy, double sn, double syy, double snn, double syn, double sx, double sxx,
        double sxy, double sxn) implements Serializable {

    /** No units. */
    public static final MetricSums EMPTY = new MetricSums(0, 0, 0, 0, 0, 0, 0, 0, 0, 0);

    /**
     * @param y the unit's numerator
     * @param nu the unit's denominator (&gt; 0)
     * @param x the unit's pre-period covariate
     * @return these sums with one more unit
     */
    public MetricSums add(double y, double nu, double x) {
        return new MetricSums(n + 1, sy + y, sn + nu, syy + y * y, snn + nu * nu, syn + y * nu, sx + x, sxx + x * x,
                sxy + x * y, sxn + x * nu);
    }

    /**
     * @param o sums of other units
     * @return the sums of both
     */
    public MetricSums merge(MetricSums o) {
        return new MetricSums(n + o.n, sy + o.sy, sn + o.sn, syy + o.syy, snn + o.snn, syn + o.syn, sx + o.sx,
                sxx + o.sxx, sxy + o.sxy, sxn + o.sxn);
    }

    /** @return the ratio estimate sum(Y) / sum(N): the metric's value in this arm */
    public double ratio() {
        return sy / sn;
    }

    /** @return the mean covariate per unit */
    public double meanX() {
        return sx / n;
    }

    /**
     * Sample variance of the unit's linearised value L = (Y - R N) / mean(N) (the delta method's influence function of
     * the ratio R): Var(R) = Var(L) / n. With one ticket per unit and N = 1, L is the ticket's outcome minus the mean,
     * so this is the plain sample variance (Welch); with many tickets per unit it is the cluster-robust variance.
     *
     * @return Var(L), 0 with fewer than 2 units
     */
    public double linearisedVariance() {
        if (n < 2) {
            return 0;
        }
        double r = ratio();
        double meanN = sn / n;
        double varY = (syy - sy * sy / n) / (n - 1);
        double varN = (snn - sn * sn / n) / (n - 1);
        double covYN = (syn - sy * sn / n) / (n - 1);
        return Math.max(0, (varY - 2 * r * covYN + r * r * varN) / (meanN * meanN));
    }

    /** @return the sample variance of X */
    public double varianceX() {
        return n < 2 ? 0 : Math.max(0, (sxx - sx * sx / n) / (n - 1));
    }

    /** @return the sample covariance of L (see {@link #linearisedVariance}) and X */
    public double covarianceLX() {
        if (n < 2) {
            return 0;
        }
        double r = ratio();
        double meanN = sn / n;
        double covYX = (sxy - sx * sy / n) / (n - 1);
        double covNX = (sxn - sx * sn / n) / (n - 1);
        return (covYX - r * covNX) / meanN;
    }
}
