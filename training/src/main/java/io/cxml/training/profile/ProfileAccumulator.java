package io.cxml.training.profile;

import java.io.Serializable;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Row;

/**
 * Mergeable counts of profiled rows ({@link ProfileColumns#SCHEMA} order), per slice: filled per partition on the
 * executors and merged with {@code treeAggregate}, so only counts reach the driver. The in-memory path (tests, small
 * data) uses the same class.
 */
public final class ProfileAccumulator implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final int LANGUAGE = ProfileColumns.SCHEMA.fieldIndex(ProfileColumns.LANGUAGE);
    private static final int TENANT = ProfileColumns.SCHEMA.fieldIndex(ProfileColumns.TENANT);
    private static final int PREDICTED = ProfileColumns.SCHEMA.fieldIndex(ProfileColumns.PREDICTED);
    private static final int CONFIDENCE = ProfileColumns.SCHEMA.fieldIndex(ProfileColumns.CONFIDENCE);
    private static final int UNKNOWN = ProfileColumns.SCHEMA.fieldIndex(ProfileColumns.UNKNOWN);

    private final Map<String, double[]> edges;
    private final Map<String, Counts> slices = new HashMap<>();

    /** @param edges numeric feature to its ascending bin edges ({@link Profiler#edges}) */
    public ProfileAccumulator(Map<String, double[]> edges) {
        this.edges = new TreeMap<>(edges);
    }

    /** Counts of one slice. */
    private static final class Counts implements Serializable {
        private static final long serialVersionUID = 1L;
        long rows;
        final Map<String, Map<String, Long>> categorical = new HashMap<>();
        final Map<String, long[]> numeric = new HashMap<>();
        double confidenceSum;
        long predictions;
        long unknown;

        void merge(Counts o) {
            rows += o.rows;
            o.categorical.forEach((f, m) -> {
                Map<String, Long> mine = categorical.computeIfAbsent(f, k -> new HashMap<>());
                m.forEach((v, n) -> mine.merge(v, n, Long::sum));
            });
            o.numeric.forEach((f, bins) -> {
                long[] mine = numeric.computeIfAbsent(f, k -> new long[bins.length]);
                for (int i = 0; i < bins.length; i++) {
                    mine[i] += bins[i];
                }
            });
            confidenceSum += o.confidenceSum;
            predictions += o.predictions;
            unknown += o.unknown;
        }
    }

    /**
     * Adds one row, to the overall slice and to its language and tenant slices.
     *
     * @param row a row of {@link ProfileColumns#SCHEMA}
     * @return this
     */
    public ProfileAccumulator add(Row row) {
        add(ProfileColumns.OVERALL, null, row);
        add(ProfileColumns.slice(ProfileColumns.LANGUAGE, row.getString(LANGUAGE)), ProfileColumns.LANGUAGE, row);
        add(ProfileColumns.slice(ProfileColumns.TENANT, row.getString(TENANT)), ProfileColumns.TENANT, row);
        return this;
    }

    private void add(String slice, String ownDimension, Row row) {
        Counts c = slices.computeIfAbsent(slice, k -> new Counts());
        c.rows++;
        for (String f : ProfileColumns.CATEGORICAL) {
            if (!f.equals(ownDimension)) {
                count(c, f, row.get(ProfileColumns.SCHEMA.fieldIndex(f)));
            }
        }
        if (!row.isNullAt(PREDICTED)) {
            count(c, ProfileColumns.PREDICTED, row.getString(PREDICTED));
            c.predictions++;
            c.confidenceSum += row.isNullAt(CONFIDENCE) ? 0 : row.getDouble(CONFIDENCE);
            c.unknown += !row.isNullAt(UNKNOWN) && row.getBoolean(UNKNOWN) ? 1 : 0;
        }
        for (Map.Entry<String, double[]> e : edges.entrySet()) {
            int i = ProfileColumns.SCHEMA.fieldIndex(e.getKey());
            if (!row.isNullAt(i)) {
                c.numeric.computeIfAbsent(e.getKey(), k -> new long[e.getValue().length + 1])[
                        bin(e.getValue(), ((Number) row.get(i)).doubleValue())]++;
            }
        }
    }

    private static void count(Counts c, String feature, Object value) {
        c.categorical.computeIfAbsent(feature, k -> new HashMap<>())
                .merge(value == null ? ProfileColumns.MISSING : value.toString(), 1L, Long::sum);
    }

    /**
     * @param edges ascending edges
     * @param v a value
     * @return its bin: 0 at or below the first edge, {@code edges.length} above the last
     */
    static int bin(double[] edges, double v) {
        int i = Arrays.binarySearch(edges, v);
        return i >= 0 ? i : -i - 1;
    }

    /**
     * @param other counts of other rows
     * @return this, with the other's counts added
     */
    public ProfileAccumulator merge(ProfileAccumulator other) {
        other.slices.forEach((s, c) -> slices.computeIfAbsent(s, k -> new Counts()).merge(c));
        return this;
    }

    /**
     * @param quantiles numeric feature to its percentiles ({@link Profile#QUANTILES}), or empty
     * @param facts what was profiled
     * @return the profile
     */
    public Profile finish(Map<String, double[]> quantiles, Map<String, String> facts) {
        Map<String, SliceProfile> out = new TreeMap<>();
        slices.forEach((name, c) -> {
            Map<String, Map<String, Long>> categorical = new TreeMap<>();
            c.categorical.forEach((f, m) -> categorical.put(f, new TreeMap<>(m)));
            Map<String, long[]> numeric = new TreeMap<>(c.numeric);
            out.put(name, new SliceProfile(c.rows, categorical, numeric,
                    c.predictions == 0 ? Double.NaN : c.confidenceSum / c.predictions,
                    c.predictions == 0 ? Double.NaN : (double) c.unknown / c.predictions));
        });
        Counts overall = slices.get(ProfileColumns.OVERALL);
        return new Profile(overall == null ? 0 : overall.rows, edges, new TreeMap<>(quantiles), out,
                new TreeMap<>(facts));
    }
}
