package io.cxml.runtime.stages;

import io.cxml.runtime.model.Prediction;
import io.cxml.runtime.routing.TenantModel;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a ranking as {@code [{"label":"..","p":0.1234},..]} (the key is the caller's: {@code label}, {@code team}),
 * best first, probabilities rounded to 4 decimals: the text Jackson wrote before, byte for byte, without a map and a
 * serializer per row. Names are escaped once per task and name.
 */
final class TopKJson {
    private final String key;
    private final Map<String, String> escaped = new HashMap<>();
    private final StringBuilder out = new StringBuilder(128);

    /** @param key the JSON key of the ranked name */
    TopKJson(String key) {
        this.key = "{" + quote(key) + ":";
    }

    String of(Prediction p) {
        start();
        for (Prediction.ScoredLabel s : p.topK()) {
            add(s.label(), s.probability());
        }
        return end();
    }

    String of(List<TenantModel.Scored> ranked) {
        start();
        for (TenantModel.Scored s : ranked) {
            add(s.team(), s.probability());
        }
        return end();
    }

    private void start() {
        out.setLength(0);
        out.append('[');
    }

    private void add(String name, double probability) {
        if (out.length() > 1) {
            out.append(',');
        }
        out.append(key).append(escaped.computeIfAbsent(name, TopKJson::quote)).append(",\"p\":")
                .append(Math.round(probability * 1e4) / 1e4).append('}');
    }

    private String end() {
        return out.append(']').toString();
    }

    /** JSON string literal as Jackson writes it: quote, backslash and control characters escaped. */
    static String quote(String s) {
        StringBuilder b = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                case '\b' -> b.append("\\b");
                case '\f' -> b.append("\\f");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04X", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }
}
