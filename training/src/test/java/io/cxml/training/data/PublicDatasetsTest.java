package io.cxml.training.data;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.cxml.training.data.PublicDatasets.XsidSentence;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** xSID CoNLL files: a sentence's text, intent and id come from its own block, whatever the comment order. */
class PublicDatasetsTest {
    @Test
    void xsidPairsEachTextWithItsOwnIntentInEveryCommentOrder(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("en.valid.conll"), """
                # text = will it rain
                # intent = weather/find
                1\twill\tweather/find\tO

                # text = set an alarm
                # intent = alarm/set_alarm
                1\tset\talarm/set_alarm\tO
                """);
        // de-ba puts '# intent' before '# text' (the real file does); the last block has no trailing blank line
        Files.writeString(dir.resolve("de-ba.valid.conll"), """
                # id = 1
                # intent = weather/find
                # text-en = will it rain
                # text = werds regna
                1\twerds\tweather/find\tO

                # id = 2
                # intent = alarm/set_alarm
                # text-en = set an alarm
                # text = stell an Wegga
                1\tstell\talarm/set_alarm\tO""");
        Files.writeString(dir.resolve("no.valid.conll"), """
                # id = 2/1
                # text = sett en alarm
                # intent = alarm/set_alarm
                1\tsett\talarm/set_alarm\tO

                # id = 1/1
                # text = blir det regn
                # intent = weather/find
                1\tblir\tweather/find\tO
                """);
        List<XsidSentence> sentences = PublicDatasets.xsidSentences(dir);
        assertEquals(6, sentences.size());
        for (XsidSentence s : sentences) {
            String expected = s.id().contains("rain") ? "weather/find" : "alarm/set_alarm";
            assertEquals(expected, s.example().label(), s.example().language() + ": " + s.example().text());
        }
        assertEquals("werds regna", sentences.stream().filter(s -> s.example().language().equals("de-ba")
                && s.id().equals("will it rain")).findFirst().orElseThrow().example().text());
    }
}
