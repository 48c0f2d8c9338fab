package io.cxml.language;

import com.github.pemistahl.lingua.api.Language;
import com.github.pemistahl.lingua.internal.TrainingDataLanguageModel;
import it.unimi.dsi.fastutil.objects.Object2FloatMap;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Lingua's bundled n-gram models (lengths 1 to 5) of the configured languages, merged into one open-addressing table
 * per length: one probe answers an n-gram for every language at once. Lingua itself keeps one hash map per language
 * and length and probes each in turn, so its scoring is one cache miss per n-gram and language; this table makes it
 * one per n-gram. The probabilities are read by Lingua's own parser and stored as their natural logarithm, computed
 * as Lingua computes it ({@code (float) Math.log(p)}), so sums over them are bit for bit Lingua's.
 *
 * <p>Keys are the n-gram's UTF-16 chars, packed exactly: the first four in a long, the fifth beside it. Immutable
 * once built; safe to share between threads.
 */
final class NgramTables {
    static final int MAX_LENGTH = 5;
    private static final String[] FILE_NAMES = {"", "unigrams", "bigrams", "trigrams", "quadrigrams", "fivegrams"};

    private final Table[] tables = new Table[MAX_LENGTH + 1];

    /**
     * @param languages the languages, indexed by position in the answers of {@link #find}; at most 127
     */
    NgramTables(List<Language> languages) {
        if (languages.size() > Byte.MAX_VALUE) {
            throw new IllegalArgumentException("At most 127 languages, got " + languages.size());
        }
        for (int n = 1; n <= MAX_LENGTH; n++) {
            Table.Builder builder = new Table.Builder();
            for (int lang = 0; lang < languages.size(); lang++) {
                Object2FloatMap<String> model = load(languages.get(lang), n);
                for (Object2FloatMap.Entry<String> e : model.object2FloatEntrySet()) {
                    builder.add(e.getKey(), (byte) lang, (float) Math.log(e.getFloatValue()));
                }
            }
            tables[n] = builder.build();
        }
    }

    /** @return the table of n-grams of length {@code n} (1 to 5) */
    Table table(int n) {
        return tables[n];
    }

    /** @return how many distinct n-grams all tables hold */
    long size() {
        long size = 0;
        for (int n = 1; n <= MAX_LENGTH; n++) {
            size += tables[n].rows();
        }
        return size;
    }

    private static Object2FloatMap<String> load(Language language, int n) {
        String path = "/language-models/" + language.getIsoCode639_1().name().toLowerCase(Locale.ROOT) + "/"
                + FILE_NAMES[n] + ".json";
        try (InputStream in = Language.class.getResourceAsStream(path)) {
            if (in == null) {
                return new it.unimi.dsi.fastutil.objects.Object2FloatOpenHashMap<>(); // as Lingua: no model, no n-grams
            }
            return TrainingDataLanguageModel.Companion.fromJson(in);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read Lingua's language model " + path, e);
        }
    }

    /** One n-gram length: open-addressing slots pointing at rows of (language, ln p) pairs. */
    static final class Table {
        /** Slot i holds the packed first four chars at 2i and (fifth char << 32 | row + 1) at 2i + 1; 0 is empty. */
        private final long[] slots;
        private final int mask;
        /** Row r's pairs are at [rowStart[r], rowStart[r + 1]). */
        private final int[] rowStart;
        private final byte[] pairLanguage;
        private final float[] pairLnProbability;

        private Table(long[] slots, int[] rowStart, byte[] pairLanguage, float[] pairLnProbability) {
            this.slots = slots;
            this.mask = slots.length / 2 - 1;
            this.rowStart = rowStart;
            this.pairLanguage = pairLanguage;
            this.pairLnProbability = pairLnProbability;
        }

        int rows() {
            return rowStart.length - 1;
        }

        /**
         * @param text chars
         * @param from the n-gram's first index
         * @param length its length, the table's n
         * @return the row of the n-gram, or -1 when no language has it
         */
        int find(String text, int from, int length) {
            long head = head(text, from, length);
            long fifth = length == MAX_LENGTH ? text.charAt(from + 4) : 0;
            int slot = slotOf(head, fifth, mask);
            while (true) {
                long tail = slots[2 * slot + 1];
                if (tail == 0) {
                    return -1;
                }
                if (slots[2 * slot] == head && (tail >>> 32) == fifth) {
                    return (int) tail - 1;
                }
                slot = (slot + 1) & mask;
            }
        }

        int pairsFrom(int row) {
            return rowStart[row];
        }

        int pairsTo(int row) {
            return rowStart[row + 1];
        }

        byte language(int pair) {
            return pairLanguage[pair];
        }

        float lnProbability(int pair) {
            return pairLnProbability[pair];
        }

        private static long head(CharSequence s, int from, int length) {
            long head = 0;
            for (int i = 0; i < Math.min(length, 4); i++) {
                head = head << 16 | s.charAt(from + i);
            }
            return head;
        }

        private static int slotOf(long head, long fifth, int mask) {
            long h = (head ^ (fifth * 0x9E3779B97F4A7C15L)) * 0xBF58476D1CE4E5B9L;
            return (int) (h ^ (h >>> 31)) & mask;
        }

        /** Collects (n-gram, language, ln p) in any order, then lays rows out contiguously. */
        static final class Builder {
            private long[] slots = new long[2 * 1024];
            private int rows;
            private int pairs;
            private int[] pairRow = new int[1024];
            private byte[] pairLanguage = new byte[1024];
            private float[] pairLn = new float[1024];

            void add(String ngram, byte language, float lnProbability) {
                int row = rowOf(ngram);
                if (pairs == pairRow.length) {
                    pairRow = Arrays.copyOf(pairRow, pairs * 2);
                    pairLanguage = Arrays.copyOf(pairLanguage, pairs * 2);
                    pairLn = Arrays.copyOf(pairLn, pairs * 2);
                }
                pairRow[pairs] = row;
                pairLanguage[pairs] = language;
                pairLn[pairs] = lnProbability;
                pairs++;
            }

            private int rowOf(String ngram) {
                if (2L * (rows + 1) * 2 > slots.length) { // keep the load at most 1/2
                    rehash();
                }
                int length = ngram.length();
                long head = head(ngram, 0, length);
                long fifth = length == MAX_LENGTH ? ngram.charAt(4) : 0;
                int mask = slots.length / 2 - 1;
                int slot = slotOf(head, fifth, mask);
                while (slots[2 * slot + 1] != 0) {
                    if (slots[2 * slot] == head && (slots[2 * slot + 1] >>> 32) == fifth) {
                        return (int) slots[2 * slot + 1] - 1;
                    }
                    slot = (slot + 1) & mask;
                }
                slots[2 * slot] = head;
                slots[2 * slot + 1] = fifth << 32 | (rows + 1L);
                return rows++;
            }

            private void rehash() {
                long[] old = slots;
                slots = new long[old.length * 2];
                int mask = slots.length / 2 - 1;
                for (int i = 0; i < old.length; i += 2) {
                    if (old[i + 1] != 0) {
                        int slot = slotOf(old[i], old[i + 1] >>> 32, mask);
                        while (slots[2 * slot + 1] != 0) {
                            slot = (slot + 1) & mask;
                        }
                        slots[2 * slot] = old[i];
                        slots[2 * slot + 1] = old[i + 1];
                    }
                }
            }

            Table build() {
                int[] rowStart = new int[rows + 1];
                for (int p = 0; p < pairs; p++) {
                    rowStart[pairRow[p] + 1]++;
                }
                for (int r = 0; r < rows; r++) {
                    rowStart[r + 1] += rowStart[r];
                }
                int[] next = Arrays.copyOf(rowStart, rows);
                byte[] languages = new byte[pairs];
                float[] lns = new float[pairs];
                for (int p = 0; p < pairs; p++) {
                    int at = next[pairRow[p]]++;
                    languages[at] = pairLanguage[p];
                    lns[at] = pairLn[p];
                }
                return new Table(slots, rowStart, languages, lns);
            }
        }
    }
}
