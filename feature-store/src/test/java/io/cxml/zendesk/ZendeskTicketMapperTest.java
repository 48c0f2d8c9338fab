package io.cxml.zendesk;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cxml.contract.RawInteraction;
import io.cxml.ingest.Rejection;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The mapping rules of docs/zendesk.md, one ticket or comment at a time, without Spark. */
class ZendeskTicketMapperTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode json(String text) throws Exception {
        return JSON.readTree(text.replace('\'', '"'));
    }

    @Test
    void mapsTheTicketFieldsOntoTheContract() throws Exception {
        JsonNode ticket = json("{'id': 42, 'organization_id': null, 'requester_id': 7, 'via': {'channel': 'whatsapp'},"
                + " 'priority': null, 'status': 'closed', 'created_at': '2026-03-01T08:00:00Z',"
                + " 'updated_at': '2026-03-05T08:00:00Z', 'subject': 'Hi', 'tags': ['a'], 'group_id': 3,"
                + " 'satisfaction_rating': {'score': 'offered'}, 'ticket_form_id': 9,"
                + " 'custom_fields': [{'id': 1, 'value': ['x', 'y']}, {'id': 2, 'value': true}, {'id': 3, 'value': ''}]}");
        JsonNode comment = json("{'id': 1, 'author_id': 7, 'public': true, 'body': 'Hello', 'created_at':"
                + " '2026-03-01T08:00:00Z'}");

        JsonNode raw = ZendeskTicketMapper.toRaw(ticket, List.of(comment), true);

        assertThat(raw.get(RawInteraction.TICKET_ID).asText()).isEqualTo("42");
        assertThat(raw.get(RawInteraction.ACCOUNT_ID).asText()).isEqualTo(ZendeskTicketMapper.NO_ORGANIZATION);
        assertThat(raw.get(RawInteraction.CHANNEL).asText()).isEqualTo("social");
        assertThat(raw.has(RawInteraction.PRIORITY)).isFalse(); // the contract's parser defaults it to normal
        assertThat(raw.get(RawInteraction.SOLVED_AT).asText()).isEqualTo("2026-03-05T08:00:00Z");
        assertThat(raw.has(RawInteraction.CSAT)).isFalse();
        assertThat(raw.get(RawInteraction.ASSIGNED_GROUP).asText()).isEqualTo("3");
        assertThat(raw.get(RawInteraction.CUSTOM_FIELDS)).isEqualTo(
                json("{'1': 'x,y', '2': 'true', 'ticket_form_id': '9'}"));
        assertThat(raw.get(RawInteraction.MESSAGES).get(0).get(RawInteraction.MESSAGE_AUTHOR).asText())
                .isEqualTo("customer");
    }

    @Test
    void anUnmappedChannelGoesThroughForTheContractToQuarantine() throws Exception {
        JsonNode raw = ZendeskTicketMapper.toRaw(json("{'id': 1, 'via': {'channel': 'fax'}}"), List.of(), false);
        assertThat(raw.get(RawInteraction.CHANNEL).asText()).isEqualTo("fax");
    }

    @Test
    void classifiesComments() throws Exception {
        assertThat(ZendeskTicketMapper.classify(json("{'public': true, 'body': 'x'}")))
                .isEqualTo(ZendeskTicketMapper.CommentClass.PUBLIC);
        assertThat(ZendeskTicketMapper.classify(json("{'public': false, 'body': 'x'}")))
                .isEqualTo(ZendeskTicketMapper.CommentClass.PRIVATE_NOTE);
        assertThat(ZendeskTicketMapper.classify(json("{'public': true, 'body': 'x', 'via': {'channel':"
                + " 'side_conversation'}}"))).isEqualTo(ZendeskTicketMapper.CommentClass.SIDE_CONVERSATION);
        assertThat(ZendeskTicketMapper.classify(json("{'public': true, 'body': ' ', 'attachments': [{'id': 1}]}")))
                .isEqualTo(ZendeskTicketMapper.CommentClass.ATTACHMENT_ONLY);
    }

    @Test
    void deletedAndMergedTicketsAreSkippedWithTheirReason() throws Exception {
        assertThat(ZendeskTicketMapper.skipReason(json("{'id': 1, 'status': 'deleted'}")).reason())
                .isEqualTo(Rejection.DELETED_TICKET);
        assertThat(ZendeskTicketMapper.skipReason(json("{'id': 1, 'status': 'closed', 'tags': ['closed_by_merge']}"))
                .reason()).isEqualTo(Rejection.MERGED_TICKET);
        assertThat(ZendeskTicketMapper.skipReason(json("{'id': 1, 'status': 'closed'}"))).isNull();
    }

    @Test
    void bytesThatAreNotUtf8AreReplacedAndCounted() {
        byte[] latin1 = "{\"id\": 5, \"subject\": \"caf\u00e9\"}".getBytes(StandardCharsets.ISO_8859_1);
        List<ZendeskRecord> records = ZendeskExportReader.records(ZendeskExportReader.decode(latin1), "f.jsonl", 3);
        assertThat(records).singleElement().satisfies(r -> {
            assertThat(r.kind()).isEqualTo(ZendeskRecord.Kind.TICKET);
            assertThat(r.replacedChars()).isEqualTo(1);
            assertThat(r.json()).contains("caf\uFFFD");
        });
    }
}
