package io.cxml.bench.language;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.github.pemistahl.lingua.api.IsoCode639_1;
import com.github.pemistahl.lingua.api.Language;
import com.github.pemistahl.lingua.api.LanguageDetectorBuilder;
import io.cxml.language.LanguageDetector;
import io.cxml.language.LanguageOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * Language-detection throughput (not a unit test): Lingua 1.2.2's own detector against cxml's
 * {@link LanguageDetector} (same answers, merged n-gram tables), over the xSID validation sentences, on 1 and 2
 * threads, after a warm-up; the best of {@code rounds} timed passes. Also counts the texts where the two answers
 * differ (expected 0). Prints the figures and writes {@code bench-results/language-<time>.json}.
 * Usage: {@code scripts/bench-language.sh [rounds]} (default 5), or {@code LanguageDetectionBench [rounds]} on the
 * benchmarks module's classpath; the data folder (holding {@code xsid/valid}) is {@code -Dbench.data}, default
 * {@code <cxml.datasets.dir>} ({@code datasets}).
 */
public final class LanguageDetectionBench {
    private LanguageDetectionBench() {}

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        Path data = System.getProperty("bench.data") != null ? Path.of(System.getProperty("bench.data"))
                : Path.of(System.getProperty("cxml.datasets.dir", "datasets"));
        Path dir = data.resolve("xsid/valid");
        List<String> texts = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.sorted().toList()) {
                for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
                    if (line.startsWith("# text = ")) {
                        texts.add(line.substring("# text = ".length()));
                    }
                }
            }
        }
        LanguageOptions options = LanguageOptions.defaults();
        Language[] languages = options.languages().stream()
                .map(c -> Language.getByIsoCode639_1(IsoCode639_1.valueOf(c.toUpperCase(Locale.ROOT))))
                .toArray(Language[]::new);
        com.github.pemistahl.lingua.api.LanguageDetector lingua =
                LanguageDetectorBuilder.fromLanguages(languages).build();
        LanguageDetector ours = LanguageDetector.forOptions(options);
        Function<String, Object> linguaDetect = lingua::computeLanguageConfidenceValues;
        Function<String, Object> oursDetect = ours::detect;

        int differ = 0;
        for (String t : texts) {
            var expected = lingua.computeLanguageConfidenceValues(t);
            String best = expected.isEmpty() ? LanguageDetector.UNKNOWN
                    : expected.firstKey().getIsoCode639_1().name().toLowerCase(Locale.ROOT);
            differ += ours.detect(t).language().equals(best) ? 0 : 1;
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("texts", texts.size());
        result.put("answers_differing", differ);
        result.put("rounds", rounds);
        for (int threads : new int[] {1, 2}) {
            result.put("lingua_texts_per_s_threads_" + threads, best(linguaDetect, texts, threads, rounds));
            result.put("cxml_texts_per_s_threads_" + threads, best(oursDetect, texts, threads, rounds));
        }
        result.put("load_average", Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
        System.out.println(result);
        Files.createDirectories(Path.of("bench-results"));
        Path out = Path.of("bench-results", "language-" + Instant.now().toString().replace(":", "") + ".json");
        Files.writeString(out, new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(result));
        System.out.println("wrote " + out);
    }

    /** @return the best texts/s over the rounds, after one untimed warm-up pass */
    private static long best(Function<String, Object> detect, List<String> texts, int threads, int rounds)
            throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            long best = 0;
            for (int r = 0; r <= rounds; r++) {
                long start = System.nanoTime();
                List<Future<?>> parts = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    parts.add(pool.submit(() -> texts.forEach(detect::apply)));
                }
                for (Future<?> f : parts) {
                    f.get();
                }
                long perSecond = Math.round(threads * texts.size() / ((System.nanoTime() - start) / 1e9));
                best = r == 0 ? 0 : Math.max(best, perSecond); // round 0 warms up
            }
            return best;
        } finally {
            pool.shutdown();
        }
    }
}
