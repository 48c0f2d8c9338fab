package io.cxml.runtime.routing;

import java.io.Serializable;
import java.util.List;
import java.util.Locale;

/**
 * The input vector of a routing model, the same at training and scoring: the intent model's class probabilities,
 * hashed word counts of the text (L2-normalised), one-hot blocks for language, channel and priority, hashed crosses
 * of channel and priority with the most probable intent (so "phone + card issue" can go elsewhere than "e-mail + card
 * issue" in a linear model), the numeric feature-store features (log1p of their magnitude), and, for tenant models,
 * when an encoder is configured, the ticket's embedding projected on a few global directions
 * ({@link EmbeddingProjection}), and, for tenant models, the load (log1p of open tickets) of each of the tenant's teams
 * in the model's team order.
 *
 * @param intentLabels the intent model's labels, in its probability order (empty without an intent model)
 * @param textBuckets hashed word buckets
 * @param categoryBuckets buckets of each one-hot block
 * @param crossBuckets buckets of each cross block
 * @param numericColumns numeric features, in {@link RoutingExample#numeric()} order
 * @param embedding the projection of the ticket's embedding, or null to route without it
 */
public record RoutingFeatures(List<String> intentLabels, int textBuckets, int categoryBuckets, int crossBuckets,
        List<String> numericColumns, EmbeddingProjection embedding) implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Checks the sizes. */
    public RoutingFeatures {
        intentLabels = List.copyOf(intentLabels);
        numericColumns = List.copyOf(numericColumns);
        if (textBuckets < 1 || categoryBuckets < 1 || crossBuckets < 1) {
            throw new IllegalArgumentException("Cannot build routing features with " + textBuckets + " text, "
                    + categoryBuckets + " category and " + crossBuckets + " cross buckets: each must be 1 or more");
        }
    }

    /**
     * Features without the embedding block (no encoder configured, and versions trained before it existed).
     *
     * @param intentLabels the intent model's labels
     * @param textBuckets hashed word buckets
     * @param categoryBuckets buckets of each one-hot block
     * @param crossBuckets buckets of each cross block
     * @param numericColumns numeric features
     */
    public RoutingFeatures(List<String> intentLabels, int textBuckets, int categoryBuckets, int crossBuckets,
            List<String> numericColumns) {
        this(intentLabels, textBuckets, categoryBuckets, crossBuckets, numericColumns, null);
    }

    /** @return the length of the vector without the team-load block */
    public int baseDim() {
        return intentLabels.size() + textBuckets + 3 * categoryBuckets + 2 * crossBuckets + numericColumns.size()
                + (embedding == null ? 0 : embedding.dims());
    }

    /**
     * @param e the example
     * @param teams the model's teams (their load is appended), or null for no load block (the global model)
     * @return the input vector
     */
    public float[] vector(RoutingExample e, List<String> teams) {
        float[] x = new float[baseDim() + (teams == null ? 0 : teams.size())];
        int o = 0;
        int topIntent = -1;
        if (e.intent() != null && e.intent().length == intentLabels.size()) {
            float best = -1;
            for (int i = 0; i < e.intent().length; i++) {
                x[o + i] = e.intent()[i];
                if (e.intent()[i] > best) {
                    best = e.intent()[i];
                    topIntent = i;
                }
            }
        }
        o += intentLabels.size();
        if (e.text() != null) {
            double norm = 0;
            for (String token : e.text().toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+")) {
                if (!token.isEmpty()) {
                    x[o + bucket(token, 0x7E47, textBuckets)] += 1;
                }
            }
            for (int i = 0; i < textBuckets; i++) {
                norm += x[o + i] * x[o + i];
            }
            if (norm > 0) {
                float inv = (float) (1 / Math.sqrt(norm));
                for (int i = 0; i < textBuckets; i++) {
                    x[o + i] *= inv;
                }
            }
        }
        o += textBuckets;
        o = oneHot(x, o, e.language(), 0x1A);
        o = oneHot(x, o, e.channel(), 0xC4);
        o = oneHot(x, o, e.priority(), 0x9B);
        String intent = topIntent < 0 ? "?" : intentLabels.get(topIntent);
        x[o + bucket(e.channel() + "|" + intent, 0xC1, crossBuckets)] = 1;
        o += crossBuckets;
        x[o + bucket(e.priority() + "|" + intent, 0x91, crossBuckets)] = 1;
        o += crossBuckets;
        for (int i = 0; i < numericColumns.size(); i++) {
            double v = e.numeric() == null || i >= e.numeric().length ? Double.NaN : e.numeric()[i];
            x[o + i] = Double.isFinite(v) ? (float) (Math.signum(v) * Math.log1p(Math.abs(v))) : 0f;
        }
        o += numericColumns.size();
        if (embedding != null) {
            embedding.project(e.embedding(), x, o);
            o += embedding.dims();
        }
        if (teams != null) {
            for (int t = 0; t < teams.size(); t++) {
                Long open = e.teamLoad() == null ? null : e.teamLoad().get(teams.get(t));
                x[o + t] = open == null ? 0f : (float) Math.log1p(open);
            }
        }
        return x;
    }

    private int oneHot(float[] x, int o, String value, int salt) {
        x[o + bucket(value == null ? "" : value.toLowerCase(Locale.ROOT), salt, categoryBuckets)] = 1;
        return o + categoryBuckets;
    }

    /** A stable bucket (String.hashCode is specified, so every JVM agrees), mixed so nearby hashes spread. */
    static int bucket(String s, int salt, int buckets) {
        int h = s.hashCode() * 0x9E3779B1 + salt;
        h ^= h >>> 16;
        h *= 0x85EBCA6B;
        h ^= h >>> 13;
        return Math.floorMod(h, buckets);
    }
}
