package io.cxml.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RawInteractionParserTest {
    private static final String VALID = "{\"ticket_id\":\"T1\",\"account_id\":\"acct-1\",\"requester_id\":\"c1\","
            + "\"channel\":\"Email\",\"priority\":\"high\",\"created_at\":\"2026-01-02T10:00:00Z\","
            + "\"updated_at\":\"2026-01-02T12:00:00+01:00\",\"solved_at\":\"2026-01-02T11:30:00Z\","
            + "\"subject\":\"Card  missing\",\"messages\":[{\"author\":\"agent\",\"body\":\"auto reply\"},"
            + "{\"author\":\"customer\",\"sent_at\":\"2026-01-02T10:00:00Z\",\"body\":\"Where is my card?\\n\\n"
            + "Thanks,\\nAlex\"}],\"tags\":[\"email\"],\"assigned_group\":\"cards\",\"csat\":4,\"reopened\":false,"
            + "\"escalated\":true,\"custom_fields\":{\"contact_reason\":\"card_arrival\",\"form\":\"cards\","
            + "\"order_no\":1234,\"vip\":true,\"unset\":null},\"_truth\":{\"intent\":\"card_arrival\",\"language\":\"en\"}}";

    private final RawInteractionParser parser = new RawInteractionParser(1000);

    @Test
    void parsesAndNormalizesAValidRecord() {
        RawInteractionParser.Result result = parser.parse(VALID);

        assertThat(result.isValid()).isTrue();
        ParsedInteraction p = result.interaction();
        assertThat(p.ticketId).isEqualTo("T1");
        assertThat(p.channel).isEqualTo("email");
        assertThat(p.updatedAt).isEqualTo(Instant.parse("2026-01-02T11:00:00Z"));
        assertThat(p.subject).isEqualTo("Card missing");
        assertThat(p.firstMessage).isEqualTo("Where is my card?");
        assertThat(p.text).isEqualTo("Card missing Where is my card?");
        assertThat(p.messages).hasSize(2);
        assertThat(p.csat).isEqualTo(4);
        assertThat(p.escalated).isTrue();
        assertThat(p.trueIntent).isEqualTo("card_arrival");
        assertThat(p.trueLanguage).isEqualTo("en");
        assertThat(p.customFields).containsExactly(java.util.Map.entry("contact_reason", "card_arrival"),
                java.util.Map.entry("form", "cards"), java.util.Map.entry("order_no", "1234"),
                java.util.Map.entry("vip", "true"));
        assertThat(parser.parse(VALID.replaceAll(",\"custom_fields\":\\{[^}]*}", "")).interaction().customFields)
                .isEmpty();
    }

    static Stream<Arguments> badRecords() {
        return Stream.of(
                Arguments.of("{\"ticket_id\":\"T1\",", "malformed_json"),
                Arguments.of("[1,2]", "not_an_object"),
                Arguments.of("   ", "blank_line"),
                Arguments.of(VALID + " trailing", "malformed_json"),
                Arguments.of(VALID.replace("\"ticket_id\":\"T1\",", ""), "missing_field:ticket_id"),
                Arguments.of(VALID.replace("\"ticket_id\":\"T1\"", "\"ticket_id\":\"  \""), "missing_field:ticket_id"),
                Arguments.of(VALID.replace("\"ticket_id\":\"T1\"", "\"ticket_id\":17"), "wrong_type:ticket_id"),
                Arguments.of(VALID.replace("\"account_id\":\"acct-1\",", ""), "missing_field:account_id"),
                Arguments.of(VALID.replace("\"csat\":4", "\"csat\":\"five\""), "wrong_type:csat"),
                Arguments.of(VALID.replace("\"csat\":4", "\"csat\":9"), "invalid_value:csat"),
                Arguments.of(VALID.replace("{\"contact_reason\"", "[{\"contact_reason\"").replace("\"unset\":null}",
                        "\"unset\":null}]"), "wrong_type:custom_fields"),
                Arguments.of(VALID.replace("\"form\":\"cards\"", "\"form\":[\"cards\"]"),
                        "wrong_type:custom_fields.form"),
                Arguments.of(VALID.replace("\"channel\":\"Email\"", "\"channel\":\"fax\""), "invalid_value:channel"),
                Arguments.of(VALID.replace("2026-01-02T10:00:00Z\",\"updated", "yesterday\",\"updated"),
                        "invalid_timestamp:created_at"),
                Arguments.of(VALID.replace("2026-01-02T10:00:00Z\",\"updated", "2026-02-30T25:61:00Z\",\"updated"),
                        "invalid_timestamp:created_at"),
                Arguments.of(VALID.replace("2026-01-02T12:00:00+01:00", "2026-01-01T00:00:00Z"),
                        "invalid_timestamp:updated_at"),
                Arguments.of(VALID.replace("\"reopened\":false", "\"reopened\":\"no\""), "wrong_type:reopened"),
                Arguments.of(VALID.replace("\"tags\":[\"email\"]", "\"tags\":\"email\""), "wrong_type:tags"),
                Arguments.of(VALID.replace("\"subject\":\"Card  missing\",", "")
                        .replace("Where is my card?\\n\\nThanks,\\nAlex", " "), "empty_text"),
                Arguments.of(VALID.replace("Where is my card?", "x".repeat(1001)), "text_too_large:messages[1].body"));
    }

    @ParameterizedTest
    @MethodSource("badRecords")
    void rejectsWithAReason(String line, String reason) {
        RawInteractionParser.Result result = parser.parse(line);

        assertThat(result.isValid()).isFalse();
        assertThat(result.rejection().reason()).isEqualTo(reason);
        assertThat(result.rejection().detail()).isNotBlank();
    }

    @Test
    void missingOptionalFieldsTakeDefaults() {
        String minimal = "{\"ticket_id\":\"T9\",\"account_id\":\"a\",\"channel\":\"chat\","
                + "\"created_at\":\"2026-01-01T00:00:00Z\",\"updated_at\":\"2026-01-01T00:00:00Z\","
                + "\"messages\":[{\"body\":\"hello, my app crashes\"}]}";
        ParsedInteraction p = parser.parse(minimal).interaction();

        assertThat(p.priority).isEqualTo("normal");
        assertThat(p.tags).isEmpty();
        assertThat(p.csat).isNull();
        assertThat(p.reopened).isFalse();
        assertThat(p.text).isEqualTo("hello, my app crashes");
    }
}
