package io.cxml.training.eval;

import java.util.Map;

/**
 * The content of {@code metrics.json}: the model's metrics, the baseline's on the same split, and training progress.
 *
 * @param title what was evaluated, e.g. {@code intent v3 on curated/interactions 2026-01-01..2026-03-01}
 * @param data description of the evaluated data (source, split, window)
 * @param model metrics of the DJL model
 * @param baseline metrics of the TF-IDF + logistic regression baseline on the same data, or null
 * @param training training progress of the model, or null when only evaluating
 * @param baselineSeconds baseline training time, or 0
 * @param extra free-form facts shown in the report (examples/s, device, options)
 * @param comparisons other models trained on the same split and evaluated on the same rows, by name (e.g. the
 *     hashed n-gram model beside a head on embeddings); empty when none
 */
public record EvaluationReport(String title, String data, Metrics model, Metrics baseline, TrainingSummary training,
        double baselineSeconds, Map<String, String> extra, Map<String, Metrics> comparisons) {
    /** Normalizes a missing comparison map (reports written before it existed). */
    public EvaluationReport {
        comparisons = comparisons == null ? Map.of() : new java.util.LinkedHashMap<>(comparisons);
    }

    /** A report without comparisons. */
    public EvaluationReport(String title, String data, Metrics model, Metrics baseline, TrainingSummary training,
            double baselineSeconds, Map<String, String> extra) {
        this(title, data, model, baseline, training, baselineSeconds, extra, Map.of());
    }
}
