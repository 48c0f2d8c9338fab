package io.cxml.training.profile;

import java.util.Map;

/**
 * The profile of one slice (all rows, one language, one tenant).
 *
 * @param rows rows in the slice
 * @param categorical feature to value to count ({@link ProfileColumns#CATEGORICAL} and
 *     {@link ProfileColumns#PREDICTED}); the slice's own dimension is left out (a language slice has one language)
 * @param numeric feature to counts per bin of {@link Profile#edges()} (bins: below the first edge, between edges,
 *     above the last)
 * @param meanConfidence mean calibrated confidence of the predictions (NaN without predictions)
 * @param unknownRate share of predictions routed to unknown (NaN without predictions)
 */
public record SliceProfile(long rows, Map<String, Map<String, Long>> categorical, Map<String, long[]> numeric,
        double meanConfidence, double unknownRate) {

    /**
     * @param feature a categorical feature
     * @return its value counts, empty when not profiled in this slice
     */
    public Map<String, Long> counts(String feature) {
        return categorical.getOrDefault(feature, Map.of());
    }
}
