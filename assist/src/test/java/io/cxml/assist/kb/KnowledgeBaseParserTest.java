package io.cxml.assist.kb;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Timestamp;
import java.time.Instant;
import org.apache.spark.sql.Row;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class KnowledgeBaseParserTest {
    private static final String GOOD = "{\"article_id\":\"kb-1\",\"account_id\":\"acct-0001\",\"locale\":\"DE\","
            + "\"title\":\" Karte sperren \",\"body\":\"So sperren Sie Ihre Karte.\",\"updated_at\":"
            + "\"2026-01-03T10:00:00Z\",\"archived\":false,\"_truth\":{\"intent\":\"lost_or_stolen_card\"}}";

    @Test
    void acceptsAVersionAndKeepsTheTruthApart() {
        KnowledgeBaseParser.Result r = new KnowledgeBaseParser(1000).parse(GOOD, "f.jsonl", 3);
        assertThat(r.isValid()).isTrue();
        Row row = r.row();
        assertThat(row.getString(2)).isEqualTo("de");
        assertThat(row.getString(3)).isEqualTo("Karte sperren");
        assertThat(row.<Timestamp>getAs(5)).isEqualTo(Timestamp.from(Instant.parse("2026-01-03T10:00:00Z")));
        assertThat(row.getString(7)).isEqualTo("lost_or_stolen_card");
        assertThat(row.getLong(9)).isEqualTo(3);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{\"article_id\":1}|wrong_type:article_id",
        "not json|malformed_json",
        "[1]|not_an_object",
        "GOOD-locale|missing_field:locale",
        "GOOD-time|invalid_timestamp:updated_at",
        "GOOD-archived|wrong_type:archived",
        "GOOD-empty|empty_text",
        "GOOD-big|text_too_large",
        "GOOD-badlocale|invalid_value:locale"})
    void rejectsWithAReason(String line, String reason) {
        String input = switch (line) {
            case "GOOD-locale" -> GOOD.replace("\"locale\":\"DE\",", "");
            case "GOOD-time" -> GOOD.replace("2026-01-03T10:00:00Z", "yesterday");
            case "GOOD-archived" -> GOOD.replace("\"archived\":false", "\"archived\":\"no\"");
            case "GOOD-empty" -> GOOD.replace(" Karte sperren ", " ").replace("So sperren Sie Ihre Karte.", "");
            case "GOOD-big" -> GOOD.replace("So sperren", "x".repeat(2000));
            case "GOOD-badlocale" -> GOOD.replace("\"DE\"", "\"Deutsch!\"");
            default -> line;
        };
        KnowledgeBaseParser.Result r = new KnowledgeBaseParser(1000).parse(input, "f.jsonl", 1);
        assertThat(r.isValid()).isFalse();
        assertThat(r.rejection().reason()).isEqualTo(reason);
    }
}
