package io.cxml.training.eval;

import java.util.ArrayList;
import java.util.List;

/** Temperature scaling and expected calibration error, on probability vectors. */
public final class Calibration {
    /** Number of equal-width confidence bins for ECE and reliability diagrams. */
    public static final int BINS = 10;

    private Calibration() {}

    /**
     * One reliability bin.
     *
     * @param lower lower confidence edge
     * @param upper upper confidence edge
     * @param count examples in the bin
     * @param meanConfidence mean confidence in the bin
     * @param accuracy accuracy in the bin
     */
    public record Bin(double lower, double upper, int count, double meanConfidence, double accuracy) {}

    /**
     * Rescales probabilities by a temperature: {@code softmax(log(p) / t)}, which equals {@code softmax(logits / t)}.
     *
     * @param probs probability vectors
     * @param t temperature
     * @return new vectors
     */
    public static float[][] scale(float[][] probs, double t) {
        float[][] out = new float[probs.length][];
        for (int r = 0; r < probs.length; r++) {
            float[] p = probs[r];
            double[] z = new double[p.length];
            double max = Double.NEGATIVE_INFINITY;
            for (int i = 0; i < p.length; i++) {
                z[i] = Math.log(Math.max(p[i], 1e-30)) / t;
                max = Math.max(max, z[i]);
            }
            double sum = 0;
            for (int i = 0; i < z.length; i++) {
                z[i] = Math.exp(z[i] - max);
                sum += z[i];
            }
            out[r] = new float[p.length];
            for (int i = 0; i < p.length; i++) {
                out[r][i] = (float) (z[i] / sum);
            }
        }
        return out;
    }

    /**
     * Fits the temperature that minimizes the negative log-likelihood (log-spaced grid, then a finer grid).
     *
     * @param probs validation probability vectors (temperature 1)
     * @param gold gold label index per row, -1 for unknown labels (ignored)
     * @return the temperature, 1 when there is nothing to fit on
     */
    public static double fitTemperature(float[][] probs, int[] gold) {
        int usable = 0;
        for (int g : gold) {
            usable += g >= 0 ? 1 : 0;
        }
        if (usable == 0) {
            return 1.0;
        }
        double best = 1.0;
        double bestNll = nll(probs, gold, 1.0);
        for (double logT = Math.log(0.05); logT <= Math.log(20); logT += 0.05) {
            double nll = nll(probs, gold, Math.exp(logT));
            if (nll < bestNll) {
                bestNll = nll;
                best = Math.exp(logT);
            }
        }
        return best;
    }

    static double nll(float[][] probs, int[] gold, double t) {
        double total = 0;
        int n = 0;
        for (int r = 0; r < probs.length; r++) {
            if (gold[r] < 0) {
                continue;
            }
            float[] p = probs[r];
            double max = Double.NEGATIVE_INFINITY;
            double[] z = new double[p.length];
            for (int i = 0; i < p.length; i++) {
                z[i] = Math.log(Math.max(p[i], 1e-30)) / t;
                max = Math.max(max, z[i]);
            }
            double sum = 0;
            for (double v : z) {
                sum += Math.exp(v - max);
            }
            total -= z[gold[r]] - max - Math.log(sum);
            n++;
        }
        return total / n;
    }

    /**
     * @param confidence top probability per example
     * @param correct whether the top label was right
     * @return the reliability bins (empty bins included, count 0)
     */
    public static List<Bin> reliability(double[] confidence, boolean[] correct) {
        int[] count = new int[BINS];
        double[] conf = new double[BINS];
        double[] hits = new double[BINS];
        for (int i = 0; i < confidence.length; i++) {
            int b = Math.min(BINS - 1, (int) (confidence[i] * BINS));
            count[b]++;
            conf[b] += confidence[i];
            hits[b] += correct[i] ? 1 : 0;
        }
        List<Bin> bins = new ArrayList<>(BINS);
        for (int b = 0; b < BINS; b++) {
            bins.add(new Bin(b / (double) BINS, (b + 1) / (double) BINS, count[b],
                    count[b] == 0 ? 0 : conf[b] / count[b], count[b] == 0 ? 0 : hits[b] / count[b]));
        }
        return bins;
    }

    /**
     * @param bins reliability bins
     * @return expected calibration error: sum over bins of (share of examples) x |accuracy - confidence|
     */
    public static double ece(List<Bin> bins) {
        int total = bins.stream().mapToInt(Bin::count).sum();
        if (total == 0) {
            return 0;
        }
        double ece = 0;
        for (Bin bin : bins) {
            ece += bin.count() / (double) total * Math.abs(bin.accuracy() - bin.meanConfidence());
        }
        return ece;
    }
}
