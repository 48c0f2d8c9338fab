package io.cxml.runtime.stages;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.cxml.runtime.model.Prediction;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The hand-written top-k JSON is the text Jackson writes for the same list of maps, byte for byte. */
class TopKJsonTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void writesWhatJacksonWrites() throws Exception {
        Random random = new Random(7);
        String[] labels = {"card_arrival", "quote\"d", "back\\slash", "tab\tnew\nline", "\u0001ctl", "ünïcödé", "日本語",
            "slash/", ""};
        TopKJson json = new TopKJson("label");
        for (int n = 0; n < 2_000; n++) {
            List<Prediction.ScoredLabel> top = new ArrayList<>();
            int k = 1 + random.nextInt(3);
            for (int i = 0; i < k; i++) {
                float p = switch (random.nextInt(4)) {
                    case 0 -> 0f;
                    case 1 -> 1f;
                    case 2 -> random.nextFloat() * 1e-4f;
                    default -> random.nextFloat();
                };
                top.add(new Prediction.ScoredLabel(labels[random.nextInt(labels.length)], p));
            }
            Prediction prediction = new Prediction(top.get(0).label(), top.get(0).probability(), top, new float[0], 0);
            assertThat(json.of(prediction)).isEqualTo(jackson(top));
        }
    }

    private static String jackson(List<Prediction.ScoredLabel> top) throws Exception {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Prediction.ScoredLabel s : top) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("label", s.label());
            e.put("p", Math.round(s.probability() * 1e4) / 1e4);
            out.add(e);
        }
        return JSON.writeValueAsString(out);
    }
}
