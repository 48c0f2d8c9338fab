package io.cxml.runtime.routing;

import io.cxml.runtime.embedding.BaseEncoder;
import java.io.Serializable;
import java.util.Objects;

/**
 * The ticket-embedding block of routing's input vector: the base encoder's sentence vector projected on the
 * {@code dims} principal directions of all tenants' training vectors (one global step, so a tenant with 40 tickets
 * learns a few dozen weights from it instead of 384), each scaled to unit variance so it weighs like the other blocks.
 * Stored in the routing version's index; scoring reads the vector the encoder stored for the ticket (the
 * {@code ticket_embedding} view) and projects it here, with no second encoder pass.
 *
 * @param encoder the base encoder the vectors come from (its checksum must match at scoring)
 * @param mean the training vectors' mean, length = the encoder's dimension
 * @param components {@code dims x dimension}, row-major, already divided by each direction's standard deviation
 * @param dims directions kept
 * @param explainedVariance share of the training vectors' variance the directions hold
 */
public record EmbeddingProjection(BaseEncoder encoder, float[] mean, float[] components, int dims,
        double explainedVariance) implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Checks the shapes. */
    public EmbeddingProjection {
        Objects.requireNonNull(encoder, "encoder");
        if (dims < 1 || mean.length < 1 || components.length != dims * mean.length) {
            throw new IllegalArgumentException("Cannot project embeddings: " + components.length + " component "
                    + "values do not make " + dims + " directions of " + mean.length + " dimensions");
        }
    }

    /** @return the column the routing rows carry the vectors in ({@link BaseEncoder#column}) */
    public String column() {
        return encoder.column();
    }

    /**
     * Writes the projection of {@code vector} into {@code x} from {@code offset}; a missing vector (or one of another
     * length) leaves zeros: the ticket routes on its other features.
     *
     * @param vector the ticket's embedding, or null
     * @param x the input vector
     * @param offset where the block starts
     */
    public void project(float[] vector, float[] x, int offset) {
        int d = mean.length;
        if (vector == null || vector.length != d) {
            return;
        }
        for (int j = 0; j < dims; j++) {
            double s = 0;
            int row = j * d;
            for (int i = 0; i < d; i++) {
                s += (vector[i] - mean[i]) * components[row + i];
            }
            x[offset + j] = (float) s;
        }
    }
}
