package io.cxml.language;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.pemistahl.lingua.api.Language;
import com.github.pemistahl.lingua.api.LanguageDetectorBuilder;
import io.cxml.testing.LocalSpark;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The detector's n-gram tables must give Lingua's answers exactly: for every xSID and BANKING77 sentence, for
 * paragraphs of them (the trigram-only path from 120 chars), for mixed scripts and for punctuation, digits and
 * surrogate pairs, the whole confidence map (every possible language and its value) equals Lingua 1.2.2's
 * {@code computeLanguageConfidenceValues}.
 */
class LinguaEquivalenceTest {
    @Test
    void sameConfidencesAsLinguaOnEverySentence() throws IOException {
        Path shared = LocalSpark.datasetsDir();
        List<String> texts = new ArrayList<>(xsid(shared.resolve("xsid/valid")));
        texts.addAll(banking77(shared.resolve("banking77/banking_data/train.csv")));
        List<String> paragraphs = new ArrayList<>();
        for (int i = 0; i + 4 < texts.size(); i += 37) {
            paragraphs.add(String.join(" ", texts.subList(i, i + 4))); // often 120+ chars, sometimes two languages
        }
        texts.addAll(paragraphs);
        texts.addAll(List.of("", "   ", "1234 5678", "!!!", "a", "ab", "Ok", "ß", "Ça va?", "我的包裹 where is it",
                "荷物 parcel ずっと", "مرحبا hello", "refund 😀 please", "𠀀𠀁 text", "\uD83D", "x\uDC00y",
                "Bestellung #12345 storniert, Rückerstattung 49,99 €", "iPhone 13 Pro Max", "merci beaucoup!!",
                "Señor, ¿dónde está mi pedido?", "Ich möchte meine Bestellung stornieren, weißt du", "Ñandú",
                "Jeg vil gerne have en kvittering på min ordre, tak Søren", "Sipariş iptali için ne yapmalıyım?",
                "À l'été où ça va très bien", "Não consigo fazer login na minha conta", "Ξ Ω ñ ø", "ıi İI"));
        assertThat(texts.size()).isGreaterThan(18_000);

        LanguageOptions options = LanguageOptions.defaults();
        Language[] languages = options.languages().stream()
                .map(c -> Language.getByIsoCode639_1(
                        com.github.pemistahl.lingua.api.IsoCode639_1.valueOf(c.toUpperCase(java.util.Locale.ROOT))))
                .toArray(Language[]::new);
        com.github.pemistahl.lingua.api.LanguageDetector lingua =
                LanguageDetectorBuilder.fromLanguages(languages).build();
        LanguageDetector ours = LanguageDetector.forOptions(options);
        int decidedByNgrams = 0;
        for (String text : texts) {
            SortedMap<Language, Double> expected = lingua.computeLanguageConfidenceValues(text);
            SortedMap<Language, Double> actual = ours.confidences(text);
            assertThat(new ArrayList<>(actual.entrySet())).as(text).isEqualTo(new ArrayList<>(sorted(expected)));
            decidedByNgrams += expected.size() > 1 ? 1 : 0;
        }
        assertThat(decidedByNgrams).as("texts scored by n-grams, not rules").isGreaterThan(10_000);
    }

    /** Lingua's map is sorted by confidence; ours by language: compare as language-sorted entries. */
    private static List<java.util.Map.Entry<Language, Double>> sorted(SortedMap<Language, Double> lingua) {
        java.util.TreeMap<Language, Double> byLanguage = new java.util.TreeMap<>(); // not the copy constructor:
        byLanguage.putAll(lingua); // that one keeps Lingua's by-confidence comparator
        return new ArrayList<>(byLanguage.entrySet());
    }

    private static List<String> xsid(Path dir) throws IOException {
        List<String> texts = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.sorted().toList()) {
                for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                    if (line.startsWith("# text = ")) {
                        texts.add(line.substring("# text = ".length()));
                    }
                }
            }
        }
        return texts;
    }

    private static List<String> banking77(Path csv) throws IOException {
        List<String> texts = new ArrayList<>();
        List<String> lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
        for (String line : lines.subList(1, lines.size())) {
            int comma = line.lastIndexOf(',');
            texts.add((comma < 0 ? line : line.substring(0, comma)).replace("\"", ""));
        }
        return texts;
    }
}
