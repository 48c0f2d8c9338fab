package io.cxml.contract;

import java.util.List;

/**
 * Field names of the raw interaction export: one JSON object per ticket version, one object per line, in
 * {@code raw/interactions/dt=YYYY-MM-DD/*.jsonl[.gz]}. The export is what a help-desk tool (or its CDC feed) writes
 * to S3; {@code dt} is the date of {@code updated_at}.
 */
public final class RawInteraction {
    private RawInteraction() {}

    public static final String TICKET_ID = "ticket_id";
    public static final String ACCOUNT_ID = "account_id";
    public static final String REQUESTER_ID = "requester_id";
    public static final String CHANNEL = "channel";
    public static final String PRIORITY = "priority";
    public static final String CREATED_AT = "created_at";
    public static final String UPDATED_AT = "updated_at";
    public static final String SOLVED_AT = "solved_at";
    public static final String SUBJECT = "subject";
    public static final String MESSAGES = "messages";
    public static final String MESSAGE_AUTHOR = "author";
    public static final String MESSAGE_SENT_AT = "sent_at";
    public static final String MESSAGE_BODY = "body";
    public static final String TAGS = "tags";
    public static final String ASSIGNED_GROUP = "assigned_group";
    public static final String CSAT = "csat";
    public static final String REOPENED = "reopened";
    public static final String ESCALATED = "escalated";
    /**
     * Optional: the help desk's agent-set fields (custom fields, ticket form) as a JSON object of field name to string
     * value, e.g. {@code {"contact_reason": "card_arrival"}}. Intent labels come from here
     * ({@code cxml.training.labels}), never from {@link #TRUTH}.
     */
    public static final String CUSTOM_FIELDS = "custom_fields";
    /**
     * Hidden ground truth, present only in generated sample data and read only to measure (label error rate, accuracy
     * against the truth): {"intent": ..., "language": ..., "tone": ...,
     * "sentence": ...}.
     */
    public static final String TRUTH = "_truth";
    public static final String TRUTH_INTENT = "intent";
    public static final String TRUTH_LANGUAGE = "language";
    /** The customer's tone in follow-up messages: negative, neutral or positive. */
    public static final String TRUTH_TONE = "tone";
    /** The corpus sentence the opening message was made from, {@code <language>/<intent>/<index>}. */
    public static final String TRUTH_SENTENCE = "sentence";

    /** Channels the contract accepts. */
    public static final List<String> CHANNELS = List.of("email", "chat", "web", "phone", "social");
    /** Priorities the contract accepts. */
    public static final List<String> PRIORITIES = List.of("low", "normal", "high", "urgent");
    /** Message authors the contract accepts. */
    public static final List<String> AUTHORS = List.of("customer", "agent", "system");
}
