package io.cxml.runtime.embedding;

import io.cxml.runtime.text.FeaturizerConfig;
import io.cxml.runtime.text.HashedNgramFeaturizer;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Arrays;

/**
 * The hashed n-gram half of a hybrid head: the text's n-grams (the hashed n-gram model's featurizer) as a sparse
 * vector beside the sentence embedding, with a weight per class and bucket. It carries what mean pooling dilutes: a
 * tone phrase in a follow-up message, a product name. A text's features are its bucket counts scaled to unit length,
 * so a long text and a short one weigh the same against the embedding.
 */
public final class NgramBlock {
    private static final int MAGIC = 0x43784e31; // "CxN1"

    private final HashedNgramFeaturizer featurizer;
    private final int classes;
    private final float[] weights;

    /**
     * @param config the featurizer (its buckets are the block's width)
     * @param classes output labels
     * @param weights {@code classes x buckets}, row-major
     */
    public NgramBlock(FeaturizerConfig config, int classes, float[] weights) {
        if ((long) classes * config.buckets() != weights.length) {
            throw new IllegalArgumentException("Cannot build an n-gram block of " + classes + " classes x "
                    + config.buckets() + " buckets from " + weights.length + " weights");
        }
        this.featurizer = new HashedNgramFeaturizer(config);
        this.classes = classes;
        this.weights = weights.clone();
    }

    /** A text's sparse n-gram vector: bucket ids ascending and unique, values of unit L2 norm. */
    public record Features(int[] ids, float[] values) {}

    /**
     * @param featurizer the featurizer
     * @param text a text (null counts as empty)
     * @return its features
     */
    public static Features features(HashedNgramFeaturizer featurizer, String text) {
        int[] ids = featurizer.featurize(text == null ? "" : text);
        Arrays.sort(ids);
        int unique = 0;
        float[] counts = new float[ids.length];
        for (int i = 0; i < ids.length; i++) {
            if (unique > 0 && ids[unique - 1] == ids[i]) {
                counts[unique - 1]++;
            } else {
                ids[unique] = ids[i];
                counts[unique++] = 1;
            }
        }
        double norm = 0;
        for (int i = 0; i < unique; i++) {
            norm += counts[i] * counts[i];
        }
        float inverse = (float) (1 / Math.sqrt(norm));
        float[] values = Arrays.copyOf(counts, unique);
        for (int i = 0; i < unique; i++) {
            values[i] *= inverse;
        }
        return new Features(Arrays.copyOf(ids, unique), values);
    }

    /** @return the featurizer's settings */
    public FeaturizerConfig config() {
        return featurizer.config();
    }

    /**
     * @param text the text the embedding was computed from
     * @param logits the embedding's logits, one per class; the text's n-gram logits are added
     */
    void addLogits(String text, double[] logits) {
        Features f = features(featurizer, text);
        int buckets = featurizer.config().buckets();
        for (int c = 0; c < classes; c++) {
            double z = 0;
            int row = c * buckets;
            for (int i = 0; i < f.ids().length; i++) {
                z += weights[row + f.ids()[i]] * f.values()[i];
            }
            logits[c] += z;
        }
    }

    int classes() {
        return classes;
    }

    void write(DataOutputStream data) throws IOException {
        FeaturizerConfig c = featurizer.config();
        ClassMatrixFile.writeHeader(data, MAGIC, classes, c.buckets());
        data.writeInt(c.wordNgrams());
        data.writeInt(c.charMinN());
        data.writeInt(c.charMaxN());
        data.writeInt(c.maxFeatures());
        ClassMatrixFile.writeFloats(data, weights);
    }

    static NgramBlock read(DataInputStream data, String what) throws IOException {
        int[] shape = ClassMatrixFile.readShape(data, MAGIC, 2, "the n-gram block of the head at " + what);
        FeaturizerConfig config = new FeaturizerConfig(shape[1], data.readInt(), data.readInt(), data.readInt(),
                data.readInt());
        return new NgramBlock(config, shape[0], ClassMatrixFile.readFloats(data, shape[0] * shape[1]));
    }
}
