package io.cxml.experiments;

import java.util.Arrays;
import java.util.Comparator;

/** Adjusted p-values for a family of tests: Holm (family-wise error) and Benjamini-Hochberg (false discovery rate). */
public final class MultipleTesting {
    private MultipleTesting() {}

    /**
     * Holm's step-down adjustment: reject test i at level alpha when its adjusted p-value is below alpha.
     *
     * @param p raw p-values
     * @return adjusted p-values, in the same order
     */
    public static double[] holm(double[] p) {
        Integer[] order = order(p);
        double[] adjusted = new double[p.length];
        double running = 0;
        for (int rank = 0; rank < p.length; rank++) {
            int i = order[rank];
            running = Math.max(running, Math.min(1, (p.length - rank) * p[i]));
            adjusted[i] = running;
        }
        return adjusted;
    }

    /**
     * Benjamini-Hochberg's step-up adjustment (q-values).
     *
     * @param p raw p-values
     * @return adjusted p-values, in the same order
     */
    public static double[] benjaminiHochberg(double[] p) {
        Integer[] order = order(p);
        double[] adjusted = new double[p.length];
        double running = 1;
        for (int rank = p.length - 1; rank >= 0; rank--) {
            int i = order[rank];
            running = Math.min(running, Math.min(1, p[i] * p.length / (rank + 1)));
            adjusted[i] = running;
        }
        return adjusted;
    }

    private static Integer[] order(double[] p) {
        Integer[] order = new Integer[p.length];
        Arrays.setAll(order, i -> i);
        Arrays.sort(order, Comparator.comparingDouble(i -> p[i]));
        return order;
    }
}
