package io.cxml.training.baseline;

import java.io.Serializable;
import java.util.Arrays;

/**
 * Multinomial logistic regression with an L2 penalty, fitted by L-BFGS on sparse rows inside one JVM (one Spark task:
 * {@link SingleTaskLogisticRegression}).
 *
 * <p>The objective is MLlib's: mean log loss plus {@code regParam / 2 * ||W||^2} (intercepts not penalized), optimized
 * in the space of features divided by their standard deviation as MLlib does (better conditioned, so 25 iterations
 * reach the accuracy of 100), with the penalty measured on the unscaled coefficients unless {@code standardization}.
 * The point is cost: MLlib's distributed solver runs one Spark job per evaluation and ships a dense classes x
 * features gradient each time, which dominated the baseline's fit; here one evaluation is a pass over the rows' non-zeros
 * and {@code classes x features} multiply-adds, in milliseconds.
 */
public final class SoftmaxRegression {
    /** L-BFGS memory (MLlib's). The pairs are held as floats: half the memory of doubles, the same directions. */
    static final int MEMORY = 10;
    private static final double ARMIJO = 1e-4;
    private static final int MAX_LINE_SEARCH = 30;
    private static final int DENSE_CHUNKS = 8;

    private SoftmaxRegression() {
    }

    /**
     * Training rows in compressed sparse row form.
     *
     * @param features vector width
     * @param classes number of labels (labels are 0 .. classes-1)
     * @param rowStart offsets into index/value, {@code rows + 1} entries
     * @param index feature of each non-zero
     * @param value value of each non-zero
     * @param label label of each row
     * @param standardized features {@code [0, standardized)} are divided by their standard deviation and penalized
     *     by the fit's {@code regParam}; the rest (a sparse block beside them) are taken as they are and penalized by
     *     {@code blockRegParam}
     */
    record Problem(int features, int classes, int[] rowStart, int[] index, double[] value, int[] label,
            int standardized) {
        Problem(int features, int classes, int[] rowStart, int[] index, double[] value, int[] label) {
            this(features, classes, rowStart, index, value, label, features);
        }

        int rows() {
            return label.length;
        }

        /** @return bytes the solve holds besides the rows: the parameters, gradients and L-BFGS pairs */
        static long solverBytes(long features, long classes) {
            long dim = features * classes + classes;
            return dim * (5L * Double.BYTES + 2L * MEMORY * Float.BYTES);
        }
    }

    /**
     * A fitted model in the unscaled feature space.
     *
     * @param coefficients classes x features, row-major
     * @param intercepts one per class, centred (softmax is unchanged by a shift)
     * @param iterations L-BFGS iterations taken
     * @param evaluations objective evaluations (passes over the rows)
     * @param loss final objective
     * @param converged whether it stopped on the tolerance rather than on max iterations
     * @param rows training rows
     * @param nonZeros their non-zero features
     * @param seconds time of the solve
     */
    public record Solution(double[] coefficients, double[] intercepts, int iterations, int evaluations, double loss,
            boolean converged, int rows, long nonZeros, double seconds) implements Serializable {
    }

    /**
     * Fits dense rows (sentence embeddings): the same solver, every feature a non-zero.
     *
     * @param rows one vector per row, all of one width
     * @param labels label index of each row
     * @param classes number of labels
     * @param regParam L2 strength
     * @param standardization whether the penalty applies to the standardized coefficients
     * @param maxIter most L-BFGS iterations
     * @param tol stop when the objective improves by less than this, relatively
     * @return the fit: coefficients classes x width, row-major
     */
    public static Solution fitDense(float[][] rows, int[] labels, int classes, double regParam,
            boolean standardization, int maxIter, double tol) {
        int width = rows.length == 0 ? 0 : rows[0].length;
        int[] starts = new int[rows.length + 1];
        int[] index = new int[rows.length * width];
        double[] values = new double[rows.length * width];
        for (int r = 0; r < rows.length; r++) {
            if (rows[r].length != width) {
                throw new IllegalArgumentException("Cannot fit rows of widths " + width + " and " + rows[r].length);
            }
            for (int j = 0; j < width; j++) {
                index[r * width + j] = j;
                values[r * width + j] = rows[r][j];
            }
            starts[r + 1] = (r + 1) * width;
        }
        return fit(new Problem(width, classes, starts, index, values, labels), regParam, standardization, maxIter,
                tol, denseChunks(width, classes), 0);
    }

    /**
     * Fits dense rows with a sparse block beside them (sentence embeddings and the hashed n-grams of the same texts):
     * one softmax over both. The dense block is standardized and penalized by {@code regParam} as in
     * {@link #fitDense}; the sparse block keeps its values (already scaled per row) and has its own L2 strength.
     *
     * @param rows one vector per row, all of one width
     * @param sparseIndex per row, the sparse block's feature ids in {@code [0, sparseWidth)}, ascending, unique
     * @param sparseValue per row, their values
     * @param sparseWidth width of the sparse block
     * @param labels label index of each row
     * @param classes number of labels
     * @param regParam L2 strength on the dense block's standardized coefficients
     * @param sparseRegParam L2 strength on the sparse block's coefficients
     * @param maxIter most L-BFGS iterations
     * @param tol stop when the objective improves by less than this, relatively
     * @return the fit: coefficients classes x (width + sparseWidth), row-major, dense features first
     */
    public static Solution fitHybrid(float[][] rows, int[][] sparseIndex, float[][] sparseValue, int sparseWidth,
            int[] labels, int classes, double regParam, double sparseRegParam, int maxIter, double tol) {
        int width = rows.length == 0 ? 0 : rows[0].length;
        int[] starts = new int[rows.length + 1];
        long nonZeros = 0;
        for (int r = 0; r < rows.length; r++) {
            if (rows[r].length != width || sparseIndex[r].length != sparseValue[r].length) {
                throw new IllegalArgumentException("Cannot fit row " + r + ": widths " + width + " and "
                        + rows[r].length + ", or sparse ids and values of different lengths");
            }
            nonZeros += width + sparseIndex[r].length;
            starts[r + 1] = (int) Math.min(nonZeros, Integer.MAX_VALUE);
        }
        if (nonZeros > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("Cannot fit " + rows.length + " rows with " + nonZeros
                    + " non-zeros in one task: fewer rows or a smaller embedding");
        }
        int[] index = new int[(int) nonZeros];
        double[] values = new double[(int) nonZeros];
        for (int r = 0; r < rows.length; r++) {
            int e = starts[r];
            for (int j = 0; j < width; j++, e++) {
                index[e] = j;
                values[e] = rows[r][j];
            }
            for (int i = 0; i < sparseIndex[r].length; i++, e++) {
                index[e] = width + sparseIndex[r][i];
                values[e] = sparseValue[r][i];
            }
        }
        return fit(new Problem(width + sparseWidth, classes, starts, index, values, labels, width), regParam, true,
                maxIter, tol, denseChunks(width + sparseWidth, classes), sparseRegParam);
    }

    /** Dense rows make each pass costly: 8 chunks over the cores, while their gradient buffers stay small. */
    private static int denseChunks(long width, int classes) {
        long parameters = width * classes + classes;
        return parameters * Double.BYTES * DENSE_CHUNKS <= 256L << 20 ? DENSE_CHUNKS : 1;
    }

    /**
     * @param p the rows
     * @param regParam L2 strength
     * @param standardization whether the penalty applies to the standardized coefficients (MLlib's
     *     {@code standardization})
     * @param maxIter most L-BFGS iterations
     * @param tol stop when the objective improves by less than this, relatively
     * @return the fit
     */
    static Solution fit(Problem p, double regParam, boolean standardization, int maxIter, double tol) {
        return fit(p, regParam, standardization, maxIter, tol, 1, 0);
    }

    /**
     * @param chunks row chunks whose gradients are computed in parallel and summed in chunk order (a count fixed by
     *     the problem, not the machine, so the fit is the same everywhere)
     * @param blockRegParam L2 strength of the features past {@link Problem#standardized()}
     */
    private static Solution fit(Problem p, double regParam, boolean standardization, int maxIter, double tol,
            int chunks, double blockRegParam) {
        long started = System.nanoTime();
        int f = p.features();
        int k = p.classes();
        Objective objective = new Objective(p, regParam, standardization, chunks, blockRegParam);
        int dim = f * k + k;
        double[] x = new double[dim];
        // Start from the class log-frequencies: the model that ignores the text.
        int[] count = new int[k];
        for (int y : p.label()) {
            count[y]++;
        }
        for (int c = 0; c < k; c++) {
            x[f * k + c] = Math.log((count[c] + 1.0) / (p.rows() + k));
        }
        double[] g = new double[dim];
        double fx = objective.evaluate(x, g);
        int evaluations = 1;
        float[][] s = new float[MEMORY][];
        float[][] yv = new float[MEMORY][];
        double[] rho = new double[MEMORY];
        double[] alpha = new double[MEMORY];
        int stored = 0;
        int newest = -1;
        double[] d = new double[dim];
        double[] xNew = new double[dim];
        double[] gNew = new double[dim];
        int iteration = 0;
        boolean converged = false;
        while (iteration < maxIter) {
            // Two-loop recursion: d = -H g.
            System.arraycopy(g, 0, d, 0, dim);
            for (int i = 0; i < stored; i++) {
                int slot = Math.floorMod(newest - i, MEMORY);
                alpha[slot] = rho[slot] * dot(s[slot], d);
                axpy(-alpha[slot], yv[slot], d);
            }
            double gamma = stored == 0 ? 1.0 / Math.max(norm(g), 1e-12)
                    : 1.0 / (rho[newest] * dot(yv[newest], yv[newest]));
            scale(d, gamma);
            for (int i = stored - 1; i >= 0; i--) {
                int slot = Math.floorMod(newest - i, MEMORY);
                double beta = rho[slot] * dot(yv[slot], d);
                axpy(alpha[slot] - beta, s[slot], d);
            }
            scale(d, -1);
            double slope = dot(d, g);
            if (!(slope < 0)) { // not a descent direction (numerical trouble): restart from steepest descent
                stored = 0;
                System.arraycopy(g, 0, d, 0, dim);
                scale(d, -1.0 / Math.max(norm(g), 1e-12));
                slope = dot(d, g);
            }
            // Backtracking line search on the Armijo condition, with quadratic interpolation of the step.
            double step = 1;
            double fNew = Double.NaN;
            boolean accepted = false;
            for (int ls = 0; ls < MAX_LINE_SEARCH; ls++) {
                for (int i = 0; i < dim; i++) {
                    xNew[i] = x[i] + step * d[i];
                }
                fNew = objective.evaluate(xNew, gNew);
                evaluations++;
                if (Double.isFinite(fNew) && fNew <= fx + ARMIJO * step * slope) {
                    accepted = true;
                    break;
                }
                double quadratic = Double.isFinite(fNew) ? -slope * step * step / (2 * (fNew - fx - slope * step))
                        : 0.1 * step;
                step = Math.min(0.5 * step, Math.max(0.1 * step, quadratic));
            }
            if (!accepted) {
                break; // no decrease along the direction: as good as this precision allows
            }
            iteration++;
            int slot = (newest + 1) % MEMORY;
            float[] sNew = s[slot] == null ? new float[dim] : s[slot];
            float[] yNew = yv[slot] == null ? new float[dim] : yv[slot];
            double sy = 0;
            for (int i = 0; i < dim; i++) {
                sNew[i] = (float) (xNew[i] - x[i]);
                yNew[i] = (float) (gNew[i] - g[i]);
                sy += (double) sNew[i] * yNew[i];
            }
            if (sy > 1e-12) { // the objective is strictly convex, so this holds but for rounding
                s[slot] = sNew;
                yv[slot] = yNew;
                rho[slot] = 1 / sy;
                newest = slot;
                stored = Math.min(stored + 1, MEMORY);
            } else if (stored == MEMORY) {
                stored--; // the oldest pair's slot was overwritten
            }
            double improvement = (fx - fNew) / Math.max(Math.max(Math.abs(fx), Math.abs(fNew)), 1e-12);
            double[] t = x;
            x = xNew;
            xNew = t;
            t = g;
            g = gNew;
            gNew = t;
            fx = fNew;
            if (improvement < tol) {
                converged = true;
                break;
            }
        }
        return objective.unscaled(x, iteration, evaluations, fx, converged, (System.nanoTime() - started) / 1e9);
    }

    private static double dot(float[] a, double[] b) {
        double sum = 0;
        for (int i = 0; i < b.length; i++) {
            sum += a[i] * b[i];
        }
        return sum;
    }

    private static double dot(float[] a, float[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += (double) a[i] * b[i];
        }
        return sum;
    }

    private static double dot(double[] a, double[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += a[i] * b[i];
        }
        return sum;
    }

    private static void axpy(double a, float[] x, double[] y) {
        for (int i = 0; i < y.length; i++) {
            y[i] += a * x[i];
        }
    }

    private static void scale(double[] x, double a) {
        for (int i = 0; i < x.length; i++) {
            x[i] *= a;
        }
    }

    private static double norm(double[] x) {
        return Math.sqrt(dot(x, x));
    }

    /** Mean log loss + L2 penalty and its gradient, parameters feature-major: w[j * classes + c], then intercepts. */
    static final class Objective {
        private final Problem p;
        private final double[] scaled;
        private final double[] inverseStd;
        private final double[] penalty;
        private final int chunks;
        private final double[][] chunkGrad;
        private final double[][] chunkZ;

        Objective(Problem p, double regParam, boolean standardization) {
            this(p, regParam, standardization, 1, 0);
        }

        Objective(Problem p, double regParam, boolean standardization, int chunks) {
            this(p, regParam, standardization, chunks, 0);
        }

        Objective(Problem p, double regParam, boolean standardization, int chunks, double blockRegParam) {
            this.p = p;
            this.chunks = Math.max(1, Math.min(chunks, p.rows()));
            int f = p.features();
            int n = p.rows();
            double[] sum = new double[f];
            double[] sumSq = new double[f];
            for (int e = 0; e < p.index().length; e++) {
                sum[p.index()[e]] += p.value()[e];
                sumSq[p.index()[e]] += p.value()[e] * p.value()[e];
            }
            inverseStd = new double[f];
            penalty = new double[f];
            for (int j = p.standardized(); j < f; j++) {
                inverseStd[j] = 1; // a block taken as it is, with its own penalty
                penalty[j] = blockRegParam;
            }
            for (int j = 0; j < p.standardized(); j++) {
                double mean = sum[j] / n;
                double variance = n > 1 ? (sumSq[j] - n * mean * mean) / (n - 1) : 0;
                double std = Math.sqrt(Math.max(variance, 0));
                inverseStd[j] = std > 0 ? 1 / std : 0; // a constant feature carries nothing: MLlib drops it too
                // w = w' / std, so ||w||^2 = sum (w' / std)^2 in the scaled space.
                penalty[j] = std > 0 ? regParam * (standardization ? 1 : inverseStd[j] * inverseStd[j]) : 0;
            }
            scaled = new double[p.value().length];
            for (int e = 0; e < scaled.length; e++) {
                scaled[e] = p.value()[e] * inverseStd[p.index()[e]];
            }
            int dim = p.features() * p.classes() + p.classes();
            chunkGrad = new double[this.chunks][];
            chunkZ = new double[this.chunks][p.classes()];
            for (int c = 1; c < this.chunks; c++) {
                chunkGrad[c] = new double[dim];
            }
        }

        double evaluate(double[] w, double[] grad) {
            Arrays.fill(grad, 0);
            double loss;
            if (chunks == 1) {
                loss = 0;
                for (int r = 0; r < p.rows(); r++) {
                    loss += row(r, w, grad, chunkZ[0]);
                }
            } else {
                chunkGrad[0] = grad;
                double[] losses = new double[chunks];
                java.util.stream.IntStream.range(0, chunks).parallel().forEach(c -> {
                    if (c > 0) {
                        Arrays.fill(chunkGrad[c], 0);
                    }
                    int from = (int) ((long) p.rows() * c / chunks);
                    int to = (int) ((long) p.rows() * (c + 1) / chunks);
                    double l = 0;
                    for (int r = from; r < to; r++) {
                        l += row(r, w, chunkGrad[c], chunkZ[c]);
                    }
                    losses[c] = l;
                });
                loss = 0;
                for (int c = 0; c < chunks; c++) { // in chunk order: the same sums whatever ran where
                    loss += losses[c];
                    if (c > 0) {
                        for (int i = 0; i < grad.length; i++) {
                            grad[i] += chunkGrad[c][i];
                        }
                    }
                }
            }
            int k = p.classes();
            double inverseRows = 1.0 / p.rows();
            loss *= inverseRows;
            double reg = 0;
            for (int j = 0; j < p.features(); j++) {
                double weight = penalty[j];
                int base = j * k;
                for (int c = 0; c < k; c++) {
                    double v = w[base + c];
                    reg += weight * v * v;
                    grad[base + c] = grad[base + c] * inverseRows + weight * v;
                }
            }
            for (int i = p.features() * k; i < grad.length; i++) {
                grad[i] *= inverseRows;
            }
            return loss + 0.5 * reg;
        }

        /** One row's log loss; adds its gradient. A method of its own so that the JIT compiles it whole. */
        private double row(int r, double[] w, double[] grad, double[] zs) {
            int k = p.classes();
            int bias = p.features() * k;
            int from = p.rowStart()[r];
            int to = p.rowStart()[r + 1];
            int[] index = p.index();
            System.arraycopy(w, bias, zs, 0, k);
            for (int e = from; e < to; e++) {
                double v = scaled[e];
                int base = index[e] * k;
                for (int c = 0; c < k; c++) {
                    zs[c] += v * w[base + c];
                }
            }
            int y = p.label()[r];
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < k; c++) {
                max = Math.max(max, zs[c]);
            }
            double gold = zs[y];
            double total = 0;
            for (int c = 0; c < k; c++) {
                zs[c] = Math.exp(zs[c] - max);
                total += zs[c];
            }
            double inverse = 1 / total;
            for (int c = 0; c < k; c++) {
                zs[c] *= inverse; // probability, then the loss's derivative in z
            }
            zs[y] -= 1;
            for (int e = from; e < to; e++) {
                double v = scaled[e];
                int base = index[e] * k;
                for (int c = 0; c < k; c++) {
                    grad[base + c] += v * zs[c];
                }
            }
            for (int c = 0; c < k; c++) {
                grad[bias + c] += zs[c];
            }
            return Math.log(total) + max - gold;
        }

        Solution unscaled(double[] w, int iterations, int evaluations, double loss, boolean converged,
                double seconds) {
            int f = p.features();
            int k = p.classes();
            double[] coefficients = new double[k * f];
            for (int j = 0; j < f; j++) {
                for (int c = 0; c < k; c++) {
                    coefficients[c * f + j] = w[j * k + c] * inverseStd[j];
                }
            }
            double[] intercepts = Arrays.copyOfRange(w, f * k, f * k + k);
            double mean = Arrays.stream(intercepts).average().orElse(0);
            for (int c = 0; c < k; c++) {
                intercepts[c] -= mean;
            }
            return new Solution(coefficients, intercepts, iterations, evaluations, loss, converged, p.rows(),
                    p.index().length, seconds);
        }
    }
}
