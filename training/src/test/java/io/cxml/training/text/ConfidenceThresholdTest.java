package io.cxml.training.text;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The out-of-scope confidence threshold a head version stores: the in-scope validation quantile. */
class ConfidenceThresholdTest {
    private static long[] histogram(double... confidences) {
        long[] h = new long[ExecutorEvaluation.CONFIDENCE_BINS + 1];
        for (double c : confidences) {
            h[(int) Math.floor(c * ExecutorEvaluation.CONFIDENCE_BINS)]++;
        }
        return h;
    }

    @Test
    void keepsTheShareOfRowsAtOrAboveIt() {
        double[] c = new double[100];
        for (int i = 0; i < c.length; i++) {
            c[i] = (i + 0.5) / 100; // 0.005, 0.015, ... 0.995
        }
        double t = ExecutorEvaluation.thresholdKeeping(histogram(c), 0.95);
        assertThat(t).isCloseTo(0.055, org.assertj.core.data.Offset.offset(1e-9)); // the 6th lowest one's bin
        long below = java.util.Arrays.stream(c).filter(x -> x < t).count();
        assertThat(below).as("5%% of in-scope rows rejected").isEqualTo(5);
        assertThat(ExecutorEvaluation.thresholdKeeping(histogram(c), 1.0)).as("1 keeps every row")
                .isLessThanOrEqualTo(0.005);
        assertThat(ExecutorEvaluation.thresholdKeeping(histogram(1.0, 1.0), 0.5)).isEqualTo(1.0);
        assertThat(ExecutorEvaluation.thresholdKeeping(histogram(), 0.95)).as("no rows").isZero();
    }
}
