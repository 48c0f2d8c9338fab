package io.cxml.experiments;

import java.io.Serializable;

/**
 * Sums of k per-ticket values, of their squares and cross products, over n tickets: enough for the means of the values
 * and their sample covariance matrix, so a smooth function of the means gets its delta-method variance on the driver
 * from a few numbers, however many tickets the executors summed.
 *
 * @param n tickets
 * @param sums sum of each value
 * @param products sum of value i times value j for i &lt;= j, row by row (k (k + 1) / 2 entries)
 */
public record MomentSums(long n, double[] sums, double[] products) implements Serializable {

    /** Checks the sizes. */
    public MomentSums {
        int k = sums.length;
        if (products.length != k * (k + 1) / 2) {
            throw new IllegalArgumentException("Cannot hold " + k + " values' moments in " + products.length
                    + " products: need " + k * (k + 1) / 2);
        }
    }

    /** @return the mean of each value */
    public double[] means() {
        double[] m = new double[sums.length];
        for (int i = 0; i < m.length; i++) {
            m[i] = sums[i] / n;
        }
        return m;
    }

    /**
     * @param gradient the function's gradient at the means
     * @return the delta method's variance of the function of the means: g' Cov g / n (0 with fewer than 2 tickets)
     */
    public double varianceOf(double[] gradient) {
        if (n < 2) {
            return 0;
        }
        double v = 0;
        for (int i = 0; i < sums.length; i++) {
            for (int j = 0; j < sums.length; j++) {
                v += gradient[i] * gradient[j] * covariance(i, j);
            }
        }
        return Math.max(0, v) / n;
    }

    /** Sample covariance of values i and j. */
    double covariance(int i, int j) {
        int a = Math.min(i, j);
        int b = Math.max(i, j);
        int index = a * sums.length - a * (a - 1) / 2 + (b - a);
        return (products[index] - sums[a] * sums[b] / n) / (n - 1);
    }
}
