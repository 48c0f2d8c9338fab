package io.cxml.training.baseline;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SoftmaxRegressionTest {
    /** Sparse rows whose label is the argmax of a hidden linear score, with label noise. */
    static SoftmaxRegression.Problem problem(int rows, int features, int classes, long seed) {
        Random random = new Random(seed);
        double[][] hidden = new double[classes][features];
        for (double[] h : hidden) {
            for (int j = 0; j < features; j++) {
                h[j] = random.nextGaussian();
            }
        }
        int[] start = new int[rows + 1];
        List<Integer> index = new ArrayList<>();
        List<Double> value = new ArrayList<>();
        int[] label = new int[rows];
        for (int r = 0; r < rows; r++) {
            double[] score = new double[classes];
            for (int j = 0; j < features; j++) {
                if (random.nextDouble() < 0.2) {
                    double v = 1 + random.nextInt(3) * 0.7;
                    index.add(j);
                    value.add(v);
                    for (int c = 0; c < classes; c++) {
                        score[c] += v * hidden[c][j];
                    }
                }
            }
            int best = 0;
            for (int c = 1; c < classes; c++) {
                best = score[c] > score[best] ? c : best;
            }
            label[r] = random.nextDouble() < 0.1 ? random.nextInt(classes) : best;
            start[r + 1] = index.size();
        }
        return new SoftmaxRegression.Problem(features, classes, start,
                index.stream().mapToInt(Integer::intValue).toArray(),
                value.stream().mapToDouble(Double::doubleValue).toArray(), label);
    }

    @Test
    void chunkedPassesGiveTheSequentialObjectiveAndRepeatExactly() {
        SoftmaxRegression.Problem p = problem(300, 9, 4, 3);
        SoftmaxRegression.Objective one = new SoftmaxRegression.Objective(p, 0.01, true);
        SoftmaxRegression.Objective eight = new SoftmaxRegression.Objective(p, 0.01, true, 8);
        int dim = p.features() * p.classes() + p.classes();
        double[] w = new Random(5).doubles(dim, -0.5, 0.5).toArray();
        double[] g1 = new double[dim];
        double[] g8 = new double[dim];
        double l1 = one.evaluate(w, g1);
        double l8 = eight.evaluate(w, g8);
        assertThat(l8).isCloseTo(l1, org.assertj.core.data.Offset.offset(1e-12));
        for (int i = 0; i < dim; i++) {
            assertThat(g8[i]).isCloseTo(g1[i], org.assertj.core.data.Offset.offset(1e-12));
        }
        double[] again = new double[dim];
        assertThat(eight.evaluate(w, again)).isEqualTo(l8);
        assertThat(again).containsExactly(g8);

        float[][] rows = new float[200][6];
        int[] labels = new int[200];
        Random random = new Random(9);
        for (int r = 0; r < rows.length; r++) {
            labels[r] = random.nextInt(3);
            for (int j = 0; j < 6; j++) {
                rows[r][j] = (float) (random.nextGaussian() + (j == labels[r] ? 2 : 0));
            }
        }
        SoftmaxRegression.Solution a = SoftmaxRegression.fitDense(rows, labels, 3, 1e-3, true, 100, 1e-8);
        SoftmaxRegression.Solution b = SoftmaxRegression.fitDense(rows, labels, 3, 1e-3, true, 100, 1e-8);
        assertThat(b.coefficients()).containsExactly(a.coefficients());
        assertThat(b.intercepts()).containsExactly(a.intercepts());
    }

    @Test
    void gradientMatchesFiniteDifferences() {
        SoftmaxRegression.Problem p = problem(40, 7, 3, 1);
        for (boolean standardization : new boolean[] {false, true}) {
            SoftmaxRegression.Objective objective = new SoftmaxRegression.Objective(p, 0.05, standardization);
            int dim = p.features() * p.classes() + p.classes();
            Random random = new Random(2);
            double[] w = new double[dim];
            for (int i = 0; i < dim; i++) {
                w[i] = random.nextGaussian() * 0.3;
            }
            double[] grad = new double[dim];
            objective.evaluate(w, grad);
            double[] scratch = new double[dim];
            for (int i = 0; i < dim; i++) {
                double h = 1e-6;
                double keep = w[i];
                w[i] = keep + h;
                double up = objective.evaluate(w, scratch);
                w[i] = keep - h;
                double down = objective.evaluate(w, scratch);
                w[i] = keep;
                assertThat(grad[i]).as("d/dw[%d] (standardization %s)", i, standardization)
                        .isCloseTo((up - down) / (2 * h), org.assertj.core.data.Offset.offset(1e-6));
            }
        }
    }

    @Test
    void convergesToAStationaryPointAndFitsTheSignal() {
        SoftmaxRegression.Problem p = problem(600, 30, 4, 3);
        SoftmaxRegression.Solution s = SoftmaxRegression.fit(p, 1e-3, false, 500, 1e-12);
        assertThat(s.iterations()).isGreaterThan(5);
        // Training accuracy of the unscaled model, computed independently of the solver's objective.
        int correct = 0;
        for (int r = 0; r < p.rows(); r++) {
            double[] z = s.intercepts().clone();
            for (int e = p.rowStart()[r]; e < p.rowStart()[r + 1]; e++) {
                for (int c = 0; c < p.classes(); c++) {
                    z[c] += s.coefficients()[c * p.features() + p.index()[e]] * p.value()[e];
                }
            }
            int best = 0;
            for (int c = 1; c < p.classes(); c++) {
                best = z[c] > z[best] ? c : best;
            }
            correct += best == p.label()[r] ? 1 : 0;
        }
        assertThat(correct / (double) p.rows()).as("training accuracy (10% of labels are noise)").isGreaterThan(0.8);
        assertThat(java.util.Arrays.stream(s.intercepts()).sum()).as("centred intercepts")
                .isCloseTo(0, org.assertj.core.data.Offset.offset(1e-9));
        // At the optimum the gradient (in the solver's space) vanishes: a fit of 500 iterations barely moves.
        SoftmaxRegression.Solution longer = SoftmaxRegression.fit(p, 1e-3, false, 1000, 1e-15);
        assertThat(longer.loss()).isCloseTo(s.loss(), org.assertj.core.data.Offset.offset(1e-6));
    }

    @Test
    void aFeatureThatNeverVariesGetsNoWeight() {
        SoftmaxRegression.Problem base = problem(200, 5, 3, 4);
        // Feature 5 is 1.0 in every row: constant, so no information beyond the intercepts.
        int rows = base.rows();
        int[] start = new int[rows + 1];
        int[] index = new int[base.index().length + rows];
        double[] value = new double[index.length];
        int at = 0;
        for (int r = 0; r < rows; r++) {
            for (int e = base.rowStart()[r]; e < base.rowStart()[r + 1]; e++) {
                index[at] = base.index()[e];
                value[at++] = base.value()[e];
            }
            index[at] = 5;
            value[at++] = 1.0;
            start[r + 1] = at;
        }
        SoftmaxRegression.Problem p = new SoftmaxRegression.Problem(6, 3, start, index, value, base.label());
        SoftmaxRegression.Solution s = SoftmaxRegression.fit(p, 1e-3, false, 100, 1e-9);
        for (int c = 0; c < 3; c++) {
            assertThat(s.coefficients()[c * 6 + 5]).isZero();
        }
    }

    @Test
    void hybridFitLearnsFromTheSparseBlockWithItsOwnPenalty() {
        // The label is one of three sparse ids; the dense block is noise.
        Random random = new Random(4);
        int n = 240;
        float[][] dense = new float[n][4];
        int[][] ids = new int[n][];
        float[][] values = new float[n][];
        int[] labels = new int[n];
        for (int r = 0; r < n; r++) {
            labels[r] = r % 3;
            for (int j = 0; j < 4; j++) {
                dense[r][j] = (float) random.nextGaussian();
            }
            ids[r] = new int[] {labels[r], 3 + random.nextInt(5)};
            values[r] = new float[] {0.8f, 0.6f};
        }
        SoftmaxRegression.Solution fit = SoftmaxRegression.fitHybrid(dense, ids, values, 8, labels, 3, 0.001, 1e-4,
                200, 1e-9);
        int width = 4 + 8;
        assertThat(fit.coefficients()).hasSize(3 * width);
        for (int c = 0; c < 3; c++) {
            // Each class's own sparse id carries it: the largest weight of its row.
            int best = 0;
            for (int j = 1; j < width; j++) {
                best = fit.coefficients()[c * width + j] > fit.coefficients()[c * width + best] ? j : best;
            }
            assertThat(best).as("class %s", c).isEqualTo(4 + c);
        }
        SoftmaxRegression.Solution strong = SoftmaxRegression.fitHybrid(dense, ids, values, 8, labels, 3, 0.001,
                1.0, 200, 1e-9);
        assertThat(Math.abs(strong.coefficients()[4])).as("a stronger block penalty shrinks the block")
                .isLessThan(Math.abs(fit.coefficients()[4]));
        assertThat(SoftmaxRegression.fitHybrid(dense, ids, values, 8, labels, 3, 0.001, 1e-4, 200, 1e-9)
                .coefficients()).as("deterministic").containsExactly(fit.coefficients());
    }
}
