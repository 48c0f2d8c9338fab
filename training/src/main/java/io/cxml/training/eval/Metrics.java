package io.cxml.training.eval;

import java.util.List;
import java.util.Map;

/**
 * Everything measured for one model on one held-out set; serialized into {@code metrics.json}.
 *
 * @param examples number of examples
 * @param accuracy top-1 accuracy
 * @param macroF1 unweighted mean of per-class F1 over the model's labels
 * @param perClass per-label precision, recall, F1, support
 * @param perLanguage slice metrics by language
 * @param perTenant slice metrics by tenant (empty when the data has no tenants)
 * @param confusion rows = gold, columns = predicted, in {@code labels} order (gold labels unknown to the model are
 *     left out of the matrix but counted wrong)
 * @param labels label order of the confusion matrix
 * @param calibration calibration before and after temperature scaling
 * @param unknownRouting behaviour of the confidence threshold
 * @param outOfScope in-scope accuracy, out-of-scope recall and false rejections; null when no out-of-scope label was
 *     configured
 */
public record Metrics(int examples, double accuracy, double macroF1, List<ClassMetrics> perClass,
        Map<String, SliceMetrics> perLanguage, Map<String, SliceMetrics> perTenant, int[][] confusion,
        List<String> labels, CalibrationMetrics calibration, UnknownRouting unknownRouting, OutOfScope outOfScope) {

    /**
     * @param label the label
     * @param precision precision
     * @param recall recall
     * @param f1 F1
     * @param support gold examples
     */
    public record ClassMetrics(String label, double precision, double recall, double f1, int support) {}

    /**
     * @param examples examples in the slice
     * @param accuracy accuracy
     * @param macroF1 macro-F1 over the labels present in the slice
     */
    public record SliceMetrics(int examples, double accuracy, double macroF1) {}

    /**
     * @param temperature fitted temperature (1 = none)
     * @param eceBefore ECE at temperature 1
     * @param eceAfter ECE after temperature scaling
     * @param before reliability bins at temperature 1
     * @param after reliability bins after scaling
     */
    public record CalibrationMetrics(double temperature, double eceBefore, double eceAfter,
            List<Calibration.Bin> before, List<Calibration.Bin> after) {}

    /**
     * @param threshold confidence below which a prediction is routed to "unknown"
     * @param unknownRate share routed to unknown
     * @param acceptedAccuracy accuracy on the predictions kept
     * @param errorsCaught share of all wrong predictions that were routed to unknown
     * @param curve coverage and accuracy at thresholds 0, 0.05, ..., 0.95
     */
    public record UnknownRouting(double threshold, double unknownRate, double acceptedAccuracy, double errorsCaught,
            List<ThresholdPoint> curve) {}

    /**
     * @param threshold the threshold
     * @param coverage share of predictions kept
     * @param accuracy accuracy on the kept predictions
     */
    public record ThresholdPoint(double threshold, double coverage, double accuracy) {}

    /**
     * Out-of-scope detection, measured the CLINC150 way.
     *
     * @param label the gold label of out-of-scope rows (e.g. {@code oos})
     * @param inScopeExamples rows with another label
     * @param inScopeAccuracy share of in-scope rows predicted right and not routed to unknown
     * @param outOfScopeExamples rows with the out-of-scope label
     * @param outOfScopeRecall share of out-of-scope rows routed to unknown (or predicted as that label)
     * @param falseRejectionRate share of in-scope rows routed to unknown
     */
    public record OutOfScope(String label, int inScopeExamples, double inScopeAccuracy, int outOfScopeExamples,
            double outOfScopeRecall, double falseRejectionRate) {}
}
