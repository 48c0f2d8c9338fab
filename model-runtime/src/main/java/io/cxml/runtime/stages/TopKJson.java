package io.cxml.runtime.stages;

import io.cxml.runtime.model.Prediction;
import java.util.HashMap;
import java.util.Map;

/**
 * Writes a prediction's top labels as {@code [{"label":"..","p":0.1234},..]}, best first, probabilities rounded to 4
 * decimals: the text Jackson wrote before, byte for byte, without a map and a serializer per row (it was a tenth of
 * the scoring loop's time). Labels are escaped once per task and label.
 */
final class TopKJson {
    private final Map<String, String> escaped = new HashMap<>();
    private final StringBuilder out = new StringBuilder(128);

    String of(Prediction p) {
        out.setLength(0);
        out.append('[');
        for (Prediction.ScoredLabel s : p.topK()) {
            if (out.length() > 1) {
                out.append(',');
            }
            out.append("{\"label\":").append(escaped.computeIfAbsent(s.label(), TopKJson::quote)).append(",\"p\":")
                    .append(Math.round(s.probability() * 1e4) / 1e4).append('}');
        }
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
