package io.cxml.training.data;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a training report says about its labels: where they came from, how many of the candidate rows carry one,
 * how many old labels had no successor and, where the data holds a hidden truth (generated samples), how often the
 * labels agree with it.
 *
 * @param source where the labels came from, in words
 * @param candidates rows in the window
 * @param withValue rows whose source holds a value (before the taxonomy)
 * @param unmapped values retired by the taxonomy with no successor (not used)
 * @param labelled rows with a usable label
 * @param truthCompared labelled rows that also carry the truth
 * @param truthAgreeing labelled rows whose label equals the truth
 */
public record LabelStats(String source, long candidates, long withValue, long unmapped, long labelled,
        long truthCompared, long truthAgreeing) {
    /** Report key: the label source. */
    public static final String KEY_SOURCE = "label source";
    /** Report key: the coverage. */
    public static final String KEY_COVERAGE = "label coverage";
    /** Report key: unmapped old labels. */
    public static final String KEY_UNMAPPED = "labels unmapped (old taxonomy, no successor)";
    /** Report key: agreement with the hidden truth. */
    public static final String KEY_TRUTH = "label agreement with truth";
    /** Report key: the model's accuracy against the held-out rows' labels (what the gates see). */
    public static final String KEY_ACCURACY_VS_LABELS = "model accuracy vs held-out labels";
    /** Report key: the model's accuracy against the hidden truth of the same rows (generated data only). */
    public static final String KEY_ACCURACY_VS_TRUTH = "model accuracy vs truth";
    /** The label keys of a report, in the order they are printed. */
    public static final java.util.List<String> REPORT_KEYS = java.util.List.of(KEY_SOURCE, KEY_COVERAGE, KEY_UNMAPPED,
            KEY_TRUTH, KEY_ACCURACY_VS_LABELS, KEY_ACCURACY_VS_TRUTH);

    /**
     * @param source where the labels came from
     * @param rows the labelled rows (every row has a label: a labelled file, a training set)
     * @return stats of a source whose rows are all labelled
     */
    public static LabelStats allLabelled(String source, long rows) {
        return new LabelStats(source, rows, rows, 0, rows, 0, 0);
    }

    /**
     * @param facts a training report's facts
     * @return its label lines ({@code key: value}), in {@link #REPORT_KEYS} order
     */
    public static java.util.List<String> lines(Map<String, String> facts) {
        return REPORT_KEYS.stream().filter(k -> facts != null && facts.containsKey(k))
                .map(k -> k + ": " + facts.get(k)).toList();
    }

    /** @return labelled / candidates, 0 when there are none */
    public double coverage() {
        return candidates == 0 ? 0 : (double) labelled / candidates;
    }

    /** @return truthAgreeing / truthCompared, NaN when nothing could be compared */
    public double truthAgreement() {
        return truthCompared == 0 ? Double.NaN : (double) truthAgreeing / truthCompared;
    }

    /** @return the report lines, in order */
    public Map<String, String> facts() {
        Map<String, String> out = new LinkedHashMap<>();
        out.put(KEY_SOURCE, source);
        out.put(KEY_COVERAGE, String.format("%.1f%% (%,d of %,d rows)", 100 * coverage(), labelled, candidates));
        if (unmapped > 0) {
            out.put(KEY_UNMAPPED, String.format("%,d", unmapped));
        }
        out.put(KEY_TRUTH, truthCompared == 0 ? "no truth in the data"
                : String.format("%.1f%% of %,d labelled rows (label error rate %.1f%%)", 100 * truthAgreement(),
                        truthCompared, 100 * (1 - truthAgreement())));
        return out;
    }
}
