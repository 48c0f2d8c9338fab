package io.cxml.runtime.routing;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * One trained routing model: the weights of a linear softmax layer over {@link RoutingFeatures} and its teams.
 * Scoring is a few thousand multiply-adds, done in plain Java: a DJL round trip per ticket would cost more than the
 * math ({@code TenantModelTest} checks that it equals the DJL forward pass the weights were trained with).
 *
 * @param teams output teams, in weight-row order
 * @param dim input length
 * @param weights {@code teams x dim}, row-major
 * @param bias one per team
 */
public record TenantModel(List<String> teams, int dim, float[] weights, float[] bias) {
    private static final int MAGIC = 0x43584D52; // "CXMR"

    /** Checks the shapes. */
    public TenantModel {
        teams = List.copyOf(teams);
        if (weights.length != teams.size() * dim || bias.length != teams.size()) {
            throw new IllegalArgumentException("Cannot build a routing model: " + weights.length + " weights and "
                    + bias.length + " biases do not fit " + teams.size() + " teams x " + dim + " inputs");
        }
    }

    /**
     * A team and its probability.
     *
     * @param team the team
     * @param probability its probability
     */
    public record Scored(String team, double probability) {}

    /**
     * @param x an input vector of length {@link #dim()}
     * @param allowed teams that may be predicted, or null for all; a model whose teams are all disallowed predicts
     *     nothing
     * @return the allowed teams by probability (renormalised over them), best first
     */
    public List<Scored> rank(float[] x, Set<String> allowed) {
        int t = teams.size();
        double[] logits = new double[t];
        double max = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < t; k++) {
            if (allowed != null && !allowed.contains(teams.get(k))) {
                logits[k] = Double.NEGATIVE_INFINITY;
                continue;
            }
            double z = bias[k];
            int row = k * dim;
            for (int i = 0; i < dim; i++) {
                z += weights[row + i] * x[i];
            }
            logits[k] = z;
            max = Math.max(max, z);
        }
        List<Scored> out = new ArrayList<>(t);
        if (max == Double.NEGATIVE_INFINITY) {
            return out;
        }
        double sum = 0;
        for (int k = 0; k < t; k++) {
            logits[k] = Math.exp(logits[k] - max);
            sum += logits[k];
        }
        for (int k = 0; k < t; k++) {
            if (logits[k] > 0) {
                out.add(new Scored(teams.get(k), logits[k] / sum));
            }
        }
        out.sort((a, b) -> Double.compare(b.probability(), a.probability()));
        return out;
    }

    /** @return the model as bytes (the packed artifacts hold these back to back) */
    public byte[] toBytes() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(16 + 4 * (weights.length + bias.length));
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(MAGIC);
            out.writeInt(dim);
            out.writeInt(teams.size());
            for (String team : teams) {
                out.writeUTF(team);
            }
            for (float w : weights) {
                out.writeFloat(w);
            }
            for (float b : bias) {
                out.writeFloat(b);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /**
     * @param bytes what {@link #toBytes()} wrote
     * @return the model
     */
    public static TenantModel fromBytes(byte[] bytes) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            if (in.readInt() != MAGIC) {
                throw new IllegalArgumentException("Cannot read a routing model: bad header (not a cxml routing "
                        + "artifact, or a wrong offset in the index)");
            }
            int dim = in.readInt();
            int n = in.readInt();
            List<String> teams = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                teams.add(in.readUTF());
            }
            float[] w = new float[n * dim];
            for (int i = 0; i < w.length; i++) {
                w[i] = in.readFloat();
            }
            float[] b = new float[n];
            for (int i = 0; i < n; i++) {
                b[i] = in.readFloat();
            }
            return new TenantModel(teams, dim, w, b);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read a routing model: " + e.getMessage(), e);
        }
    }
}
