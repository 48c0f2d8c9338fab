package io.cxml.language;

import static org.assertj.core.api.Assertions.assertThat;

import io.cxml.testing.LocalSpark;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Per-language accuracy of the detector (default configured languages) on the xSID validation files, with the
 * expected language taken from the file name ({@code de-ba}, {@code de-muc}, {@code de-st}, {@code gsw} are German
 * dialects: expected {@code de}). Languages outside the configured set cannot be right and are reported only. Writes
 * {@code target/language-accuracy-xsid.md}.
 */
class XsidLanguageAccuracyTest {
    private static final Logger LOG = LoggerFactory.getLogger(XsidLanguageAccuracyTest.class);
    private static final Map<String, String> DIALECTS =
            Map.of("de-ba", "de", "de-muc", "de", "de-st", "de", "gsw", "de");
    /** Floor for configured standard languages; short commands, so a few misses are expected. */
    private static final double MIN_ACCURACY = 0.85;

    @Test
    void accuracyPerLanguageOnXsidValid() throws IOException {
        Path dir = LocalSpark.datasetsDir().resolve("xsid/valid");
        LanguageOptions options = LanguageOptions.defaults();
        LanguageDetector detector = LanguageDetector.forOptions(options);
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(p -> p.getFileName().toString().endsWith(".valid.conll")).sorted().toList();
        }
        StringBuilder report = new StringBuilder("| file | expected | configured | sentences | correct | accuracy "
                + "| most frequent answers |\n|---|---|---|---|---|---|---|\n");
        Map<String, double[]> configuredAccuracy = new TreeMap<>();
        for (Path file : files) {
            String name = file.getFileName().toString().replace(".valid.conll", "");
            String expected = DIALECTS.getOrDefault(name, name);
            boolean configured = options.languages().contains(expected) && !DIALECTS.containsKey(name);
            List<String> texts = texts(file);
            Map<String, Integer> answers = new TreeMap<>();
            int correct = 0;
            for (String t : texts) {
                String got = detector.detect(t).language();
                answers.merge(got, 1, Integer::sum);
                correct += got.equals(expected) ? 1 : 0;
            }
            double accuracy = (double) correct / texts.size();
            if (configured) {
                configuredAccuracy.put(name, new double[] {accuracy});
            }
            report.append(String.format("| %s | %s | %s | %d | %d | %.3f | %s |%n", name, expected,
                    configured ? "yes" : DIALECTS.containsKey(name) ? "dialect" : "no", texts.size(), correct,
                    accuracy, top(answers)));
        }
        LOG.info("Language detection on xSID valid:\n{}", report);
        Files.writeString(Path.of("target", "language-accuracy-xsid.md"), report, StandardCharsets.UTF_8);
        assertThat(configuredAccuracy).containsKeys("ar", "da", "de", "en", "id", "it", "ja", "nl", "tr", "zh");
        configuredAccuracy.forEach((lang, acc) -> assertThat(acc[0]).as(lang).isGreaterThanOrEqualTo(MIN_ACCURACY));
    }

    private static List<String> texts(Path file) throws IOException {
        List<String> texts = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (line.startsWith("# text = ")) {
                texts.add(line.substring("# text = ".length()));
            }
        }
        return texts;
    }

    private static String top(Map<String, Integer> answers) {
        return answers.entrySet().stream()
                .sorted((a, b) -> b.getValue() - a.getValue())
                .limit(3)
                .map(e -> e.getKey() + "=" + e.getValue())
                .reduce((a, b) -> a + ", " + b)
                .orElse("");
    }
}
