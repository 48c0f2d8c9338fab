package io.cxml.training.routing;

import static org.apache.spark.sql.functions.col;

import io.cxml.features.TrainingColumns;
import io.cxml.runtime.embedding.BaseEncoder;
import io.cxml.runtime.embedding.EmbeddingStore;
import io.cxml.runtime.routing.EmbeddingProjection;
import io.cxml.runtime.routing.RoutingIndex;
import io.cxml.runtime.routing.RoutingTrainingOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.EigenDecomposition;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one global step of routing on embeddings: principal component analysis of the ticket vectors of all tenants'
 * fit rows, on the seeded sample the global model learns from ({@link RoutingTraining#globalSample}), in one Spark
 * task. The rows are put in their content order first ({@link RoutingTraining#ORDER}), so the sums, and so the
 * projection, are the same whatever the partitioning. A d x d covariance (384 x 384 for e5-small) and its
 * eigen-decomposition are a few seconds for 50,000 vectors.
 */
final class ProjectionFit {
    private static final Logger LOG = LoggerFactory.getLogger(ProjectionFit.class);

    private ProjectionFit() {}

    /**
     * @param rows split routing rows carrying the encoder's vectors ({@link EmbeddingProjection#column()} of it)
     * @param options training settings (lookback, cap, global sample size, seed)
     * @param encoder the base encoder
     * @param dims directions kept
     * @return the projection
     */
    static EmbeddingProjection fit(Dataset<Row> rows, RoutingTrainingOptions options, BaseEncoder encoder, int dims) {
        String column = io.cxml.runtime.stages.EmbeddingStage.columnFor(encoder);
        Dataset<Row> fit = RoutingTraining.recent(rows.where(col(TrainingColumns.SPLIT).isin(TrainingColumns.TRAIN,
                TrainingColumns.VALIDATION).and(col(TrainingColumns.LABEL).isNotNull())), options)
                .where(col(column).isNotNull());
        long n = fit.count();
        if (n < 2) {
            throw new IllegalArgumentException("Cannot fit routing's embedding projection: " + n + " training rows "
                    + "have a vector. Check the encoder (" + encoder + ") or set cxml.routing.embedding-dims=0");
        }
        List<String> out = RoutingTraining.globalSample(fit, options, n).select(col(RoutingTraining.ORDER),
                        col(column)).repartition(1)
                .mapPartitions(new Fit(encoder, dims), Encoders.STRING()).collectAsList();
        if (out.size() != 1) {
            throw new IllegalStateException("Cannot fit routing's embedding projection: expected one task result, "
                    + "got " + out.size());
        }
        try {
            EmbeddingProjection p = RoutingIndex.JSON.readValue(out.get(0), EmbeddingProjection.class);
            LOG.info("routing: ticket embeddings projected on {} directions holding {}% of their variance", p.dims(),
                    String.format("%.1f", 100 * p.explainedVariance()));
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Mean, covariance and its leading eigenvectors of one partition's vectors, in content order. */
    private record Fit(BaseEncoder encoder, int dims) implements MapPartitionsFunction<Row, String> {
        @Override
        public Iterator<String> call(Iterator<Row> rows) throws Exception {
            List<Row> all = new ArrayList<>();
            rows.forEachRemaining(all::add);
            if (all.isEmpty()) {
                return Collections.emptyIterator();
            }
            all.sort(Comparator.comparingLong(r -> r.getLong(0)));
            return List.of(RoutingIndex.JSON.writeValueAsString(project(all, encoder, dims))).iterator();
        }
    }

    /**
     * @param rows (order hash, vector) rows, in the order their sums are taken
     * @param encoder the encoder
     * @param dims directions wanted (capped at the vectors' dimension)
     * @return the projection on the leading principal directions, each scaled to unit variance
     */
    static EmbeddingProjection project(List<Row> rows, BaseEncoder encoder, int dims) {
        int d = EmbeddingStore.vector(rows.get(0), 1).length;
        int n = rows.size();
        double[] mean = new double[d];
        List<float[]> vectors = new ArrayList<>(n);
        for (Row r : rows) {
            float[] v = EmbeddingStore.vector(r, 1);
            vectors.add(v);
            for (int i = 0; i < d; i++) {
                mean[i] += v[i];
            }
        }
        for (int i = 0; i < d; i++) {
            mean[i] /= n;
        }
        double[][] cov = new double[d][d];
        double[] c = new double[d];
        for (float[] v : vectors) {
            for (int i = 0; i < d; i++) {
                c[i] = v[i] - mean[i];
            }
            for (int i = 0; i < d; i++) {
                double ci = c[i];
                double[] row = cov[i];
                for (int j = i; j < d; j++) {
                    row[j] += ci * c[j];
                }
            }
        }
        double total = 0;
        for (int i = 0; i < d; i++) {
            for (int j = i; j < d; j++) {
                cov[i][j] /= n - 1;
                cov[j][i] = cov[i][j];
            }
            total += cov[i][i];
        }
        EigenDecomposition eigen = new EigenDecomposition(new Array2DRowRealMatrix(cov, false));
        double[] values = eigen.getRealEigenvalues();
        Integer[] byValue = new Integer[d];
        for (int i = 0; i < d; i++) {
            byValue[i] = i;
        }
        java.util.Arrays.sort(byValue, Comparator.<Integer>comparingDouble(i -> -values[i]).thenComparing(i -> i));
        int k = Math.min(dims, d);
        float[] components = new float[k * d];
        double kept = 0;
        for (int j = 0; j < k; j++) {
            int at = byValue[j];
            double value = Math.max(values[at], 1e-12);
            kept += value;
            double[] vector = eigen.getEigenvector(at).toArray();
            // An eigenvector's sign is arbitrary: fix it (largest component positive) so reruns agree.
            int largest = 0;
            for (int i = 1; i < d; i++) {
                largest = Math.abs(vector[i]) > Math.abs(vector[largest]) ? i : largest;
            }
            double scale = Math.signum(vector[largest]) / Math.sqrt(value);
            for (int i = 0; i < d; i++) {
                components[j * d + i] = (float) (vector[i] * scale);
            }
        }
        float[] meanOut = new float[d];
        for (int i = 0; i < d; i++) {
            meanOut[i] = (float) mean[i];
        }
        return new EmbeddingProjection(encoder, meanOut, components, k, total > 0 ? kept / total : 0);
    }
}
