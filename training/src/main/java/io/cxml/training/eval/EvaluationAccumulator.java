package io.cxml.training.eval;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Everything {@link Metrics} needs, as counts that merge: each Spark partition fills one from its own rows on the
 * executor and only these counts travel to the driver (a confusion matrix, per-slice and per-class counts,
 * calibration bins, the threshold curve), never a row. {@link Evaluator} uses the same class on plain arrays.
 *
 * <p>Rows whose gold label is the configured out-of-scope label count as correct when the prediction is routed to
 * unknown (or names that label); in-scope rows routed to unknown are false rejections (the CLINC150 measures).
 */
public final class EvaluationAccumulator implements Serializable {
    private static final long serialVersionUID = 1L;
    /** Steps of the threshold curve: 0, 0.05, ..., 0.95. */
    static final int CURVE_STEPS = 20;

    private final List<String> labels;
    private final Map<String, Integer> index;
    private final double temperature;
    private final double threshold;
    private final int oosIndex;
    private final String oosLabel;

    private int examples;
    private int correct;
    private final int[][] confusion;
    private final int[] predictedForUnknownGold;
    private final Map<String, Slice> languages = new TreeMap<>();
    private final Map<String, Slice> tenants = new TreeMap<>();
    private final Bins before = new Bins();
    private final Bins after = new Bins();
    private final int[] curveKept = new int[CURVE_STEPS];
    private final int[] curveRight = new int[CURVE_STEPS];
    private int kept;
    private int keptRight;
    private int wrong;
    private int wrongCaught;
    private int inScope;
    private int inScopeAccepted;
    private int inScopeRejected;
    private int outOfScope;
    private int outOfScopeCaught;

    /**
     * @param labels the model's labels (probability order)
     * @param temperature temperature of the calibrated confidence (routing, "after" bins)
     * @param threshold calibrated confidence below which a prediction is routed to unknown
     * @param oosLabel gold label of out-of-scope rows, or null when the data has none
     */
    public EvaluationAccumulator(List<String> labels, double temperature, double threshold, String oosLabel) {
        this.labels = List.copyOf(labels);
        this.index = new HashMap<>();
        for (int i = 0; i < this.labels.size(); i++) {
            index.put(this.labels.get(i), i);
        }
        this.temperature = temperature;
        this.threshold = threshold;
        this.oosLabel = oosLabel == null || oosLabel.isBlank() ? null : oosLabel;
        this.oosIndex = this.oosLabel == null ? -1 : index.getOrDefault(this.oosLabel, -1);
        this.confusion = new int[labels.size()][labels.size()];
        this.predictedForUnknownGold = new int[labels.size()];
    }

    /**
     * Adds one example.
     *
     * @param gold the gold label (one the model does not know always counts wrong)
     * @param probabilities the uncalibrated (temperature 1) probability vector
     * @param language the example's language, or null
     * @param tenant the example's tenant, or null
     */
    public void add(String gold, float[] probabilities, String language, String tenant) {
        if (probabilities.length != labels.size()) {
            throw new IllegalArgumentException("Cannot evaluate a probability vector of " + probabilities.length
                    + " values against " + labels.size() + " labels: score with the model these labels belong to");
        }
        int g = gold == null ? -1 : index.getOrDefault(gold, -1);
        int p = argmax(probabilities);
        double confidence = probabilities[p];
        double calibrated = Calibration.scaled(probabilities, temperature, p);
        boolean routedUnknown = calibrated < threshold;
        boolean isOos = oosLabel != null && oosLabel.equals(gold);
        boolean right = isOos ? routedUnknown || p == oosIndex : p == g;

        examples++;
        correct += right ? 1 : 0;
        if (g >= 0) {
            confusion[g][p]++;
        } else {
            predictedForUnknownGold[p]++;
        }
        if (language != null) {
            languages.computeIfAbsent(language, k -> new Slice(labels.size())).add(g, p, right);
        }
        if (tenant != null) {
            tenants.computeIfAbsent(tenant, k -> new Slice(labels.size())).add(g, p, right);
        }
        before.add(confidence, p == g);
        after.add(calibrated, p == g);
        for (int step = 0; step < CURVE_STEPS; step++) {
            if (calibrated >= step / (double) CURVE_STEPS) {
                curveKept[step]++;
                curveRight[step] += p == g ? 1 : 0;
            }
        }
        if (!routedUnknown) {
            kept++;
            keptRight += p == g ? 1 : 0;
        }
        if (p != g) {
            wrong++;
            wrongCaught += routedUnknown ? 1 : 0;
        }
        if (oosLabel != null) {
            if (isOos) {
                outOfScope++;
                outOfScopeCaught += right ? 1 : 0;
            } else {
                inScope++;
                inScopeAccepted += !routedUnknown && p == g ? 1 : 0;
                inScopeRejected += routedUnknown ? 1 : 0;
            }
        }
    }

    /**
     * Adds another accumulator's counts (same labels, temperature and threshold).
     *
     * @param other counts of other rows
     * @return this
     */
    public EvaluationAccumulator merge(EvaluationAccumulator other) {
        if (!labels.equals(other.labels) || temperature != other.temperature || threshold != other.threshold) {
            throw new IllegalArgumentException("Cannot merge evaluation counts of different models or settings");
        }
        examples += other.examples;
        correct += other.correct;
        for (int g = 0; g < confusion.length; g++) {
            add(confusion[g], other.confusion[g]);
        }
        add(predictedForUnknownGold, other.predictedForUnknownGold);
        other.languages.forEach((k, v) -> languages.merge(k, v, Slice::merge));
        other.tenants.forEach((k, v) -> tenants.merge(k, v, Slice::merge));
        before.merge(other.before);
        after.merge(other.after);
        add(curveKept, other.curveKept);
        add(curveRight, other.curveRight);
        kept += other.kept;
        keptRight += other.keptRight;
        wrong += other.wrong;
        wrongCaught += other.wrongCaught;
        inScope += other.inScope;
        inScopeAccepted += other.inScopeAccepted;
        inScopeRejected += other.inScopeRejected;
        outOfScope += other.outOfScope;
        outOfScopeCaught += other.outOfScopeCaught;
        return this;
    }

    /** @return the number of examples added */
    public int examples() {
        return examples;
    }

    /** @return the metrics of every example added */
    public Metrics finish() {
        int k = labels.size();
        int[] tp = new int[k];
        int[] fp = new int[k];
        int[] fn = new int[k];
        for (int g = 0; g < k; g++) {
            for (int p = 0; p < k; p++) {
                if (g == p) {
                    tp[g] += confusion[g][p];
                } else {
                    fp[p] += confusion[g][p];
                    fn[g] += confusion[g][p];
                }
            }
            fp[g] += predictedForUnknownGold[g];
        }
        List<Metrics.ClassMetrics> perClass = classMetrics(labels, tp, fp, fn);
        List<Metrics.ThresholdPoint> curve = new ArrayList<>(CURVE_STEPS);
        for (int step = 0; step < CURVE_STEPS; step++) {
            curve.add(new Metrics.ThresholdPoint(step / (double) CURVE_STEPS, share(curveKept[step], examples),
                    share(curveRight[step], curveKept[step])));
        }
        List<Calibration.Bin> binsBefore = before.bins();
        List<Calibration.Bin> binsAfter = after.bins();
        Metrics.CalibrationMetrics calibration = new Metrics.CalibrationMetrics(temperature,
                Calibration.ece(binsBefore), Calibration.ece(binsAfter), binsBefore, binsAfter);
        Metrics.UnknownRouting routing = new Metrics.UnknownRouting(threshold, 1 - share(kept, examples),
                share(keptRight, kept), share(wrongCaught, wrong), curve);
        Metrics.OutOfScope oos = oosLabel == null ? null : new Metrics.OutOfScope(oosLabel, inScope,
                share(inScopeAccepted, inScope), outOfScope, share(outOfScopeCaught, outOfScope),
                share(inScopeRejected, inScope));
        int[][] matrix = new int[k][];
        for (int g = 0; g < k; g++) {
            matrix[g] = confusion[g].clone();
        }
        return new Metrics(examples, share(correct, examples), macroF1(perClass), perClass, slices(languages),
                slices(tenants), matrix, labels, calibration, routing, oos);
    }

    private Map<String, Metrics.SliceMetrics> slices(Map<String, Slice> slices) {
        Map<String, Metrics.SliceMetrics> out = new TreeMap<>();
        slices.forEach((key, s) -> {
            List<Metrics.ClassMetrics> present = classMetrics(labels, s.tp, s.fp, s.fn).stream()
                    .filter(c -> c.support() > 0).toList();
            out.put(key, new Metrics.SliceMetrics(s.examples, share(s.correct, s.examples), macroF1(present)));
        });
        return out;
    }

    private static List<Metrics.ClassMetrics> classMetrics(List<String> labels, int[] tp, int[] fp, int[] fn) {
        List<Metrics.ClassMetrics> out = new ArrayList<>(labels.size());
        for (int c = 0; c < labels.size(); c++) {
            double precision = share(tp[c], tp[c] + fp[c]);
            double recall = share(tp[c], tp[c] + fn[c]);
            double f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
            out.add(new Metrics.ClassMetrics(labels.get(c), precision, recall, f1, tp[c] + fn[c]));
        }
        return out;
    }

    private static double macroF1(List<Metrics.ClassMetrics> perClass) {
        return perClass.stream().mapToDouble(Metrics.ClassMetrics::f1).average().orElse(0);
    }

    private static double share(int part, int whole) {
        return whole == 0 ? 0 : part / (double) whole;
    }

    private static void add(int[] into, int[] from) {
        for (int i = 0; i < into.length; i++) {
            into[i] += from[i];
        }
    }

    static int argmax(float[] p) {
        int best = 0;
        for (int i = 1; i < p.length; i++) {
            if (p[i] > p[best]) {
                best = i;
            }
        }
        return best;
    }

    /** Counts of one language or tenant. */
    private static final class Slice implements Serializable {
        private static final long serialVersionUID = 1L;
        int examples;
        int correct;
        final int[] tp;
        final int[] fp;
        final int[] fn;

        Slice(int classes) {
            tp = new int[classes];
            fp = new int[classes];
            fn = new int[classes];
        }

        void add(int gold, int predicted, boolean right) {
            examples++;
            correct += right ? 1 : 0;
            if (predicted == gold) {
                tp[gold]++;
            } else {
                fp[predicted]++;
                if (gold >= 0) {
                    fn[gold]++;
                }
            }
        }

        Slice merge(Slice o) {
            examples += o.examples;
            correct += o.correct;
            EvaluationAccumulator.add(tp, o.tp);
            EvaluationAccumulator.add(fp, o.fp);
            EvaluationAccumulator.add(fn, o.fn);
            return this;
        }
    }

    /** Reliability-diagram counts. */
    private static final class Bins implements Serializable {
        private static final long serialVersionUID = 1L;
        final int[] count = new int[Calibration.BINS];
        final double[] confidence = new double[Calibration.BINS];
        final double[] hits = new double[Calibration.BINS];

        void add(double c, boolean right) {
            int b = Calibration.bin(c);
            count[b]++;
            confidence[b] += c;
            hits[b] += right ? 1 : 0;
        }

        void merge(Bins o) {
            for (int b = 0; b < Calibration.BINS; b++) {
                count[b] += o.count[b];
                confidence[b] += o.confidence[b];
                hits[b] += o.hits[b];
            }
        }

        List<Calibration.Bin> bins() {
            return Calibration.bins(count, confidence, hits);
        }
    }
}
