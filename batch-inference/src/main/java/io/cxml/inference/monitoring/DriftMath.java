package io.cxml.inference.monitoring;

import java.util.Map;
import java.util.TreeSet;

/** The distances between a reference and a window distribution, on counts. */
public final class DriftMath {
    /** Share given to a category (or bin) that one side never saw, so that PSI stays finite. */
    public static final double EPSILON = 1e-4;

    private DriftMath() {}

    /**
     * Population stability index: {@code sum (w - r) ln(w / r)} over the shares of each category.
     *
     * @param reference category to count
     * @param window category to count
     * @return PSI (0 = same mix; 0.1 and 0.25 are the usual warn and alert levels)
     */
    public static double psi(Map<String, Long> reference, Map<String, Long> window) {
        TreeSet<String> keys = new TreeSet<>(reference.keySet());
        keys.addAll(window.keySet());
        double r = total(reference);
        double w = total(window);
        double out = 0;
        for (String k : keys) {
            out += psiTerm(reference.getOrDefault(k, 0L) / r, window.getOrDefault(k, 0L) / w);
        }
        return out;
    }

    /**
     * The PSI two samples of these sizes show on average when they come from the same distribution of {@code k}
     * categories: {@code (k - 1) (1/n + 1/m)} (PSI is a symmetric KL divergence, whose sampling bias is that of a
     * chi-square over the categories). Small slices and many categories make it large: 23 teams over 450 and 225
     * tickets give 0.15 of pure noise, above the usual warn level.
     *
     * @param categories categories seen on either side
     * @param n reference rows
     * @param m window rows
     * @return the expected PSI under no drift
     */
    public static double psiNoise(int categories, long n, long m) {
        return n == 0 || m == 0 ? 0 : Math.max(0, categories - 1) * (1.0 / n + 1.0 / m);
    }

    /**
     * PSI minus its expected sampling noise ({@link #psiNoise}), at least 0: on large samples the usual PSI, on
     * small slices what is left once chance is taken out, so the usual 0.1 / 0.25 levels keep their meaning.
     *
     * @param reference category to count
     * @param window category to count
     * @return the corrected PSI
     */
    public static double psiCorrected(Map<String, Long> reference, Map<String, Long> window) {
        TreeSet<String> keys = new TreeSet<>(reference.keySet());
        keys.addAll(window.keySet());
        return Math.max(0, psi(reference, window) - psiNoise(keys.size(), (long) total(reference),
                (long) total(window)));
    }

    /**
     * Binned version of {@link #psiCorrected(Map, Map)}.
     *
     * @param reference counts per bin
     * @param window counts per bin
     * @return the corrected PSI
     */
    public static double psiCorrected(long[] reference, long[] window) {
        int bins = 0;
        for (int i = 0; i < reference.length; i++) {
            bins += reference[i] + (i < window.length ? window[i] : 0) > 0 ? 1 : 0;
        }
        return Math.max(0, psi(reference, window) - psiNoise(bins, (long) total(reference), (long) total(window)));
    }

    /**
     * PSI of two binned numeric distributions over the same bins.
     *
     * @param reference counts per bin
     * @param window counts per bin
     * @return PSI
     */
    public static double psi(long[] reference, long[] window) {
        if (reference.length != window.length) {
            throw new IllegalArgumentException("Cannot compare " + reference.length + " bins with " + window.length
                    + ": profile the window with the reference's edges");
        }
        double r = total(reference);
        double w = total(window);
        double out = 0;
        for (int i = 0; i < reference.length; i++) {
            out += psiTerm(reference[i] / r, window[i] / w);
        }
        return out;
    }

    private static double psiTerm(double r, double w) {
        double rs = Math.max(r, EPSILON);
        double ws = Math.max(w, EPSILON);
        return (ws - rs) * Math.log(ws / rs);
    }

    /**
     * Jensen-Shannon distance (the square root of the divergence, base 2): 0 for the same distribution, 1 for
     * disjoint ones.
     *
     * @param reference category to count
     * @param window category to count
     * @return the distance in [0, 1]
     */
    public static double jensenShannon(Map<String, Long> reference, Map<String, Long> window) {
        TreeSet<String> keys = new TreeSet<>(reference.keySet());
        keys.addAll(window.keySet());
        double r = total(reference);
        double w = total(window);
        double divergence = 0;
        for (String k : keys) {
            double p = reference.getOrDefault(k, 0L) / r;
            double q = window.getOrDefault(k, 0L) / w;
            double m = (p + q) / 2;
            divergence += (p > 0 ? p * Math.log(p / m) : 0) / 2 + (q > 0 ? q * Math.log(q / m) : 0) / 2;
        }
        return Math.sqrt(Math.max(0, divergence / Math.log(2)));
    }

    /**
     * Jensen-Shannon distance with the divergence's sampling noise taken out: the divergence (nats) of two samples
     * of one distribution of {@code k} categories is about {@code (k - 1) (1/n + 1/m) / 8} on average.
     *
     * @param reference category to count
     * @param window category to count
     * @return the corrected distance in [0, 1]
     */
    public static double jensenShannonCorrected(Map<String, Long> reference, Map<String, Long> window) {
        TreeSet<String> keys = new TreeSet<>(reference.keySet());
        keys.addAll(window.keySet());
        double d = jensenShannon(reference, window);
        double noise = psiNoise(keys.size(), (long) total(reference), (long) total(window)) / 8 / Math.log(2);
        return Math.sqrt(Math.max(0, d * d - noise));
    }

    private static double total(Map<String, Long> counts) {
        long t = counts.values().stream().mapToLong(Long::longValue).sum();
        return t == 0 ? 1 : t;
    }

    private static double total(long[] counts) {
        long t = 0;
        for (long c : counts) {
            t += c;
        }
        return t == 0 ? 1 : t;
    }
}
