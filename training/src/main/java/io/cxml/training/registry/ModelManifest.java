package io.cxml.training.registry;

import java.time.Instant;
import java.util.Map;

/**
 * {@code model.json}: what a registered version is and how good it was. Written last; its presence makes the version
 * visible.
 *
 * @param name model name
 * @param version version, {@code v<N>}
 * @param task {@code intent} or {@code sentiment} (or any classifier task)
 * @param createdAt when it was registered
 * @param params training parameters
 * @param data training data source and window
 * @param featureVersions feature view versions used (empty when read from curated data or a file)
 * @param codeVersion cxml version that trained it
 * @param metrics held-out metrics of the model
 * @param baseline held-out metrics of the baseline on the same split, or null
 * @param runId the training run id
 */
public record ModelManifest(String name, String version, String task, Instant createdAt, Map<String, String> params,
        String data, Map<String, String> featureVersions, String codeVersion, MetricsSummary metrics,
        MetricsSummary baseline, String runId) {

    /**
     * Headline metrics kept in the manifest (the full set is in {@code metrics.json}).
     *
     * @param examples held-out examples
     * @param accuracy accuracy
     * @param macroF1 macro-F1
     * @param eceAfter expected calibration error after temperature scaling
     * @param perLanguage language to (examples, accuracy)
     */
    public record MetricsSummary(int examples, double accuracy, double macroF1, double eceAfter,
            Map<String, Slice> perLanguage) {}

    /**
     * @param examples examples in the slice
     * @param accuracy accuracy
     */
    public record Slice(int examples, double accuracy) {}
}
