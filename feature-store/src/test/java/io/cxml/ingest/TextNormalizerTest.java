package io.cxml.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.text.Normalizer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TextNormalizerTest {

    @Test
    void composesToNfcAndCollapsesWhitespace() {
        String decomposed = Normalizer.normalize("Grüße  aus\u00A0Köln\t\n\n  bitte", Normalizer.Form.NFD);
        assertThat(TextNormalizer.normalize(decomposed)).isEqualTo("Grüße aus Köln bitte");
        assertThat(Normalizer.isNormalized(TextNormalizer.normalize(decomposed), Normalizer.Form.NFC)).isTrue();
    }

    /** The normalizer skips NFC for text below U+0300: every such char, and every pair (composition is pairwise). */
    @Test
    void textBelowU0300IsAlreadyNfc() {
        java.util.List<String> changed = new java.util.ArrayList<>();
        for (char a = 0; a < 0x300; a++) {
            for (char b = 0; b < 0x300; b++) {
                String pair = new String(new char[] {a, b});
                if (!Normalizer.normalize(pair, Normalizer.Form.NFC).equals(pair)) {
                    changed.add(String.format("U+%04X U+%04X", (int) a, (int) b));
                }
            }
        }
        assertThat(changed).isEmpty();
        assertThat(TextNormalizer.normalize("Cafe\u0301 bitte")).isEqualTo("Café bitte"); // above: still composed
    }

    @Test
    void dropsInvisibleCharacters() {
        assertThat(TextNormalizer.normalize("card\u200B not\u0007 working\uFEFF")).isEqualTo("card not working");
    }

    @Test
    void nullAndBlankBecomeEmpty() {
        assertThat(TextNormalizer.normalize(null)).isEmpty();
        assertThat(TextNormalizer.normalize(" \n\t ")).isEmpty();
    }

    @Test
    void stripsQuotedReplyBelowItsHeader() {
        String mail = "Still no card, please help.\n\nOn 2026-01-05T10:00:00Z, Support <s@x.example> wrote:\n"
                + "> Thanks for reaching out.\n> We are on it.";
        assertThat(TextNormalizer.normalize(mail)).isEqualTo("Still no card, please help.");
    }

    @Test
    void stripsQuotedLinesEvenWithoutHeader() {
        assertThat(TextNormalizer.normalize("> old text\nnew question")).isEqualTo("new question");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "Hi,\\n\\nMy card has not arrived.\\n\\nBest regards,\\nMaria|Hi, My card has not arrived.",
        "Hallo,\\n\\nWo ist meine Karte?\\n\\nViele Grüße\\nJonas|Hallo, Wo ist meine Karte?",
        "Hi,\\n\\nTop up failed.\\n\\n-- \\nAlex\\n+1 555 0100|Hi, Top up failed.",
        "Top up failed.\\n\\nSent from my iPhone|Top up failed.",
    })
    void stripsSignatures(String raw, String expected) {
        assertThat(TextNormalizer.normalize(raw.replace("\\n", "\n"))).isEqualTo(expected);
    }

    @Test
    void keepsASignOffWordThatIsTheMessageItself() {
        assertThat(TextNormalizer.normalize("Thanks")).isEqualTo("Thanks");
        assertThat(TextNormalizer.normalize("thanks for the quick help, all good now"))
                .isEqualTo("thanks for the quick help, all good now");
    }
}
