package io.cxml.training.profile;

import java.util.Map;

/**
 * A profile of model inputs and outputs: the bin edges of the numeric features (deciles of the reference, so a
 * window is binned exactly like its reference) and one {@link SliceProfile} per slice ({@link ProfileColumns#OVERALL},
 * {@code language=<code>}, {@code tenant=<id>}).
 *
 * @param rows rows profiled
 * @param edges numeric feature to its ascending bin edges
 * @param quantiles numeric feature to its 5th, 25th, 50th, 75th and 95th percentiles (for the reader)
 * @param slices slice name to its profile
 * @param facts what was profiled: model version, source, window
 */
public record Profile(long rows, Map<String, double[]> edges, Map<String, double[]> quantiles,
        Map<String, SliceProfile> slices, Map<String, String> facts) {

    /** Percentiles kept in {@link #quantiles()}. */
    public static final double[] QUANTILES = {0.05, 0.25, 0.5, 0.75, 0.95};

    /** @return the overall slice */
    public SliceProfile overall() {
        return slices.get(ProfileColumns.OVERALL);
    }
}
