package io.cxml.training.profile;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;

/**
 * Profiles a Dataset of {@link ProfileColumns} rows on the executors: quantiles by Spark's approximate quantile
 * (a mergeable sketch), counts by {@link ProfileAccumulator} per partition merged with {@code treeAggregate}. Only
 * the sketch and the counts reach the driver.
 */
public final class Profiler {
    /** Bins of a numeric feature in a reference profile (deciles). */
    public static final int BINS = 10;
    private static final double RELATIVE_ERROR = 0.001;

    private Profiler() {}

    /**
     * @param rows rows with any subset of {@link ProfileColumns}; missing columns are null
     * @return the rows in {@link ProfileColumns#SCHEMA}
     */
    public static Dataset<Row> conform(Dataset<Row> rows) {
        List<String> present = Arrays.asList(rows.columns());
        List<Column> cols = new ArrayList<>();
        for (var f : ProfileColumns.SCHEMA.fields()) {
            cols.add((present.contains(f.name()) ? functions.col(f.name()) : functions.lit(null))
                    .cast(f.dataType()).as(f.name()));
        }
        return rows.select(cols.toArray(new Column[0]));
    }

    /**
     * Decile edges (and the reader's percentiles) of the numeric features of a reference.
     *
     * @param rows conformed rows
     * @return feature to edges, and feature to {@link Profile#QUANTILES}; features without values are left out
     */
    public static Map<String, Map<String, double[]>> edgesAndQuantiles(Dataset<Row> rows) {
        double[] probabilities = new double[BINS - 1 + Profile.QUANTILES.length];
        for (int i = 1; i < BINS; i++) {
            probabilities[i - 1] = (double) i / BINS;
        }
        System.arraycopy(Profile.QUANTILES, 0, probabilities, BINS - 1, Profile.QUANTILES.length);
        String[] numeric = ProfileColumns.NUMERIC.toArray(new String[0]);
        double[][] q = rows.stat().approxQuantile(numeric, probabilities, RELATIVE_ERROR);
        Map<String, double[]> edges = new LinkedHashMap<>();
        Map<String, double[]> quantiles = new LinkedHashMap<>();
        for (int f = 0; f < numeric.length; f++) {
            if (q[f].length == 0) {
                continue; // no non-null value
            }
            edges.put(numeric[f], Arrays.stream(q[f], 0, BINS - 1).distinct().sorted().toArray());
            quantiles.put(numeric[f], Arrays.copyOfRange(q[f], BINS - 1, q[f].length));
        }
        return Map.of("edges", edges, "quantiles", quantiles);
    }

    /**
     * Profiles rows with the reference's bins.
     *
     * @param rows rows with any subset of {@link ProfileColumns}
     * @param edges numeric feature to bin edges (a reference's {@link Profile#edges()}); null computes them from the
     *     rows, which makes this profile a reference
     * @param facts what is profiled
     * @return the profile
     */
    public static Profile profile(Dataset<Row> rows, Map<String, double[]> edges, Map<String, String> facts) {
        Dataset<Row> conformed = conform(rows);
        Map<String, double[]> quantiles = Map.of();
        if (edges == null) {
            Map<String, Map<String, double[]>> eq = edgesAndQuantiles(conformed);
            edges = eq.get("edges");
            quantiles = eq.get("quantiles");
        }
        Map<String, double[]> bins = edges;
        return conformed.toJavaRDD().treeAggregate(new ProfileAccumulator(bins), ProfileAccumulator::add,
                ProfileAccumulator::merge).finish(quantiles, facts);
    }
}
