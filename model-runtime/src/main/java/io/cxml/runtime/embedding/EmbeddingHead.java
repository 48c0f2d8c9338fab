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
 * A linear softmax head over a base encoder's sentence embeddings: {@code p = softmax((W v + b) / T)}, or a hybrid
 * head that adds the text's hashed n-grams beside the vector ({@link NgramBlock}): {@code p = softmax((W v + U x + b)
 * / T)}. The weights are a text classifier's parameter file ({@value #PARAMS_FILE}: magic, classes, dimension, then
 * {@code W} row-major and {@code b}, big-endian floats as {@link DataOutputStream} writes them; a hybrid head's
 * n-gram block follows, so versions without one load as before); the spec ({@code classifier.json}) is an ordinary
 * {@link ClassifierSpec} whose encoder is of kind {@value #KIND} and names the base encoder
 * ({@link BaseEncoder#toParams}). Scoring it is a few thousand multiply-adds per ticket (plus the text's n-grams for
 * a hybrid head), in plain Java: the cost of a head is the embedding, which the {@code ticket_embedding} view stores
 * once per ticket.
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
    private final NgramBlock ngrams;

    /**
     * A head on the vector alone.
     *
     * @param classes output labels
     * @param dim embedding dimension
     * @param weights {@code classes x dim}, row-major
     * @param bias one per class
     */
    public EmbeddingHead(int classes, int dim, float[] weights, float[] bias) {
        this(classes, dim, weights, bias, null);
    }

    /**
     * @param classes output labels
     * @param dim embedding dimension
     * @param weights {@code classes x dim}, row-major
     * @param bias one per class
     * @param ngrams the text's hashed n-gram block (a hybrid head), or null
     */
    public EmbeddingHead(int classes, int dim, float[] weights, float[] bias, NgramBlock ngrams) {
        if (classes < 2 || dim < 1 || weights.length != classes * dim || bias.length != classes
                || (ngrams != null && ngrams.classes() != classes)) {
            throw new IllegalArgumentException("Cannot build a head of " + classes + " classes x " + dim
                    + " dimensions from " + weights.length + " weights and " + bias.length + " biases"
                    + (ngrams == null ? "" : " and an n-gram block of " + ngrams.classes() + " classes"));
        }
        this.classes = classes;
        this.dim = dim;
        this.weights = weights.clone();
        this.bias = bias.clone();
        this.ngrams = ngrams;
    }

    /** @return the hashed n-gram block of a hybrid head, or null for a head on the vector alone */
    public NgramBlock ngrams() {
        return ngrams;
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
     * @param text the text it was computed from (read by a hybrid head only)
     * @param spec labels, temperature and unknown threshold
     * @param topK labels listed
     * @return the prediction; its routed label is unknown below the spec's confidence threshold
     */
    public Prediction predict(float[] embedding, String text, ClassifierSpec spec, int topK) {
        return Prediction.fromProbabilities(probabilities(embedding, text, spec.temperature()), spec, topK);
    }

    /**
     * @param embedding one sentence embedding
     * @param text the text it was computed from (read by a hybrid head only; null counts as empty)
     * @param temperature softmax temperature
     * @return the probability of every class
     */
    public float[] probabilities(float[] embedding, String text, double temperature) {
        if (embedding.length != dim) {
            throw new IllegalArgumentException("Cannot score an embedding of " + embedding.length
                    + " dimensions with a head trained on " + dim + ": the stored vectors come from another encoder."
                    + " Rebuild the ticket_embedding view or retrain the head");
        }
        double[] logits = new double[classes];
        for (int c = 0; c < classes; c++) {
            double z = bias[c];
            int row = c * dim;
            for (int j = 0; j < dim; j++) {
                z += weights[row + j] * embedding[j];
            }
            logits[c] = z;
        }
        if (ngrams != null) {
            ngrams.addLogits(text, logits);
        }
        double max = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < classes; c++) {
            logits[c] /= temperature;
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
            if (ngrams != null) {
                ngrams.write(data);
            }
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
            data.mark(1);
            boolean hybrid = data.read() >= 0; // versions without an n-gram block end here
            data.reset();
            return new EmbeddingHead(shape[0], shape[1], w, b, hybrid ? NgramBlock.read(data, what) : null);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot load the head at " + what + ": " + e.getMessage()
                    + ". The version is incomplete or corrupt; retrain it", e);
        }
    }
}
