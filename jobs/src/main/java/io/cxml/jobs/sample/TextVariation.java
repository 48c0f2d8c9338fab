package io.cxml.jobs.sample;

import java.util.Locale;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * The ways real customers' words vary around the same request: a paraphrase template of their language (with the
 * product name left in English), a slipped key, a message typed in lower case on a phone, shouting when angry. Rates
 * are modest: most messages keep the corpus sentence as it is. Typos and casing apply to Latin-script languages
 * only.
 */
final class TextVariation {
    private TextVariation() {}

    /** Share of opening messages wrapped in a paraphrase template. */
    static final double TEMPLATE_SHARE = 0.45;
    /** Share of customer messages with one typo (Latin script). */
    static final double TYPO_SHARE = 0.2;
    /** Share of chat and social messages typed all in lower case (Latin script). */
    static final double LOWERCASE_SHARE = 0.35;
    /** Share of negative follow-up phrases written in capitals (Latin script). */
    static final double SHOUT_SHARE = 0.15;

    private static final Set<String> LATIN = Set.of("en", "de", "it", "nl", "da", "tr", "id");

    /**
     * @param utterance the corpus sentence
     * @param language its language code
     * @param product the tenant's product name
     * @param channel the ticket's channel
     * @param bank the phrase bank
     * @param v the ticket's variation stream
     * @return the opening message as the customer typed it
     */
    static String opening(String utterance, String language, String product, String channel, PhraseBank bank,
            SplittableRandom v) {
        String text = v.nextDouble() < TEMPLATE_SHARE ? bank.template(language, v.nextInt(), utterance, product)
                : utterance;
        return typed(text, language, channel, v);
    }

    /**
     * @param phrase the tone phrase
     * @param tone its tone
     * @param restated the request said again, or null
     * @param language the language code
     * @param channel the channel
     * @param v the variation stream
     * @return a follow-up message
     */
    static String followUp(String phrase, Tone tone, String restated, String language, String channel,
            SplittableRandom v) {
        String p = tone == Tone.NEGATIVE && LATIN.contains(language) && v.nextDouble() < SHOUT_SHARE
                ? phrase.toUpperCase(locale(language)) : phrase;
        return restated == null ? p : p + " " + typed(restated, language, channel, v);
    }

    /** Typo and casing of a message typed by the customer. */
    static String typed(String text, String language, String channel, SplittableRandom v) {
        if (!LATIN.contains(language)) {
            return text;
        }
        String out = v.nextDouble() < TYPO_SHARE ? typo(text, v) : text;
        boolean quick = "chat".equals(channel) || "social".equals(channel);
        return quick && v.nextDouble() < LOWERCASE_SHARE ? out.toLowerCase(locale(language)) : out;
    }

    /** One slipped key in a word of four or more letters: two letters swapped, one dropped, or one doubled. */
    static String typo(String text, SplittableRandom v) {
        String[] words = text.split(" ", -1);
        int start = v.nextInt(words.length);
        for (int k = 0; k < words.length; k++) {
            int w = (start + k) % words.length;
            String word = words[w];
            if (word.length() >= 4 && word.chars().allMatch(Character::isLetter)) {
                int i = 1 + v.nextInt(word.length() - 2);
                words[w] = switch (v.nextInt(3)) {
                    case 0 -> word.substring(0, i) + word.charAt(i + 1) + word.charAt(i) + word.substring(i + 2);
                    case 1 -> word.substring(0, i) + word.substring(i + 1);
                    default -> word.substring(0, i + 1) + word.substring(i);
                };
                return String.join(" ", words);
            }
        }
        return text;
    }

    private static Locale locale(String language) {
        return Locale.forLanguageTag(language);
    }
}
