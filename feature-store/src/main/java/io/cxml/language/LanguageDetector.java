package io.cxml.language;

import com.github.pemistahl.lingua.api.IsoCode639_1;
import com.github.pemistahl.lingua.api.Language;
import com.github.pemistahl.lingua.api.LanguageDetectorBuilder;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Detects the language of a text among the configured languages with Lingua. Lingua's models take hundreds of
 * megabytes and seconds to load, so there is exactly one detector per JVM and language set: {@link #forOptions}
 * returns the shared instance, created on first use (on an executor, inside the first task that needs it). Never
 * capture an instance in a Spark closure: capture the {@link LanguageOptions} and call {@link #forOptions} inside the
 * task. Thread-safe.
 */
public final class LanguageDetector {
    private static final Logger LOG = LoggerFactory.getLogger(LanguageDetector.class);

    /** Code returned when no language can be told (empty text, digits only, a tie). */
    public static final String UNKNOWN = "und";

    private static final Map<List<String>, LanguageDetector> INSTANCES = new ConcurrentHashMap<>();

    private final com.github.pemistahl.lingua.api.LanguageDetector lingua;
    private final LanguageOptions options;

    private LanguageDetector(LanguageOptions options) {
        this.options = options;
        Language[] languages =
                options.languages().stream()
                        .map(c -> Language.getByIsoCode639_1(IsoCode639_1.valueOf(c.toUpperCase(Locale.ROOT))))
                        .toArray(Language[]::new);
        long start = System.nanoTime();
        this.lingua = LanguageDetectorBuilder.fromLanguages(languages).build();
        LOG.info("Created the Lingua detector for {} in {} ms", options.languages(),
                (System.nanoTime() - start) / 1_000_000);
    }

    /**
     * @param options the languages
     * @return the JVM's detector for these languages, created on first use
     */
    public static LanguageDetector forOptions(LanguageOptions options) {
        return INSTANCES.computeIfAbsent(options.languages(), k -> new LanguageDetector(options));
    }

    /** @return how many detectors this JVM holds (one per distinct language set) */
    public static int instancesInJvm() {
        return INSTANCES.size();
    }

    /** @return the languages this detector may answer */
    public LanguageOptions options() {
        return options;
    }

    /**
     * Detects the language of a text.
     *
     * @param text any text, may be null or empty
     * @return the most likely language and its confidence; {@link #UNKNOWN} with confidence 0 when none
     */
    public Detection detect(String text) {
        if (text == null || text.isBlank()) {
            return new Detection(UNKNOWN, 0.0);
        }
        SortedMap<Language, Double> confidences = lingua.computeLanguageConfidenceValues(text);
        Language best = null;
        double bestValue = 0.0;
        for (Map.Entry<Language, Double> e : confidences.entrySet()) {
            if (best == null || e.getValue() > bestValue) {
                best = e.getKey();
                bestValue = e.getValue();
            }
        }
        if (best == null || best == Language.UNKNOWN || bestValue <= 0.0) {
            return new Detection(UNKNOWN, 0.0);
        }
        return new Detection(best.getIsoCode639_1().name().toLowerCase(Locale.ROOT), bestValue);
    }

    /**
     * A detection result.
     *
     * @param language ISO 639-1 lowercase code, or {@link #UNKNOWN}
     * @param confidence Lingua's confidence in [0, 1] relative to the configured languages
     */
    public record Detection(String language, double confidence) {}
}
