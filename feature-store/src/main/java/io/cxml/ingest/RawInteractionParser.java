package io.cxml.ingest;

import static io.cxml.contract.RawInteraction.*;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Validates one raw export line against the contract ({@link io.cxml.contract.RawInteraction}) and normalizes it.
 * Every failure is a {@link Rejection} with a reason, never an exception: the ingest job quarantines the line and
 * goes on. Thread-safe.
 */
public final class RawInteractionParser {
    private static final ObjectMapper JSON =
            new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private static final int DETAIL_MAX = 200;

    private final int maxTextChars;

    /** @param maxTextChars longest accepted subject or message body, in characters, before normalization */
    public RawInteractionParser(int maxTextChars) {
        if (maxTextChars <= 0) {
            throw new IllegalArgumentException("Cannot parse with maxTextChars=" + maxTextChars + ": must be > 0");
        }
        this.maxTextChars = maxTextChars;
    }

    /** The outcome of parsing one line: exactly one of {@code interaction} and {@code rejection} is set. */
    public record Result(ParsedInteraction interaction, Rejection rejection) {
        static Result ok(ParsedInteraction interaction) {
            return new Result(interaction, null);
        }

        static Result rejected(String kind, String field, String detail) {
            return new Result(null, Rejection.of(kind, field, detail));
        }

        /** @return true when the line was accepted */
        public boolean isValid() {
            return interaction != null;
        }
    }

    /**
     * Parses and validates one line.
     *
     * @param line the raw line (without the line terminator)
     * @return the parsed interaction or the reason it was rejected
     */
    public Result parse(String line) {
        if (line == null || line.isBlank()) {
            return Result.rejected(Rejection.BLANK_LINE, null, "empty line in the export");
        }
        JsonNode node;
        try {
            node = JSON.readTree(line);
        } catch (JsonProcessingException e) {
            return Result.rejected(Rejection.MALFORMED_JSON, null, truncate(e.getOriginalMessage()));
        }
        if (node == null || !node.isObject()) {
            return Result.rejected(Rejection.NOT_AN_OBJECT, null, "top-level JSON value is not an object");
        }
        try {
            return Result.ok(toInteraction(node));
        } catch (InvalidRecord e) {
            return new Result(null, e.rejection);
        }
    }

    private ParsedInteraction toInteraction(JsonNode node) {
        ParsedInteraction p = new ParsedInteraction();
        p.ticketId = requiredId(node, TICKET_ID);
        p.accountId = requiredId(node, ACCOUNT_ID);
        p.requesterId = optionalString(node, REQUESTER_ID);
        p.channel = enumValue(node, CHANNEL, CHANNELS, null);
        p.priority = enumValue(node, PRIORITY, PRIORITIES, "normal");
        p.createdAt = requiredTimestamp(node, CREATED_AT);
        p.updatedAt = requiredTimestamp(node, UPDATED_AT);
        p.solvedAt = optionalTimestamp(node, SOLVED_AT);
        if (p.updatedAt.isBefore(p.createdAt)) {
            throw invalid(Rejection.INVALID_TIMESTAMP, UPDATED_AT, "updated_at is before created_at");
        }
        String rawSubject = optionalString(node, SUBJECT);
        checkSize(SUBJECT, rawSubject);
        p.subject = TextNormalizer.normalize(rawSubject);
        p.messages = messages(node);
        p.firstMessage = "";
        for (ParsedInteraction.Message m : p.messages) {
            if ("customer".equals(m.author()) && !m.body().isEmpty()) {
                p.firstMessage = m.body();
                break;
            }
        }
        p.text = p.subject.isEmpty() ? p.firstMessage
                : p.firstMessage.isEmpty() ? p.subject : p.subject + " " + p.firstMessage;
        if (p.text.isEmpty()) {
            throw invalid(Rejection.EMPTY_TEXT, null, "no subject and no customer message text after normalization");
        }
        p.tags = stringList(node, TAGS);
        p.assignedGroup = optionalString(node, ASSIGNED_GROUP);
        p.csat = csat(node);
        p.reopened = optionalBoolean(node, REOPENED);
        p.escalated = optionalBoolean(node, ESCALATED);
        p.customFields = customFields(node);
        JsonNode truth = node.get(TRUTH);
        if (truth != null && truth.isObject()) {
            p.trueIntent = truth.path(TRUTH_INTENT).isTextual() ? truth.get(TRUTH_INTENT).asText() : null;
            p.trueLanguage = truth.path(TRUTH_LANGUAGE).isTextual() ? truth.get(TRUTH_LANGUAGE).asText() : null;
        }
        return p;
    }

    private List<ParsedInteraction.Message> messages(JsonNode node) {
        JsonNode array = node.get(MESSAGES);
        if (array == null || array.isNull()) {
            return List.of();
        }
        if (!array.isArray()) {
            throw invalid(Rejection.WRONG_TYPE, MESSAGES, "expected an array, got " + array.getNodeType());
        }
        List<ParsedInteraction.Message> out = new ArrayList<>(array.size());
        for (int i = 0; i < array.size(); i++) {
            JsonNode m = array.get(i);
            String field = MESSAGES + "[" + i + "]";
            if (!m.isObject()) {
                throw invalid(Rejection.WRONG_TYPE, field, "expected an object, got " + m.getNodeType());
            }
            String author = enumValue(m, MESSAGE_AUTHOR, AUTHORS, "customer");
            JsonNode body = m.get(MESSAGE_BODY);
            if (body != null && !body.isNull() && !body.isTextual()) {
                throw invalid(Rejection.WRONG_TYPE, field + "." + MESSAGE_BODY, "expected a string");
            }
            String raw = body == null || body.isNull() ? "" : body.asText();
            checkSize(field + "." + MESSAGE_BODY, raw);
            out.add(new ParsedInteraction.Message(author, optionalTimestamp(m, MESSAGE_SENT_AT),
                    TextNormalizer.normalize(raw)));
        }
        return out;
    }

    private void checkSize(String field, String value) {
        if (value != null && value.length() > maxTextChars) {
            throw invalid(Rejection.TEXT_TOO_LARGE, field,
                    value.length() + " characters, limit " + maxTextChars + " (cxml.ingest.max-text-chars)");
        }
    }

    private static String requiredId(JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            throw invalid(Rejection.MISSING_FIELD, field, field + " is absent or null");
        }
        if (!v.isTextual()) {
            throw invalid(Rejection.WRONG_TYPE, field, "expected a string, got " + v.getNodeType() + " " + v);
        }
        String s = v.asText().trim();
        if (s.isEmpty()) {
            throw invalid(Rejection.MISSING_FIELD, field, field + " is empty");
        }
        return s;
    }

    private static String optionalString(JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw invalid(Rejection.WRONG_TYPE, field, "expected a string, got " + v.getNodeType());
        }
        return v.asText();
    }

    private static String enumValue(JsonNode node, String field, List<String> allowed, String fallback) {
        String v = optionalString(node, field);
        if (v == null) {
            if (fallback == null) {
                throw invalid(Rejection.MISSING_FIELD, field, field + " is absent or null");
            }
            return fallback;
        }
        String lower = v.trim().toLowerCase(java.util.Locale.ROOT);
        if (!allowed.contains(lower)) {
            throw invalid(Rejection.INVALID_VALUE, field, "'" + truncate(v) + "' is not one of " + allowed);
        }
        return lower;
    }

    private static Instant requiredTimestamp(JsonNode node, String field) {
        Instant t = optionalTimestamp(node, field);
        if (t == null) {
            throw invalid(Rejection.MISSING_FIELD, field, field + " is absent or null");
        }
        return t;
    }

    private static Instant optionalTimestamp(JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw invalid(Rejection.WRONG_TYPE, field, "expected an ISO-8601 string, got " + v.getNodeType());
        }
        try {
            return OffsetDateTime.parse(v.asText()).toInstant();
        } catch (DateTimeParseException e) {
            throw invalid(Rejection.INVALID_TIMESTAMP, field,
                    "'" + truncate(v.asText()) + "' is not ISO-8601 with an offset, e.g. 2026-01-31T09:15:00Z");
        }
    }

    private static boolean optionalBoolean(JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return false;
        }
        if (!v.isBoolean()) {
            throw invalid(Rejection.WRONG_TYPE, field, "expected true/false, got " + v.getNodeType());
        }
        return v.booleanValue();
    }

    private static Integer csat(JsonNode node) {
        JsonNode v = node.get(CSAT);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isIntegralNumber()) {
            throw invalid(Rejection.WRONG_TYPE, CSAT, "expected an integer 1-5, got " + v.getNodeType() + " " + v);
        }
        int score = v.intValue();
        if (score < 1 || score > 5) {
            throw invalid(Rejection.INVALID_VALUE, CSAT, score + " is outside 1-5");
        }
        return score;
    }

    private static List<String> stringList(JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return List.of();
        }
        if (!v.isArray()) {
            throw invalid(Rejection.WRONG_TYPE, field, "expected an array of strings");
        }
        List<String> out = new ArrayList<>(v.size());
        for (JsonNode item : v) {
            if (!item.isTextual()) {
                throw invalid(Rejection.WRONG_TYPE, field, "expected an array of strings");
            }
            out.add(item.asText());
        }
        return out;
    }

    /** Field name to text; null values are fields nobody set, numbers and booleans keep their JSON text. */
    private static Map<String, String> customFields(JsonNode node) {
        JsonNode v = node.get(CUSTOM_FIELDS);
        if (v == null || v.isNull()) {
            return Map.of();
        }
        if (!v.isObject()) {
            throw invalid(Rejection.WRONG_TYPE, CUSTOM_FIELDS, "expected an object of field name to string value");
        }
        Map<String, String> out = new TreeMap<>();
        for (Map.Entry<String, JsonNode> field : v.properties()) {
            JsonNode value = field.getValue();
            if (value.isNull()) {
                continue;
            }
            if (!value.isValueNode()) {
                throw invalid(Rejection.WRONG_TYPE, CUSTOM_FIELDS + "." + field.getKey(),
                        "expected a string, got " + value.getNodeType());
            }
            out.put(field.getKey(), value.asText());
        }
        return out;
    }

    private static String truncate(String s) {
        if (s == null) {
            return null;
        }
        return s.length() <= DETAIL_MAX ? s : s.substring(0, DETAIL_MAX) + "...";
    }

    private static InvalidRecord invalid(String kind, String field, String detail) {
        return new InvalidRecord(Rejection.of(kind, field, detail));
    }

    /** Control flow for the first contract violation found; no stack trace, it is not an error of ours. */
    private static final class InvalidRecord extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final transient Rejection rejection;

        InvalidRecord(Rejection rejection) {
            super(rejection.reason(), null, false, false);
            this.rejection = rejection;
        }
    }
}
