package io.cxml.experiments;

import java.util.List;
import org.apache.commons.statistics.inference.ChiSquareTest;

/**
 * Sample-ratio mismatch: are the units per arm what the weights promise? Pearson's chi-square goodness of fit of the
 * observed unit counts against the arms' weights. A mismatch means assignment or logging is broken (a crash in one
 * arm, rows dropped for one language...) and every other figure of the experiment is suspect.
 */
public final class SampleRatioCheck {
    /** Alarm threshold on the overall test, as GrowthBook, Statsig and Eppo use. */
    public static final double ALARM_P = 0.001;

    private SampleRatioCheck() {}

    /**
     * @param weights the arms' weights, in arm order
     * @param units units observed per arm, same order
     * @return the chi-square p-value (1 when there are no units)
     */
    public static double pValue(List<Double> weights, long[] units) {
        long total = 0;
        for (long u : units) {
            total += u;
        }
        if (total == 0) {
            return 1;
        }
        double[] expected = new double[weights.size()];
        double sum = weights.stream().mapToDouble(Double::doubleValue).sum();
        for (int i = 0; i < expected.length; i++) {
            expected[i] = weights.get(i) / sum * total;
        }
        return ChiSquareTest.withDefaults().test(expected, units).getPValue();
    }
}
