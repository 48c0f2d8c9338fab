package io.cxml.runtime.embedding;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * The framing of a head's parameter file ({@link EmbeddingHead}'s weights, then a hybrid head's {@link NgramBlock}): a
 * magic number, the classes and the dimension, then big-endian floats as {@link DataOutputStream} writes them.
 */
final class ClassMatrixFile {
    /** Larger shapes are a corrupt header, not a model. */
    private static final long MAX_VALUES = 100_000_000L;

    private ClassMatrixFile() {}

    /**
     * @param data where the header goes
     * @param magic the file kind's magic number
     * @param classes output labels
     * @param dim embedding dimension
     * @throws IOException when writing fails
     */
    static void writeHeader(DataOutputStream data, int magic, int classes, int dim) throws IOException {
        data.writeInt(magic);
        data.writeInt(classes);
        data.writeInt(dim);
    }

    /**
     * @param data the file, at its start
     * @param magic the magic number the kind must have
     * @param minClasses the fewest classes the kind can hold
     * @param what "the head at PATH" or "the centroids at PATH", for messages
     * @return {classes, dim}
     * @throws IOException when reading fails
     * @throws IllegalArgumentException when the header is not of this kind or declares an impossible shape
     */
    static int[] readShape(DataInputStream data, int magic, int minClasses, String what) throws IOException {
        if (data.readInt() != magic) {
            throw new IllegalArgumentException("Cannot load " + what + ": not a cxml file of that kind. The version "
                    + "is corrupt; retrain it");
        }
        int classes = data.readInt();
        int dim = data.readInt();
        if (classes < minClasses || dim < 1 || (long) classes * dim > MAX_VALUES) {
            throw new IllegalArgumentException("Cannot load " + what + ": it declares " + classes + " classes x "
                    + dim + " dimensions. The version is corrupt; retrain it");
        }
        return new int[] {classes, dim};
    }

    static void writeFloats(DataOutputStream data, float[] values) throws IOException {
        for (float v : values) {
            data.writeFloat(v);
        }
    }

    static float[] readFloats(DataInputStream data, int n) throws IOException {
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            values[i] = data.readFloat();
        }
        return values;
    }
}
