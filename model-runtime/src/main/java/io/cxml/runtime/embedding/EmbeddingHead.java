package io.cxml.runtime.embedding;

import io.cxml.runtime.model.ClassifierSpec;
import io.cxml.runtime.model.Prediction;
import io.cxml.runtime.text.EncoderSpec;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.TreeMap;

/**
 * A linear softmax head over a base encoder's sentence embeddings: {@code p = softmax((W v + b) / T)}. The weights
 * are a text classifier's parameter file ({@value #PARAMS_FILE}: magic, classes, dimension, then {@code W} row-major
 * and {@code b}, big-endian floats as {@link DataOutputStream} writes them); the spec
 * ({@code classifier.json}) is an ordinary {@link ClassifierSpec} whose encoder is of kind {@value #KIND} and names the
 * base encoder ({@link BaseEncoder#toParams}). Scoring it is a few thousand multiply-adds per ticket, in plain Java:
 * the cost of a head is the embedding, which the {@code ticket_embedding} view stores once per ticket.
 */
public final class EmbeddingHead {
    /** Encoder kind written in the spec of a head version. */
    public static final String KIND = "embedding-head";
    /** The weights file of a head version (named like every text classifier's parameter file). */
    public static final String PARAMS_FILE = "text-classifier-head.params";
    private static final int MAGIC = 0x43784831; // "CxH1"

    private final int classes;
    private final int dim;
    private final float[] weights;
    private final float[] bias;
    private final OutOfScopeGeometry geometry;

    /**
     * @param classes output labels
     * @param dim embedding dimension
     * @param weights {@code classes x dim}, row-major
     * @param bias one per class
     */
    public EmbeddingHead(int classes, int dim, float[] weights, float[] bias) {
        if (classes < 2 || dim < 1 || weights.length != classes * dim || bias.length != classes) {
            throw new IllegalArgumentException("Cannot build a head of " + classes + " classes x " + dim
                    + " dimensions from " + weights.length + " weights and " + bias.length + " biases");
        }
        this.classes = classes;
        this.dim = dim;
        this.weights = weights.clone();
        this.bias = bias.clone();
        this.geometry = null;
    }

    private EmbeddingHead(EmbeddingHead head, OutOfScopeGeometry geometry) {
        this.classes = head.classes;
        this.dim = head.dim;
        this.weights = head.weights;
        this.bias = head.bias;
        this.geometry = geometry;
    }

    /**
     * @param value the out-of-scope geometry stored with the head version, or null
     * @return this head, also marking as unknown the texts its geometry puts out of scope
     */
    public EmbeddingHead withGeometry(OutOfScopeGeometry value) {
        return new EmbeddingHead(this, value);
    }

    /** @return the out-of-scope geometry, or null (a version trained before it existed) */
    public OutOfScopeGeometry geometry() {
        return geometry;
    }

    /**
     * The encoder spec of a head version.
     *
     * @param base the base encoder the head was trained on
     * @param dim embedding dimension
     * @return the spec
     */
    public static EncoderSpec encoderSpec(BaseEncoder base, int dim) {
        Map<String, String> p = new TreeMap<>(base.toParams());
        p.put("dim", String.valueOf(dim));
        return new EncoderSpec(KIND, p);
    }

    /**
     * @param spec a classifier spec
     * @return whether it describes a head on embeddings
     */
    public static boolean isHead(ClassifierSpec spec) {
        return KIND.equals(spec.encoder().kind());
    }

    /** @return embedding dimension */
    public int dim() {
        return dim;
    }

    /** @return output labels */
    public int classes() {
        return classes;
    }

    /**
     * @param embedding one sentence embedding
     * @param spec labels, temperature and unknown threshold
     * @param topK labels listed
     * @return the prediction; its routed label is unknown below the confidence threshold, and also when the
     *     geometry puts the text out of scope
     */
    public Prediction predict(float[] embedding, ClassifierSpec spec, int topK) {
        Prediction p = Prediction.fromProbabilities(probabilities(embedding, spec.temperature()), spec, topK);
        return geometry != null && geometry.outOfScope(embedding) ? p.outOfScope() : p;
    }

    /**
     * @param embedding one sentence embedding
     * @param temperature softmax temperature
     * @return the probability of every class
     */
    public float[] probabilities(float[] embedding, double temperature) {
        if (embedding.length != dim) {
            throw new IllegalArgumentException("Cannot score an embedding of " + embedding.length
                    + " dimensions with a head trained on " + dim + ": the stored vectors come from another encoder."
                    + " Rebuild the ticket_embedding view or retrain the head");
        }
        double[] logits = new double[classes];
        double max = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < classes; c++) {
            double z = bias[c];
            int row = c * dim;
            for (int j = 0; j < dim; j++) {
                z += weights[row + j] * embedding[j];
            }
            logits[c] = z / temperature;
            max = Math.max(max, logits[c]);
        }
        double sum = 0;
        for (int c = 0; c < classes; c++) {
            logits[c] = Math.exp(logits[c] - max);
            sum += logits[c];
        }
        float[] p = new float[classes];
        for (int c = 0; c < classes; c++) {
            p[c] = (float) (logits[c] / sum);
        }
        return p;
    }

    /**
     * @param out where the parameter file goes (not closed)
     */
    public void write(OutputStream out) {
        try {
            DataOutputStream data = new DataOutputStream(new BufferedOutputStream(out));
            ClassMatrixFile.writeHeader(data, MAGIC, classes, dim);
            ClassMatrixFile.writeFloats(data, weights);
            ClassMatrixFile.writeFloats(data, bias);
            data.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the head's weights: " + e.getMessage(), e);
        }
    }

    /**
     * @param in a parameter file written by {@link #write}
     * @param what where it comes from, for messages
     * @return the head
     */
    public static EmbeddingHead read(InputStream in, String what) {
        try {
            DataInputStream data = new DataInputStream(new BufferedInputStream(in));
            int[] shape = ClassMatrixFile.readShape(data, MAGIC, 2, "the head at " + what);
            float[] w = ClassMatrixFile.readFloats(data, shape[0] * shape[1]);
            float[] b = ClassMatrixFile.readFloats(data, shape[0]);
            return new EmbeddingHead(shape[0], shape[1], w, b);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot load the head at " + what + ": " + e.getMessage()
                    + ". The version is incomplete or corrupt; retrain it", e);
        }
    }
}
