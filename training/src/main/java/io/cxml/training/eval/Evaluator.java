package io.cxml.training.eval;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Computes {@link Metrics} from probabilities held in memory (tests, benchmarks); pure Java, no Spark. Spark jobs
 * fill an {@link EvaluationAccumulator} per partition on the executors instead: both count the same way.
 */
public final class Evaluator {
    private Evaluator() {}

    /**
     * @param test the held-out predictions (temperature 1)
     * @param temperature temperature used for the "after" calibration and for routing
     * @param unknownThreshold routing threshold on the calibrated confidence
     * @return the metrics
     */
    public static Metrics evaluate(Scored test, double temperature, double unknownThreshold) {
        EvaluationAccumulator acc = new EvaluationAccumulator(test.labels(), temperature, unknownThreshold, null);
        for (int r = 0; r < test.size(); r++) {
            acc.add(test.gold().get(r), test.probabilities()[r], test.languages().get(r), test.tenants().get(r));
        }
        return acc.finish();
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
}
