package io.cxml.language;

import com.github.pemistahl.lingua.api.Language;
import com.github.pemistahl.lingua.internal.Alphabet;
import com.github.pemistahl.lingua.internal.Constant;
import java.lang.Character.UnicodeScript;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;

/**
 * Lingua 1.2.2's {@code filterLanguagesByRules}, the same decisions in a form that costs a few operations per word:
 * Lingua tests every word against each of its 19 alphabets with a code-point stream, and every word against every
 * char of its 30 special-char entries. Here a word's script is read once, and only words with a char outside ASCII
 * (none of the special chars is ASCII) go through the special-char entries, which are first narrowed to the
 * configured languages. {@code LinguaEquivalenceTest} holds it to Lingua's answers.
 *
 * <p>The rule: the script most words are written in (the first seen wins a tie; no filter when several scripts tie
 * or none is found) keeps the languages written in it; among those, languages whose special chars occur in at least
 * half the words are kept, if any. Immutable; thread-safe.
 */
final class ScriptFilter {
    /** Lingua's alphabets in its enum order, with the script each stands for (null: matches nothing). */
    private static final Alphabet[] ALPHABETS = Alphabet.values();
    private static final UnicodeScript[] SCRIPTS = new UnicodeScript[ALPHABETS.length];

    static {
        for (int a = 0; a < ALPHABETS.length; a++) {
            try {
                SCRIPTS[a] = UnicodeScript.forName(ALPHABETS[a].name());
            } catch (IllegalArgumentException e) {
                SCRIPTS[a] = null; // Alphabet.NONE
            }
        }
    }

    /** Per alphabet, which configured languages (by index) are written in it. */
    private final boolean[][] writtenIn;
    /** Special-char entries that concern a configured language: their chars and those languages. */
    private final List<String> entryChars = new ArrayList<>();
    private final List<int[]> entryLanguages = new ArrayList<>();
    private final int languages;

    /** @param languages the configured languages, indexed as the answers */
    ScriptFilter(Language[] languages) {
        this.languages = languages.length;
        writtenIn = new boolean[ALPHABETS.length][languages.length];
        for (int l = 0; l < languages.length; l++) {
            for (Alphabet alphabet : languages[l].getAlphabets$lingua()) {
                writtenIn[alphabet.ordinal()][l] = true;
            }
        }
        for (Map.Entry<String, EnumSet<Language>> e : Constant.INSTANCE.getCHARS_TO_LANGUAGES_MAPPING().entrySet()) {
            List<Integer> concerned = new ArrayList<>();
            for (int l = 0; l < languages.length; l++) {
                if (e.getValue().contains(languages[l])) {
                    concerned.add(l);
                }
            }
            if (!concerned.isEmpty()) {
                entryChars.add(e.getKey());
                entryLanguages.add(concerned.stream().mapToInt(Integer::intValue).toArray());
            }
        }
    }

    /**
     * @param words Lingua's words of the cleaned text
     * @return per configured language, whether it stays a candidate
     */
    boolean[] candidates(List<String> words) {
        int[] alphabetCount = new int[ALPHABETS.length];
        int[] firstSeen = new int[ALPHABETS.length];
        int seen = 0;
        for (String word : words) {
            int a = alphabetOf(word);
            if (a >= 0 && alphabetCount[a]++ == 0) {
                firstSeen[seen++] = a;
            }
        }
        boolean[] all = new boolean[languages];
        java.util.Arrays.fill(all, true);
        if (seen == 0) {
            return all;
        }
        int best = firstSeen[0];
        boolean allTied = true;
        for (int i = 1; i < seen; i++) {
            int a = firstSeen[i];
            allTied &= alphabetCount[a] == alphabetCount[best];
            if (alphabetCount[a] > alphabetCount[best]) {
                best = a;
            }
        }
        if (seen > 1 && allTied) {
            return all;
        }
        boolean[] filtered = writtenIn[best].clone();
        int[] specialCounts = new int[languages];
        for (String word : words) {
            if (!hasNonAscii(word)) {
                continue;
            }
            for (int e = 0; e < entryChars.size(); e++) {
                String chars = entryChars.get(e);
                for (int c = 0; c < chars.length(); c++) {
                    if (word.indexOf(chars.charAt(c)) >= 0) {
                        for (int l : entryLanguages.get(e)) {
                            if (filtered[l]) {
                                specialCounts[l]++;
                            }
                        }
                    }
                }
            }
        }
        boolean[] subset = new boolean[languages];
        boolean any = false;
        for (int l = 0; l < languages; l++) {
            subset[l] = specialCounts[l] > 0 && specialCounts[l] >= words.size() / 2.0;
            any |= subset[l];
        }
        return any ? subset : filtered;
    }

    /** @return the first alphabet (Lingua's order) whose script every code point of the word has, or -1 */
    private static int alphabetOf(String word) {
        if (word.isEmpty()) {
            return 0; // Lingua: every alphabet matches an empty word, the first one is taken
        }
        UnicodeScript script = UnicodeScript.of(word.codePointAt(0));
        for (int i = Character.charCount(word.codePointAt(0)); i < word.length(); ) {
            int cp = word.codePointAt(i);
            if (UnicodeScript.of(cp) != script) {
                return -1;
            }
            i += Character.charCount(cp);
        }
        for (int a = 0; a < ALPHABETS.length; a++) {
            if (SCRIPTS[a] == script) {
                return a;
            }
        }
        return -1;
    }

    private static boolean hasNonAscii(String word) {
        for (int i = 0; i < word.length(); i++) {
            if (word.charAt(i) > 0x7F) {
                return true;
            }
        }
        return false;
    }
}
