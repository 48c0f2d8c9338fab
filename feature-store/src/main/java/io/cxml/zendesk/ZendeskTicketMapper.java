package io.cxml.zendesk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cxml.contract.RawInteraction;
import io.cxml.ingest.Rejection;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Maps one Zendesk ticket and its comments onto the raw interaction contract ({@link RawInteraction}); the contract's
 * own parser then validates and normalizes the result as it does for the file export. Every rule here is listed in
 * docs/zendesk.md. Stateless.
 */
public final class ZendeskTicketMapper {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Zendesk's {@code via.channel} -> the contract's channel. A channel not listed is quarantined with its value. */
    public static final Map<String, String> CHANNELS = channels();
    /** Satisfaction rating -> the contract's 1-5 CSAT: Zendesk's binary rating sits at the ends of the scale. */
    public static final Map<String, Integer> CSAT = Map.of("good", 5, "bad", 1);
    /** {@code account_id} of a ticket whose requester belongs to no organization. */
    public static final String NO_ORGANIZATION = "no_organization";
    /** The tag Zendesk sets on a ticket it closes by merging it into another. */
    public static final String MERGED_TAG = "closed_by_merge";
    /** The status of a deleted ticket in the incremental export. */
    public static final String DELETED = "deleted";
    /** The custom-field key under which the ticket form's id is kept (labels may come from the form). */
    public static final String TICKET_FORM_KEY = "ticket_form_id";
    private static final Set<String> SOLVED = Set.of("solved", "closed");
    private static final String SIDE_CONVERSATION = "side_conversation";

    private ZendeskTicketMapper() {}

    /** How a comment counts: only {@link #PUBLIC} ones become messages. */
    public enum CommentClass { PUBLIC, PRIVATE_NOTE, SIDE_CONVERSATION, ATTACHMENT_ONLY }

    private static Map<String, String> channels() {
        Map<String, List<String>> byContractChannel = Map.of(
                "email", List.of("email"),
                "web", List.of("web", "web_form", "web_widget", "web_service", "help_center", "mobile", "mobile_sdk",
                        "api", "closed_ticket", "rule", "sample_ticket"),
                "chat", List.of("chat", "chat_transcript", "native_messaging", "messaging", "sms", "any_channel"),
                "phone", List.of("voice", "phone", "phone_call_inbound", "phone_call_outbound", "voicemail"),
                "social", List.of("twitter", "facebook", "instagram_dm", "whatsapp", "line", "wechat",
                        "apple_business", "google_business_messages", "telegram", "viber"));
        Map<String, String> m = new TreeMap<>();
        byContractChannel.forEach((contract, zendesk) -> zendesk.forEach(z -> m.put(z, contract)));
        return Map.copyOf(m);
    }

    /**
     * @param event a child event of a ticket event, or an entry of the comments endpoint
     * @return true when it is a comment
     */
    static boolean isComment(JsonNode event) {
        String type = event.path("event_type").asText(event.path("type").asText(""));
        return type.equals("Comment") || type.equals("VoiceComment");
    }

    /**
     * @param comment a Zendesk comment
     * @return how it counts
     */
    public static CommentClass classify(JsonNode comment) {
        if (SIDE_CONVERSATION.equals(comment.path("via").path("channel").asText())
                || comment.hasNonNull("side_conversation_id")) {
            return CommentClass.SIDE_CONVERSATION;
        }
        if (!comment.path("public").asBoolean(true)) {
            return CommentClass.PRIVATE_NOTE;
        }
        return body(comment).isBlank() ? CommentClass.ATTACHMENT_ONLY : CommentClass.PUBLIC;
    }

    /** Plain text first (the API renders it from the HTML), then the body as sent. */
    private static String body(JsonNode comment) {
        String plain = comment.path("plain_body").asText("");
        return plain.isBlank() ? comment.path("body").asText("") : plain;
    }

    /**
     * @param ticket a ticket object of the Incremental Ticket Export
     * @return why the ticket is not ingested (deleted, or closed by a merge), or null
     */
    public static Rejection skipReason(JsonNode ticket) {
        if (DELETED.equals(ticket.path("status").asText())) {
            return Rejection.of(Rejection.DELETED_TICKET, null,
                    "Zendesk reports ticket " + ticket.path("id").asText() + " as deleted");
        }
        for (JsonNode tag : ticket.path("tags")) {
            if (MERGED_TAG.equals(tag.asText())) {
                return Rejection.of(Rejection.MERGED_TICKET, null,
                        "ticket " + ticket.path("id").asText() + " was closed by merging it into another ticket,"
                                + " which carries its conversation");
            }
        }
        return null;
    }

    /**
     * Maps one ticket version. Its messages are the public comments created up to the version's {@code updated_at};
     * when the export holds no comment of the ticket at all, its {@code description} (the first comment's text)
     * stands in as the one message.
     *
     * @param ticket a ticket object of the Incremental Ticket Export
     * @param publicComments the ticket's public comments with a body, sorted by creation time then id
     * @param anyComment whether the export holds any comment of the ticket (public or not)
     * @return a raw interaction as the contract's JSON
     */
    public static ObjectNode toRaw(JsonNode ticket, List<JsonNode> publicComments, boolean anyComment) {
        ObjectNode raw = JSON.createObjectNode();
        String requester = ZendeskExportReader.idOf(ticket, "requester_id");
        raw.put(RawInteraction.TICKET_ID, ZendeskExportReader.idOf(ticket, "id"));
        String organization = ZendeskExportReader.idOf(ticket, "organization_id");
        raw.put(RawInteraction.ACCOUNT_ID, organization == null ? NO_ORGANIZATION : organization);
        raw.put(RawInteraction.REQUESTER_ID, requester);
        String via = ticket.path("via").path("channel").asText("");
        // an unmapped channel goes through as it is: the contract's parser quarantines it, naming the value
        raw.put(RawInteraction.CHANNEL, via.isEmpty() ? null : CHANNELS.getOrDefault(via, via));
        copyText(ticket, "priority", raw, RawInteraction.PRIORITY);
        copyText(ticket, "created_at", raw, RawInteraction.CREATED_AT);
        copyText(ticket, "updated_at", raw, RawInteraction.UPDATED_AT);
        raw.put(RawInteraction.SOLVED_AT, solvedAt(ticket));
        String subject = ticket.path("subject").asText(ticket.path("raw_subject").asText(""));
        raw.put(RawInteraction.SUBJECT, subject);
        raw.set(RawInteraction.MESSAGES, messages(ticket, publicComments, anyComment, requester));
        ArrayNode tags = raw.putArray(RawInteraction.TAGS);
        ticket.path("tags").forEach(t -> tags.add(t.asText()));
        raw.put(RawInteraction.ASSIGNED_GROUP, ZendeskExportReader.idOf(ticket, "group_id"));
        String score = ticket.path("satisfaction_rating").path("score").asText("");
        if (CSAT.containsKey(score)) {
            raw.put(RawInteraction.CSAT, CSAT.get(score));
        }
        JsonNode metrics = ticket.path(ZendeskExportReader.METRIC_SET);
        raw.put(RawInteraction.REOPENED, metrics.path("reopens").asInt(0) > 0);
        raw.put(RawInteraction.ESCALATED, metrics.path("group_stations").asInt(0) > 1 || hasTag(ticket, "escalated"));
        raw.set(RawInteraction.CUSTOM_FIELDS, customFields(ticket));
        return raw;
    }

    /**
     * Solved and closed tickets: the metric set's {@code solved_at} when it was sideloaded, else {@code updated_at}
     * (for a closed ticket that is the close time, after the solve: handle time is then an upper bound).
     */
    private static String solvedAt(JsonNode ticket) {
        if (!SOLVED.contains(ticket.path("status").asText())) {
            return null;
        }
        JsonNode fromMetrics = ticket.path(ZendeskExportReader.METRIC_SET).path("solved_at");
        return fromMetrics.isTextual() ? fromMetrics.asText() : ticket.path("updated_at").asText(null);
    }

    private static ArrayNode messages(JsonNode ticket, List<JsonNode> comments, boolean anyComment,
            String requester) {
        ArrayNode out = JSON.createArrayNode();
        Instant version = instant(ticket.path("updated_at").asText(""));
        if (!anyComment) {
            String description = ticket.path("description").asText("");
            if (!description.isBlank()) {
                String submitter = ZendeskExportReader.idOf(ticket, "submitter_id");
                out.addObject().put(RawInteraction.MESSAGE_AUTHOR,
                                submitter == null || submitter.equals(requester) ? "customer" : "agent")
                        .put(RawInteraction.MESSAGE_SENT_AT, ticket.path("created_at").asText(null))
                        .put(RawInteraction.MESSAGE_BODY, description);
            }
            return out;
        }
        for (JsonNode c : comments) {
            Instant at = instant(c.path("created_at").asText(""));
            if (version != null && at != null && at.isAfter(version)) {
                continue; // written after this version of the ticket
            }
            String author = ZendeskExportReader.idOf(c, "author_id");
            out.addObject().put(RawInteraction.MESSAGE_AUTHOR,
                            author != null && author.equals(requester) ? "customer" : "agent")
                    .put(RawInteraction.MESSAGE_SENT_AT, c.path("created_at").asText(null))
                    .put(RawInteraction.MESSAGE_BODY, body(c));
        }
        return out;
    }

    /** Field id -> value as a string; multi-select values joined by commas; empty values left out. */
    private static ObjectNode customFields(JsonNode ticket) {
        Map<String, String> fields = new TreeMap<>();
        for (JsonNode f : ticket.path("custom_fields")) {
            String id = ZendeskExportReader.idOf(f, "id");
            JsonNode v = f.path("value");
            String value = v.isArray() ? joined(v) : v.isValueNode() && !v.isNull() ? v.asText() : "";
            if (id != null && !value.isBlank()) {
                fields.put(id, value);
            }
        }
        String form = ZendeskExportReader.idOf(ticket, "ticket_form_id");
        if (form != null) {
            fields.put(TICKET_FORM_KEY, form);
        }
        ObjectNode out = JSON.createObjectNode();
        fields.forEach(out::put);
        return out;
    }

    private static String joined(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(v -> values.add(v.asText()));
        return String.join(",", values);
    }

    private static boolean hasTag(JsonNode ticket, String tag) {
        for (JsonNode t : ticket.path("tags")) {
            if (tag.equals(t.asText())) {
                return true;
            }
        }
        return false;
    }

    private static void copyText(JsonNode from, String field, ObjectNode to, String as) {
        JsonNode v = from.path(field);
        if (v.isTextual()) {
            to.put(as, v.asText());
        }
    }

    /** Conversation order: creation time, then comment id (ids grow with time), unparseable times last. */
    static final Comparator<JsonNode> CONVERSATION_ORDER = Comparator
            .comparing((JsonNode c) -> instant(c.path("created_at").asText("")),
                    Comparator.nullsLast(Comparator.naturalOrder()))
            .thenComparing(c -> c.path("id").asLong(Long.MAX_VALUE));

    static Instant instant(String iso) {
        try {
            return iso.isEmpty() ? null : OffsetDateTime.parse(iso).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
