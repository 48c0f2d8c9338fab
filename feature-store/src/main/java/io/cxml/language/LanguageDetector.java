package io.cxml.language;

import com.github.pemistahl.lingua.api.IsoCode639_1;
import com.github.pemistahl.lingua.api.Language;
import com.github.pemistahl.lingua.api.LanguageDetectorBuilder;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Detects the language of a text among the configured languages, with Lingua's method and models. Lingua 1.2's own
 * scoring probes one hash map per language and n-gram length, takes a lock per probe and fans every text out to the
 * JVM's common fork-join pool (one thread on a 2-core executor); it spent about 55 % of its time in those probes.
 * This class keeps Lingua's text cleanup and single-language rules (called as they are), re-implements its script
 * filter cheaply ({@link ScriptFilter}: it had become the largest cost) and replaces the n-gram scoring with merged
 * tables ({@link NgramTables}): the same n-grams, in the same order, the same float sums, so the answers
 * are Lingua's exactly ({@code LinguaEquivalenceTest} checks every xSID and BANKING77 sentence), several times
 * faster, on the calling thread.
 *
 * <p>The tables take about 4 s and tens of megabytes to build, so there is exactly one detector per JVM and
 * language set: {@link #forOptions} returns the shared instance, created on first use (on an executor, inside the
 * first task that needs it). Never capture an instance in a Spark closure: capture the {@link LanguageOptions} and
 * call {@link #forOptions} inside the task. Thread-safe.
 */
public final class LanguageDetector {
    private static final Logger LOG = LoggerFactory.getLogger(LanguageDetector.class);

    /** Code returned when no language can be told (empty text, digits only, a tie). */
    public static final String UNKNOWN = "und";
    /** Lingua scores texts of at least this many (cleaned) chars with trigrams only. */
    private static final int TRIGRAMS_ONLY_FROM_LENGTH = 120;
    /** Lingua's {@code Constant.NO_LETTER}. */
    private static final Pattern NO_LETTER = Pattern.compile("^[^\\p{L}]+$");

    private static final Map<List<String>, LanguageDetector> INSTANCES = new ConcurrentHashMap<>();

    /** Used for its cleanup and rules only; it never loads a model. */
    private final com.github.pemistahl.lingua.api.LanguageDetector lingua;
    private final LanguageOptions options;
    /** The configured languages in Lingua's enum order (its tie-break), indexed as in {@link #tables}. */
    private final Language[] languages;
    private final String[] codes;
    private final NgramTables tables;
    private final ScriptFilter scriptFilter;

    private LanguageDetector(LanguageOptions options) {
        this.options = options;
        this.languages =
                options.languages().stream()
                        .map(c -> Language.getByIsoCode639_1(IsoCode639_1.valueOf(c.toUpperCase(Locale.ROOT))))
                        .sorted()
                        .toArray(Language[]::new);
        this.codes = Arrays.stream(languages)
                .map(l -> l.getIsoCode639_1().name().toLowerCase(Locale.ROOT))
                .toArray(String[]::new);
        long start = System.nanoTime();
        this.lingua = LanguageDetectorBuilder.fromLanguages(languages).build();
        this.tables = new NgramTables(List.of(languages));
        this.scriptFilter = new ScriptFilter(languages);
        LOG.info("Created the language detector for {} ({} n-grams) in {} ms", options.languages(), tables.size(),
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
        float[] scores = text == null ? null : scores(text);
        if (scores == null) {
            return new Detection(UNKNOWN, 0.0);
        }
        int best = best(scores);
        return best < 0 ? new Detection(UNKNOWN, 0.0) : new Detection(codes[best], confidence(scores, best, best));
    }

    /**
     * Lingua's {@code computeLanguageConfidenceValues}: every language that is possible, with its confidence.
     *
     * @param text any text
     * @return the confidences by language; empty when none can be told
     */
    SortedMap<Language, Double> confidences(String text) {
        SortedMap<Language, Double> values = new TreeMap<>();
        float[] scores = scores(text);
        if (scores == null) {
            return values;
        }
        int best = best(scores);
        for (int i = 0; best >= 0 && i < scores.length; i++) {
            if (scores[i] != 0F) {
                values.put(languages[i], confidence(scores, best, i));
            }
        }
        return values;
    }

    /** @return the possible language with the highest score (ties: Lingua's enum order), or -1 when none */
    private static int best(float[] scores) {
        int best = -1;
        for (int i = 0; i < scores.length; i++) {
            if (scores[i] != 0F && (best < 0 || scores[i] > scores[best])) {
                best = i;
            }
        }
        return best;
    }

    /** A rule's answer is certain (Lingua puts 1.0); otherwise the best score over this one, as Lingua divides. */
    private static double confidence(float[] scores, int best, int language) {
        return scores[best] == Float.POSITIVE_INFINITY ? 1.0 : (double) (scores[best] / scores[language]);
    }

    /**
     * @return per configured language: +infinity for the one a rule decided, else the summed log-probabilities
     *     (0 = impossible); null when the text has no letter
     */
    private float[] scores(String text) {
        String cleaned = lingua.cleanUpInputText$lingua(text);
        if (cleaned.isEmpty() || NO_LETTER.matcher(cleaned).matches()) {
            return null;
        }
        List<String> words = lingua.splitTextIntoWords$lingua(cleaned);
        float[] scores = new float[languages.length];
        Language byRules = lingua.detectLanguageWithRules$lingua(words);
        if (byRules != Language.UNKNOWN) {
            scores[indexOf(byRules)] = Float.POSITIVE_INFINITY;
            return scores;
        }
        boolean[] candidate = scriptFilter.candidates(words);
        int candidates = 0;
        for (int i = 0; i < candidate.length; i++) {
            candidates += candidate[i] ? 1 : 0;
        }
        if (candidates == 1) {
            for (int i = 0; i < candidate.length; i++) {
                scores[i] = candidate[i] ? Float.POSITIVE_INFINITY : 0F;
            }
            return scores;
        }
        boolean trigramsOnly = cleaned.length() >= TRIGRAMS_ONLY_FROM_LENGTH;
        int fromLength = trigramsOnly ? 3 : 1;
        int toLength = Math.min(trigramsOnly ? 3 : NgramTables.MAX_LENGTH, cleaned.length());
        int[] unigramHits = new int[languages.length];
        float[] lengthSum = new float[languages.length];
        for (int n = fromLength; n <= toLength; n++) {
            Arrays.fill(lengthSum, 0F);
            addNgramScores(ngramsOf(cleaned, n), n, candidate, candidates, lengthSum, n == 1 ? unigramHits : null);
            for (int i = 0; i < languages.length; i++) {
                scores[i] += lengthSum[i]; // Lingua sums the lengths' sums in order 1..5, from 0
            }
        }
        for (int i = 0; i < languages.length; i++) {
            if (!candidate[i]) {
                scores[i] = 0F;
            } else if (unigramHits[i] > 0) {
                scores[i] = scores[i] / unigramHits[i];
            }
        }
        return scores;
    }

    /**
     * Adds, per candidate language, ln p of each n-gram, backing off to its prefixes where the language lacks it, as
     * Lingua's {@code computeSumOfNgramProbabilities}; counts the unigrams a language knows when asked.
     */
    private void addNgramScores(Set<String> ngrams, int n, boolean[] candidate, int candidates, float[] sums,
            int[] unigramHits) {
        boolean[] done = new boolean[languages.length];
        for (String ngram : ngrams) { // HashSet order, as Lingua's: float sums depend on it
            Arrays.fill(done, false);
            int left = candidates;
            for (int k = n; k >= 1 && left > 0; k--) {
                NgramTables.Table table = tables.table(k);
                int row = table.find(ngram, 0, k);
                if (row < 0) {
                    continue;
                }
                for (int p = table.pairsFrom(row); p < table.pairsTo(row); p++) {
                    int lang = table.language(p);
                    if (candidate[lang] && !done[lang]) {
                        done[lang] = true;
                        left--;
                        sums[lang] += table.lnProbability(p);
                        if (unigramHits != null) {
                            unigramHits[lang]++;
                        }
                    }
                }
            }
        }
    }

    /** Lingua's {@code TestDataLanguageModel.fromText}: the distinct substrings of length n made only of letters. */
    private static Set<String> ngramsOf(String text, int n) {
        Set<String> ngrams = new HashSet<>();
        for (int i = 0; i + n <= text.length(); i++) {
            if (lettersOnly(text, i, i + n)) {
                ngrams.add(text.substring(i, i + n));
            }
        }
        return ngrams;
    }

    /** {@code \p{L}+} over [from, to): every code point a letter (a lone surrogate is not). */
    private static boolean lettersOnly(String text, int from, int to) {
        for (int i = from; i < to; ) {
            int cp = Character.codePointAt(text, i);
            int width = Character.charCount(cp);
            if (i + width > to || !Character.isLetter(cp)) {
                return false;
            }
            i += width;
        }
        return true;
    }

    private int indexOf(Language language) {
        int i = Arrays.binarySearch(languages, language);
        if (i < 0) {
            throw new IllegalStateException("Lingua answered " + language + ", not one of " + options.languages());
        }
        return i;
    }

    /**
     * A detection result.
     *
     * @param language ISO 639-1 lowercase code, or {@link #UNKNOWN}
     * @param confidence Lingua's confidence in [0, 1] relative to the configured languages
     */
    public record Detection(String language, double confidence) {}
}
