package io.cxml.training;

import io.cxml.testing.LocalSpark;
import io.cxml.training.data.LabelledText;
import io.cxml.training.data.PublicDatasets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Small, deterministic slices of the real public data sets in {@code datasets/}. */
public final class TestData {
    private TestData() {}

    /** @return path of BANKING77's train.csv */
    public static Path banking77Csv() {
        return LocalSpark.datasetsDir().resolve("banking77/banking_data/train.csv");
    }

    /**
     * @param classes how many intents (the first ones in file order)
     * @param perClass examples per intent (file order)
     * @return the examples
     */
    public static List<LabelledText> banking77(int classes, int perClass) {
        Map<String, List<LabelledText>> byLabel = new LinkedHashMap<>();
        for (LabelledText e : PublicDatasets.banking77(banking77Csv())) {
            List<LabelledText> list = byLabel.computeIfAbsent(e.label(), k -> new ArrayList<>());
            if (list.size() < perClass) {
                list.add(e);
            }
        }
        List<LabelledText> out = new ArrayList<>();
        byLabel.values().stream().limit(classes).forEach(out::addAll);
        return out;
    }
}
