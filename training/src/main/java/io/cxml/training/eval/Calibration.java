package io.cxml.training.eval;

import java.util.ArrayList;
import java.util.List;

/** Temperature scaling, reliability bins and expected calibration error, on probability vectors. */
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
            double[] z = logits(probs[r], t);
            double sum = 0;
            for (int i = 0; i < z.length; i++) {
                z[i] = Math.exp(z[i]);
                sum += z[i];
            }
            out[r] = new float[z.length];
            for (int i = 0; i < z.length; i++) {
                out[r][i] = (float) (z[i] / sum);
            }
        }
        return out;
    }

    /**
     * @param p a probability vector (temperature 1)
     * @param t temperature
     * @param i an index
     * @return the probability of {@code i} after scaling by {@code t}
     */
    public static double scaled(float[] p, double t, int i) {
        double[] z = logits(p, t);
        double sum = 0;
        for (double v : z) {
            sum += Math.exp(v);
        }
        return Math.exp(z[i]) / sum;
    }

    /**
     * Fits the temperature that minimizes the negative log-likelihood ({@link TemperatureFit}'s grid).
     *
     * @param probs validation probability vectors (temperature 1)
     * @param gold gold label index per row, -1 for unknown labels (ignored)
     * @return the temperature, 1 when there is nothing to fit on
     */
    public static double fitTemperature(float[][] probs, int[] gold) {
        TemperatureFit fit = new TemperatureFit();
        for (int r = 0; r < probs.length; r++) {
            fit.add(probs[r], gold[r]);
        }
        return fit.temperature();
    }

    static double nll(float[][] probs, int[] gold, double t) {
        double total = 0;
        int n = 0;
        for (int r = 0; r < probs.length; r++) {
            if (gold[r] >= 0) {
                total += nll(probs[r], gold[r], t);
                n++;
            }
        }
        return total / n;
    }

    /** Negative log-likelihood of one row's gold label after scaling by {@code t}. */
    static double nll(float[] p, int gold, double t) {
        double[] z = logits(p, t);
        double sum = 0;
        for (double v : z) {
            sum += Math.exp(v);
        }
        return -(z[gold] - Math.log(sum));
    }

    /** {@code log(p) / t}, shifted so that the largest is 0. */
    private static double[] logits(float[] p, double t) {
        double[] z = new double[p.length];
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < p.length; i++) {
            z[i] = Math.log(Math.max(p[i], 1e-30)) / t;
            max = Math.max(max, z[i]);
        }
        for (int i = 0; i < z.length; i++) {
            z[i] -= max;
        }
        return z;
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
            int b = bin(confidence[i]);
            count[b]++;
            conf[b] += confidence[i];
            hits[b] += correct[i] ? 1 : 0;
        }
        return bins(count, conf, hits);
    }

    /** @return the bin index of a confidence */
    static int bin(double confidence) {
        return Math.max(0, Math.min(BINS - 1, (int) (confidence * BINS)));
    }

    /** @return bins from per-bin counts, summed confidences and hits */
    static List<Bin> bins(int[] count, double[] conf, double[] hits) {
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
