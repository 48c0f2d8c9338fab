package io.cxml.training.data;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * In-memory seeded stratified carves of public benchmark sets (BANKING77, xSID) for {@code ModelBench} and unit tests
 * of the trainer. Training runs never use it: their split is {@link DataSplitter} (cxml's one
 * {@link io.cxml.features.split.SplitPlan}).
 */
public final class Splits {
    private Splits() {}

    /**
     * Three disjoint parts of a list.
     *
     * @param train training part
     * @param validation validation part (early stopping, calibration)
     * @param test held-out part
     */
    public record Parts(List<LabelledText> train, List<LabelledText> validation, List<LabelledText> test) {}

    /**
     * Splits each (label, language) group separately, so every label and language appears in each part.
     *
     * @param examples the examples
     * @param validationFraction share for validation
     * @param testFraction share for test
     * @param seed shuffling seed
     * @return the parts
     */
    public static Parts stratified(List<LabelledText> examples, double validationFraction, double testFraction,
            long seed) {
        Map<String, List<LabelledText>> groups = new LinkedHashMap<>();
        for (LabelledText e : examples) {
            groups.computeIfAbsent(e.label() + "\u0000" + e.language(), k -> new ArrayList<>()).add(e);
        }
        Random random = new Random(seed);
        List<LabelledText> train = new ArrayList<>();
        List<LabelledText> validation = new ArrayList<>();
        List<LabelledText> test = new ArrayList<>();
        for (List<LabelledText> group : groups.values()) {
            java.util.Collections.shuffle(group, random);
            int nTest = (int) Math.round(group.size() * testFraction);
            int nValid = (int) Math.round(group.size() * validationFraction);
            for (int i = 0; i < group.size(); i++) {
                (i < nTest ? test : i < nTest + nValid ? validation : train).add(group.get(i));
            }
        }
        java.util.Collections.shuffle(train, random);
        return new Parts(train, validation, test);
    }
}
