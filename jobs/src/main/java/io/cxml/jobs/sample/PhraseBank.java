package io.cxml.jobs.sample;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The project's multilingual phrase bank ({@code phrases/*.tsv} in the jar, written for cxml, no third-party text):
 * per language, follow-up phrases of each {@link Tone} ("This still isn't working.", "Perfect, problem solved.")
 * and paraphrase templates that wrap a corpus utterance the way customers open a ticket ("Quick question: {u}",
 * "Frage zu {p}: {u}", where {@code {p}} is the tenant's product name, left in English: code-switching). Immutable
 * and serializable; shipped to executors inside {@link SampleCorpus}.
 */
final class PhraseBank implements Serializable {
    private static final long serialVersionUID = 1L;
    /** Placeholder of the utterance in a template. */
    static final String UTTERANCE = "{u}";
    /** Placeholder of the product name in a template. */
    static final String PRODUCT = "{p}";
    private static final String DIR = "/io/cxml/jobs/sample/phrases/";

    private final Map<String, Map<Tone, String[]>> tones;
    private final Map<String, String[]> templates;

    private PhraseBank(Map<String, Map<Tone, String[]>> tones, Map<String, String[]> templates) {
        this.tones = tones;
        this.templates = templates;
    }

    /** @return the bank bundled in the jar */
    static PhraseBank load() {
        Map<String, Map<Tone, List<String>>> tones = new TreeMap<>();
        SampleCorpus.readLines(DIR + "tone.tsv", 1, line -> {
            String[] parts = line.split("\t", 3);
            tones.computeIfAbsent(parts[0], k -> new EnumMap<>(Tone.class))
                    .computeIfAbsent(Tone.valueOf(parts[1].toUpperCase(java.util.Locale.ROOT)),
                            k -> new ArrayList<>()).add(parts[2]);
        });
        Map<String, List<String>> templates = new TreeMap<>();
        SampleCorpus.readLines(DIR + "templates.tsv", 1, line -> {
            String[] parts = line.split("\t", 2);
            if (!parts[1].contains(UTTERANCE)) {
                throw new IllegalStateException("Cannot load the phrase bank: template '" + parts[1]
                        + "' has no " + UTTERANCE);
            }
            templates.computeIfAbsent(parts[0], k -> new ArrayList<>()).add(parts[1]);
        });
        Map<String, Map<Tone, String[]>> toneArrays = new TreeMap<>();
        tones.forEach((lang, byTone) -> {
            if (byTone.size() != Tone.values().length) {
                throw new IllegalStateException("Cannot load the phrase bank: language " + lang + " has phrases for "
                        + byTone.keySet() + ", needs all of NEGATIVE, NEUTRAL, POSITIVE");
            }
            Map<Tone, String[]> m = new EnumMap<>(Tone.class);
            byTone.forEach((tone, list) -> m.put(tone, list.toArray(new String[0])));
            toneArrays.put(lang, m);
        });
        Map<String, String[]> templateArrays = new TreeMap<>();
        templates.forEach((lang, list) -> templateArrays.put(lang, list.toArray(new String[0])));
        return new PhraseBank(toneArrays, templateArrays);
    }

    /** @return languages that have tone phrases */
    java.util.Set<String> languages() {
        return tones.keySet();
    }

    /**
     * @param language a language code (English when the bank has no phrases for it)
     * @param tone the tone
     * @param pick any number; taken modulo the number of phrases
     * @return a follow-up phrase of that tone
     */
    String tonePhrase(String language, Tone tone, int pick) {
        String[] p = tones.getOrDefault(language, tones.get("en")).get(tone);
        return p[Math.floorMod(pick, p.length)];
    }

    /**
     * @param language a language code (English when the bank has no templates for it)
     * @param pick any number; taken modulo the number of templates
     * @param utterance the customer's words
     * @param product the tenant's product name
     * @return the utterance inside a template
     */
    String template(String language, int pick, String utterance, String product) {
        String[] t = templates.getOrDefault(language, templates.get("en"));
        return t[Math.floorMod(pick, t.length)].replace(PRODUCT, product).replace(UTTERANCE, utterance);
    }
}
