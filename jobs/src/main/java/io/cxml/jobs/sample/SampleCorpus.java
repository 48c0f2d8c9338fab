package io.cxml.jobs.sample;

import io.cxml.training.data.Csv;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Real customer utterances with their true intent, per language: BANKING77 (English banking queries) and xSID
 * (assistant requests in 10 languages), shipped in the jar (see {@code corpus/LICENSES.md}). Immutable and
 * serializable, so it is broadcast to executors once.
 */
public final class SampleCorpus implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final String DIR = "/io/cxml/jobs/sample/corpus/";

    private final String[] languages;
    /** [language][intent] -> intent name. */
    private final String[][] intents;
    /** [language][intent][i] -> utterance. */
    private final String[][][] utterances;
    private final PhraseBank phrases;

    private SampleCorpus(Map<String, Map<String, List<String>>> byLanguage, PhraseBank phrases) {
        this.phrases = phrases;
        languages = byLanguage.keySet().toArray(new String[0]);
        intents = new String[languages.length][];
        utterances = new String[languages.length][][];
        for (int l = 0; l < languages.length; l++) {
            Map<String, List<String>> byIntent = byLanguage.get(languages[l]);
            intents[l] = byIntent.keySet().toArray(new String[0]);
            utterances[l] = new String[intents[l].length][];
            for (int i = 0; i < intents[l].length; i++) {
                utterances[l][i] = byIntent.get(intents[l][i]).toArray(new String[0]);
            }
        }
    }

    /** @return the corpus bundled in the jar */
    public static SampleCorpus load() {
        Map<String, Map<String, List<String>>> byLanguage = new TreeMap<>();
        List<List<String>> banking = Csv.parse(readResource("banking77/banking_data/train.csv"));
        for (List<String> row : banking.subList(1, banking.size())) {
            if (row.size() == 2) {
                add(byLanguage, "en", row.get(1).trim(), row.get(0).replaceAll("\\s+", " ").trim());
            }
        }
        readLines(DIR + "xsid-valid.tsv", 1, line -> {
            String[] parts = line.split("\t", 3);
            add(byLanguage, parts[0], parts[1], parts[2]);
        });
        return new SampleCorpus(byLanguage, PhraseBank.load());
    }

    /**
     * Adds a sentence unless its pool already holds it (ignoring case and spacing): a repeated sentence would have
     * two homes in time and reach the held-out window from the training window.
     */
    private static void add(Map<String, Map<String, List<String>>> m, String lang, String intent, String text) {
        if (text.isBlank()) {
            return;
        }
        List<String> pool = m.computeIfAbsent(lang, k -> new TreeMap<>()).computeIfAbsent(intent,
                k -> new ArrayList<>());
        String key = text.toLowerCase(java.util.Locale.ROOT);
        if (pool.stream().noneMatch(u -> u.toLowerCase(java.util.Locale.ROOT).equals(key))) {
            pool.add(text);
        }
    }

    private static String readResource(String name) {
        try (InputStream in = SampleCorpus.class.getResourceAsStream(DIR + name)) {
            if (in == null) {
                throw missing(name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the sample corpus " + name, e);
        }
    }

    private static IllegalStateException missing(String name) {
        return new IllegalStateException("Cannot load the sample corpus: " + (name.startsWith("/") ? name
                : DIR + name) + " is not on the "
                + "classpath. Rebuild the jar (mvn package) or run scripts/extract_sample_corpus.py");
    }

    /** Receives one line of a bundled text file. */
    interface LineHandler {
        void accept(String line);
    }

    /**
     * Reads a bundled UTF-8 text file line by line.
     *
     * @param resource absolute resource path
     * @param skip header lines to skip
     * @param handler receives every non-blank line after them
     */
    static void readLines(String resource, int skip, LineHandler handler) {
        try (InputStream in = SampleCorpus.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw missing(resource);
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            int n = 0;
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                if (n++ >= skip && !line.isBlank()) {
                    handler.accept(line);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the sample corpus " + resource, e);
        }
    }

    /** @return the project's phrase bank: tone phrases and paraphrase templates per language */
    PhraseBank phrases() {
        return phrases;
    }

    /** @return language codes, sorted */
    public String[] languages() {
        return languages.clone();
    }

    /**
     * @param language index into {@link #languages()}
     * @return number of intents of the language
     */
    public int intentCount(int language) {
        return intents[language].length;
    }

    /**
     * @param language language index
     * @param intent intent index
     * @return the intent's name
     */
    public String intent(int language, int intent) {
        return intents[language][intent];
    }

    /**
     * @param language language index
     * @param intent intent index
     * @param pick any non-negative number; taken modulo the number of utterances
     * @return an utterance
     */
    public String utterance(int language, int intent, int pick) {
        String[] u = utterances[language][intent];
        return u[Math.floorMod(pick, u.length)];
    }

    /**
     * @param language language index
     * @param intent intent index
     * @return number of utterances
     */
    public int utteranceCount(int language, int intent) {
        return utterances[language][intent].length;
    }

    /**
     * @param code a language code
     * @return its index, or -1
     */
    public int languageIndex(String code) {
        for (int i = 0; i < languages.length; i++) {
            if (languages[i].equals(code)) {
                return i;
            }
        }
        return -1;
    }
}
