package io.cxml.ingest;

import java.util.Objects;

/**
 * Why an input record was rejected: a machine-readable reason ({@code kind[:field]}) and a human-readable detail.
 *
 * @param reason the reason, e.g. {@code missing_field:ticket_id}
 * @param detail what was wrong, e.g. the parser error or the bad value
 */
public record Rejection(String reason, String detail) {
    /** Reason kinds, so tests and dashboards refer to constants rather than literals. */
    public static final String MALFORMED_JSON = "malformed_json";
    public static final String NOT_AN_OBJECT = "not_an_object";
    public static final String BLANK_LINE = "blank_line";
    public static final String MISSING_FIELD = "missing_field";
    public static final String WRONG_TYPE = "wrong_type";
    public static final String INVALID_TIMESTAMP = "invalid_timestamp";
    public static final String INVALID_VALUE = "invalid_value";
    public static final String EMPTY_TEXT = "empty_text";
    public static final String TEXT_TOO_LARGE = "text_too_large";
    /** A help-desk document that is neither a ticket nor a page of tickets, events or comments. */
    public static final String UNKNOWN_DOCUMENT = "unknown_document";
    /** A ticket the help desk reports as deleted. */
    public static final String DELETED_TICKET = "deleted_ticket";
    /** A ticket closed by merging it into another one, which carries its conversation on. */
    public static final String MERGED_TICKET = "merged_ticket";

    /** Checks the reason is present. */
    public Rejection {
        Objects.requireNonNull(reason, "reason");
    }

    /**
     * @param kind one of the reason kinds
     * @param field the offending field, or null
     * @param detail what was wrong
     * @return the rejection, reason {@code kind[:field]}
     */
    public static Rejection of(String kind, String field, String detail) {
        return new Rejection(field == null ? kind : kind + ":" + field, detail);
    }
}
