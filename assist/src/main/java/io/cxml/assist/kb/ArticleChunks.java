package io.cxml.assist.kb;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * How an article becomes texts to embed: its body cut into windows of {@code words} words that overlap by
 * {@code overlap} words, each prefixed with the title (the title says what the passage is about, and a short
 * article is one chunk: title + body). Text without spaces (Japanese, Chinese) is cut by characters instead, three
 * characters counting as a word. An article's score is its best chunk's, so a long article is found by the passage
 * that answers the ticket; chunks stay under the encoder's token limit (128 by default: about 60 words plus title).
 *
 * @param words words per chunk
 * @param overlap words shared by consecutive chunks
 */
public record ArticleChunks(int words, int overlap) implements Serializable {
    /** Chars that count as one word in text without spaces. */
    static final int CHARS_PER_WORD = 3;

    /** Checks the sizes. */
    public ArticleChunks {
        if (words < 1 || overlap < 0 || overlap >= words) {
            throw new IllegalArgumentException("Cannot chunk articles: need chunk-words >= 1 and 0 <= chunk-overlap < "
                    + "chunk-words, got " + words + " and " + overlap);
        }
    }

    /**
     * @param title the title
     * @param body the body
     * @return the chunk texts, at least one
     */
    public List<String> split(String title, String body) {
        String head = title == null || title.isBlank() ? "" : title.strip() + "\n";
        String text = body == null ? "" : body.strip();
        List<String> out = new ArrayList<>();
        String[] tokens = text.isEmpty() ? new String[0] : text.split("\\s+");
        boolean spaced = tokens.length > 1 || text.length() <= words * CHARS_PER_WORD;
        if (spaced) {
            int step = words - overlap;
            for (int start = 0; start == 0 || start + overlap < tokens.length; start += step) {
                int end = Math.min(tokens.length, start + words);
                out.add(head + String.join(" ", java.util.Arrays.asList(tokens).subList(start, end)));
                if (end == tokens.length) {
                    break;
                }
            }
        } else {
            int size = words * CHARS_PER_WORD;
            int step = (words - overlap) * CHARS_PER_WORD;
            for (int start = 0; start < text.length(); start += step) {
                out.add(head + text.substring(start, Math.min(text.length(), start + size)));
                if (start + size >= text.length()) {
                    break;
                }
            }
        }
        return out;
    }
}
