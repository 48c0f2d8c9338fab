package io.cxml.training.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class CsvTest {
    @Test
    void parsesQuotesDoubledQuotesAndNewlinesInsideFields() {
        String content = "text,category\r\n\"Hi, where is \"\"my\"\" card?\nStill waiting\",card_arrival\nplain,x\n\n";
        List<List<String>> rows = Csv.parse(content);
        assertThat(rows).containsExactly(List.of("text", "category"),
                List.of("Hi, where is \"my\" card?\nStill waiting", "card_arrival"), List.of("plain", "x"));
    }
}
