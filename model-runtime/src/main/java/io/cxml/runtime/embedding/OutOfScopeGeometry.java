package io.cxml.runtime.embedding;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.List;

/**
 * Out-of-scope detection from the embedding space, beside a head: a ticket whose vector is far from every class is
 * one the head was never taught, whatever its softmax says (a softmax spreads its mass over known classes only, and
 * is often confident on a new kind of request). The distance is the cosine distance to the nearest class centroid
 * (the mean of the class's L2-normalised training vectors); the threshold is a quantile (95th by default) of the
 * distances of in-scope validation tickets, so about 5% of in-scope tickets are rejected and no out-of-scope example
 * is needed to calibrate. Stored with the head version ({@value #FILE}).
 */
public final class OutOfScopeGeometry {
    /** The file of a head version that holds the centroids and the threshold. */
    public static final String FILE = "head-centroids.params";
    private static final int MAGIC = 0x43784f31; // "CxO1"

    private final int classes;
    private final int dim;
    private final float[] centroids;
    private final double threshold;
    private final double quantile;

    /**
     * @param classes classes (one centroid each)
     * @param dim embedding dimension
     * @param centroids {@code classes x dim}, row-major, each of unit length (a class without examples: zeros)
     * @param threshold cosine distance above which a ticket is out of scope
     * @param quantile the in-scope validation quantile the threshold was set at
     */
    public OutOfScopeGeometry(int classes, int dim, float[] centroids, double threshold, double quantile) {
        if (classes < 1 || dim < 1 || centroids.length != classes * dim) {
            throw new IllegalArgumentException("Cannot build out-of-scope geometry of " + classes + " classes x "
                    + dim + " dimensions from " + centroids.length + " values");
        }
        this.classes = classes;
        this.dim = dim;
        this.centroids = centroids.clone();
        this.threshold = threshold;
        this.quantile = quantile;
    }

    /**
     * Fits the geometry: class centroids of the training vectors, the threshold at {@code quantile} of the
     * validation vectors' distances (the training vectors' when there is no validation row).
     *
     * @param train training vectors
     * @param labels their class indices
     * @param classes number of classes
     * @param validation in-scope validation vectors
     * @param quantile in (0, 1]: share of in-scope validation tickets kept in scope
     * @return the geometry
     */
    public static OutOfScopeGeometry fit(List<float[]> train, int[] labels, int classes, List<float[]> validation,
            double quantile) {
        if (!(quantile > 0 && quantile <= 1)) {
            throw new IllegalArgumentException("Cannot calibrate out-of-scope detection at quantile " + quantile
                    + ": must be in (0, 1]");
        }
        int dim = train.get(0).length;
        double[] sums = new double[classes * dim];
        for (int i = 0; i < train.size(); i++) {
            float[] v = train.get(i);
            double norm = norm(v);
            for (int j = 0; j < dim; j++) {
                sums[labels[i] * dim + j] += v[j] / norm;
            }
        }
        float[] centroids = new float[classes * dim];
        for (int c = 0; c < classes; c++) {
            double norm = 0;
            for (int j = 0; j < dim; j++) {
                norm += sums[c * dim + j] * sums[c * dim + j];
            }
            norm = Math.sqrt(norm);
            for (int j = 0; j < dim && norm > 0; j++) {
                centroids[c * dim + j] = (float) (sums[c * dim + j] / norm);
            }
        }
        OutOfScopeGeometry unset = new OutOfScopeGeometry(classes, dim, centroids, Double.POSITIVE_INFINITY,
                quantile);
        List<float[]> calibration = validation.isEmpty() ? train : validation;
        double[] d = new double[calibration.size()];
        for (int i = 0; i < d.length; i++) {
            d[i] = unset.distance(calibration.get(i));
        }
        Arrays.sort(d);
        double threshold = d[Math.min(d.length - 1, (int) Math.ceil(quantile * d.length) - 1)];
        return new OutOfScopeGeometry(classes, dim, centroids, threshold, quantile);
    }

    private static double norm(float[] v) {
        double s = 0;
        for (float x : v) {
            s += x * x;
        }
        return s > 0 ? Math.sqrt(s) : 1;
    }

    /**
     * @param v a sentence embedding
     * @return the cosine distance to the nearest class centroid, in [0, 2]
     */
    public double distance(float[] v) {
        if (v.length != dim) {
            throw new IllegalArgumentException("Cannot measure an embedding of " + v.length + " dimensions against "
                    + "centroids of " + dim + ": the vectors come from another encoder");
        }
        double norm = norm(v);
        double best = -1;
        for (int c = 0; c < classes; c++) {
            double dot = 0;
            int row = c * dim;
            for (int j = 0; j < dim; j++) {
                dot += centroids[row + j] * v[j];
            }
            best = Math.max(best, dot / norm);
        }
        return 1 - best;
    }

    /**
     * @param v a sentence embedding
     * @return whether it is farther from every class than the calibrated threshold
     */
    public boolean outOfScope(float[] v) {
        return distance(v) > threshold;
    }

    /** @return the cosine distance above which a ticket is out of scope */
    public double threshold() {
        return threshold;
    }

    /** @return the in-scope validation quantile of the threshold */
    public double quantile() {
        return quantile;
    }

    /**
     * @param out where the file goes (not closed)
     */
    public void write(OutputStream out) {
        try {
            DataOutputStream data = new DataOutputStream(new BufferedOutputStream(out));
            ClassMatrixFile.writeHeader(data, MAGIC, classes, dim);
            data.writeDouble(threshold);
            data.writeDouble(quantile);
            ClassMatrixFile.writeFloats(data, centroids);
            data.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the head's centroids: " + e.getMessage(), e);
        }
    }

    /**
     * @param in a file written by {@link #write}
     * @param what where it comes from, for messages
     * @return the geometry
     */
    public static OutOfScopeGeometry read(InputStream in, String what) {
        try {
            DataInputStream data = new DataInputStream(new BufferedInputStream(in));
            int[] shape = ClassMatrixFile.readShape(data, MAGIC, 1, "the centroids at " + what);
            double threshold = data.readDouble();
            double quantile = data.readDouble();
            float[] c = ClassMatrixFile.readFloats(data, shape[0] * shape[1]);
            return new OutOfScopeGeometry(shape[0], shape[1], c, threshold, quantile);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot load the centroids at " + what + ": " + e.getMessage()
                    + ". The version is incomplete or corrupt; retrain it", e);
        }
    }
}
