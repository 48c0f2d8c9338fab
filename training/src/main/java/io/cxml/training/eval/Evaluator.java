package io.cxml.training.eval;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Computes {@link Metrics} from a model's probabilities; pure Java, no Spark. */
public final class Evaluator {
    private Evaluator() {}

    /**
     * @param test the held-out predictions (temperature 1)
     * @param temperature temperature used for the "after" calibration and for routing
     * @param unknownThreshold routing threshold on the calibrated confidence
     * @return the metrics
     */
    public static Metrics evaluate(Scored test, double temperature, double unknownThreshold) {
        List<String> labels = test.labels();
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < labels.size(); i++) {
            index.put(labels.get(i), i);
        }
        int n = test.size();
        int[] gold = goldIndexes(test, index);
        int[] predicted = new int[n];
        double[] confidence = new double[n];
        boolean[] correct = new boolean[n];
        for (int r = 0; r < n; r++) {
            predicted[r] = argmax(test.probabilities()[r]);
            confidence[r] = test.probabilities()[r][predicted[r]];
            correct[r] = predicted[r] == gold[r];
        }
        int[][] confusion = new int[labels.size()][labels.size()];
        for (int r = 0; r < n; r++) {
            if (gold[r] >= 0) {
                confusion[gold[r]][predicted[r]]++;
            }
        }
        List<Metrics.ClassMetrics> perClass = perClass(labels, gold, predicted, allRows(n));
        double accuracy = accuracy(correct, allRows(n));
        double macroF1 = macroF1(perClass);

        List<Calibration.Bin> before = Calibration.reliability(confidence, correct);
        float[][] scaled = Calibration.scale(test.probabilities(), temperature);
        double[] scaledConfidence = new double[n];
        for (int r = 0; r < n; r++) {
            scaledConfidence[r] = scaled[r][predicted[r]];
        }
        List<Calibration.Bin> after = Calibration.reliability(scaledConfidence, correct);
        Metrics.CalibrationMetrics calibration = new Metrics.CalibrationMetrics(temperature,
                Calibration.ece(before), Calibration.ece(after), before, after);

        return new Metrics(n, accuracy, macroF1, perClass,
                slices(test.languages(), labels, gold, predicted, correct),
                slices(test.tenants(), labels, gold, predicted, correct), confusion, labels, calibration,
                routing(scaledConfidence, correct, unknownThreshold));
    }

    /**
     * @param labels the model's labels
     * @param gold gold labels
     * @return index per gold label, -1 when the model does not know it
     */
    public static int[] goldIndexes(List<String> labels, List<String> gold) {
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < labels.size(); i++) {
            index.put(labels.get(i), i);
        }
        int[] out = new int[gold.size()];
        for (int r = 0; r < out.length; r++) {
            out[r] = index.getOrDefault(gold.get(r), -1);
        }
        return out;
    }

    private static int[] goldIndexes(Scored test, Map<String, Integer> index) {
        int[] out = new int[test.size()];
        for (int r = 0; r < out.length; r++) {
            out[r] = index.getOrDefault(test.gold().get(r), -1);
        }
        return out;
    }

    private static Metrics.UnknownRouting routing(double[] confidence, boolean[] correct, double threshold) {
        List<Metrics.ThresholdPoint> curve = new ArrayList<>();
        for (int step = 0; step < 20; step++) {
            double t = step * 0.05;
            curve.add(point(confidence, correct, t));
        }
        int wrong = 0;
        int caught = 0;
        for (int r = 0; r < confidence.length; r++) {
            if (!correct[r]) {
                wrong++;
                caught += confidence[r] < threshold ? 1 : 0;
            }
        }
        Metrics.ThresholdPoint at = point(confidence, correct, threshold);
        return new Metrics.UnknownRouting(threshold, 1 - at.coverage(), at.accuracy(),
                wrong == 0 ? 0 : caught / (double) wrong, curve);
    }

    private static Metrics.ThresholdPoint point(double[] confidence, boolean[] correct, double threshold) {
        int kept = 0;
        int right = 0;
        for (int r = 0; r < confidence.length; r++) {
            if (confidence[r] >= threshold) {
                kept++;
                right += correct[r] ? 1 : 0;
            }
        }
        int n = Math.max(1, confidence.length);
        return new Metrics.ThresholdPoint(threshold, kept / (double) n, kept == 0 ? 0 : right / (double) kept);
    }

    private static Map<String, Metrics.SliceMetrics> slices(List<String> keys, List<String> labels, int[] gold,
            int[] predicted, boolean[] correct) {
        Map<String, List<Integer>> groups = new TreeMap<>();
        for (int r = 0; r < keys.size(); r++) {
            if (keys.get(r) != null) {
                groups.computeIfAbsent(keys.get(r), k -> new ArrayList<>()).add(r);
            }
        }
        Map<String, Metrics.SliceMetrics> out = new TreeMap<>();
        for (Map.Entry<String, List<Integer>> group : groups.entrySet()) {
            int[] rows = group.getValue().stream().mapToInt(Integer::intValue).toArray();
            List<Metrics.ClassMetrics> perClass = perClass(labels, gold, predicted, rows);
            List<Metrics.ClassMetrics> present = perClass.stream().filter(c -> c.support() > 0).toList();
            out.put(group.getKey(), new Metrics.SliceMetrics(rows.length, accuracy(correct, rows), macroF1(present)));
        }
        return out;
    }

    private static List<Metrics.ClassMetrics> perClass(List<String> labels, int[] gold, int[] predicted,
            int[] rows) {
        int k = labels.size();
        int[] tp = new int[k];
        int[] fp = new int[k];
        int[] fn = new int[k];
        for (int r : rows) {
            if (predicted[r] == gold[r]) {
                tp[gold[r]]++;
            } else {
                fp[predicted[r]]++;
                if (gold[r] >= 0) {
                    fn[gold[r]]++;
                }
            }
        }
        List<Metrics.ClassMetrics> out = new ArrayList<>(k);
        for (int c = 0; c < k; c++) {
            double precision = tp[c] + fp[c] == 0 ? 0 : tp[c] / (double) (tp[c] + fp[c]);
            double recall = tp[c] + fn[c] == 0 ? 0 : tp[c] / (double) (tp[c] + fn[c]);
            double f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
            out.add(new Metrics.ClassMetrics(labels.get(c), precision, recall, f1, tp[c] + fn[c]));
        }
        return out;
    }

    private static double macroF1(List<Metrics.ClassMetrics> perClass) {
        return perClass.isEmpty() ? 0 : perClass.stream().mapToDouble(Metrics.ClassMetrics::f1).average().orElse(0);
    }

    private static double accuracy(boolean[] correct, int[] rows) {
        if (rows.length == 0) {
            return 0;
        }
        int right = 0;
        for (int r : rows) {
            right += correct[r] ? 1 : 0;
        }
        return right / (double) rows.length;
    }

    private static int[] allRows(int n) {
        int[] rows = new int[n];
        for (int i = 0; i < n; i++) {
            rows[i] = i;
        }
        return rows;
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
}
