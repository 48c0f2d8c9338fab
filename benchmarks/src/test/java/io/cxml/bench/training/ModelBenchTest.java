package io.cxml.bench.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cxml.training.data.LabelledText;
import io.cxml.training.data.PublicDatasets.XsidSentence;
import io.cxml.training.data.Splits;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The xSID carve and the English-only training option (cross-lingual transfer). */
class ModelBenchTest {
    @Test
    void trainLanguagesKeepTheTestPartWholeAndSplitBySentence() {
        List<XsidSentence> sentences = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            for (String language : List.of("en", "de", "ja")) {
                // the text is the sentence id plus the language, so the test can map texts back to sentences
                sentences.add(new XsidSentence("s" + i, new LabelledText("s" + i + " " + language, "intent" + i % 4,
                        language, null)));
            }
        }
        Splits.Parts all = ModelBench.xsidSplit(sentences, 7);
        List<String> en = ModelBench.languages(" en, ,en");
        assertEquals(List.of("en"), en);
        List<LabelledText> train = ModelBench.inLanguages(all.train(), en, "training");
        List<LabelledText> validation = ModelBench.inLanguages(all.validation(), en, "validation");

        assertEquals(Set.of("en"), languages(train));
        assertEquals(Set.of("en"), languages(validation));
        assertEquals(Set.of("en", "de", "ja"), languages(all.test()));
        assertEquals(all.train().size() / 3, train.size());
        Set<String> trained = ids(train);
        trained.addAll(ids(validation));
        assertTrue(ids(all.test()).stream().noneMatch(trained::contains), "no test sentence is trained on");
        assertThrows(IllegalArgumentException.class, () -> ModelBench.inLanguages(all.train(), List.of("xx"),
                "training"));
    }

    private static Set<String> languages(List<LabelledText> examples) {
        return examples.stream().map(LabelledText::language).collect(Collectors.toSet());
    }

    private static Set<String> ids(List<LabelledText> examples) {
        return examples.stream().map(e -> e.text().split(" ")[0]).collect(Collectors.toSet());
    }
}
