package io.cxml.training.eval;

import java.io.Serializable;

/**
 * Fits the softmax temperature that minimizes the negative log-likelihood on validation rows, as mergeable sums: a
 * grid of temperatures (1, then log-spaced from 0.05 to 20) and the summed NLL at each, so each Spark partition
 * adds its own rows on the executor and only the sums reach the driver.
 */
public final class TemperatureFit implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final double[] GRID = grid();

    private final double[] nll = new double[GRID.length];
    private long rows;

    /**
     * @param probabilities uncalibrated (temperature 1) probabilities
     * @param gold index of the gold label, -1 for a label the model does not know (ignored)
     */
    public void add(float[] probabilities, int gold) {
        if (gold < 0) {
            return;
        }
        rows++;
        for (int i = 0; i < GRID.length; i++) {
            nll[i] += Calibration.nll(probabilities, gold, GRID[i]);
        }
    }

    /**
     * @param other sums of other rows
     * @return this
     */
    public TemperatureFit merge(TemperatureFit other) {
        rows += other.rows;
        for (int i = 0; i < GRID.length; i++) {
            nll[i] += other.nll[i];
        }
        return this;
    }

    /** @return the best temperature; 1 when no row had a known label */
    public double temperature() {
        if (rows == 0) {
            return 1.0;
        }
        int best = 0;
        for (int i = 1; i < GRID.length; i++) {
            if (nll[i] < nll[best]) {
                best = i;
            }
        }
        return GRID[best];
    }

    private static double[] grid() {
        java.util.List<Double> values = new java.util.ArrayList<>();
        values.add(1.0);
        for (double logT = Math.log(0.05); logT <= Math.log(20); logT += 0.05) {
            values.add(Math.exp(logT));
        }
        return values.stream().mapToDouble(Double::doubleValue).toArray();
    }
}
