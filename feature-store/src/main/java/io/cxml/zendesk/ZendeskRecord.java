package io.cxml.zendesk;

import java.io.Serializable;

/**
 * One item read from the Zendesk export: a ticket version, a comment of a ticket, or a document that could not be
 * read (with its reason). Plain data that travels between executors.
 *
 * @param kind what the item is
 * @param ticketId the ticket it belongs to (null for a reject)
 * @param json the ticket or comment object as JSON, or the raw text of a reject
 * @param file the export file it came from
 * @param line 1-based line of a JSON-lines file, or 1-based position in the page of a JSON file
 * @param replacedChars characters that stood for bytes that were not UTF-8 (0 when the document was valid UTF-8)
 * @param reason rejection reason ({@code kind[:field]}), for a reject only
 * @param detail rejection detail, for a reject only
 */
public record ZendeskRecord(Kind kind, String ticketId, String json, String file, long line, int replacedChars,
        String reason, String detail) implements Serializable {

    /** What an export item is. */
    public enum Kind { TICKET, COMMENT, REJECT }

    static ZendeskRecord ticket(String ticketId, String json, String file, long line, int replaced) {
        return new ZendeskRecord(Kind.TICKET, ticketId, json, file, line, replaced, null, null);
    }

    static ZendeskRecord comment(String ticketId, String json, String file, long line, int replaced) {
        return new ZendeskRecord(Kind.COMMENT, ticketId, json, file, line, replaced, null, null);
    }

    static ZendeskRecord reject(String reason, String detail, String raw, String file, long line, int replaced) {
        return new ZendeskRecord(Kind.REJECT, null, raw, file, line, replaced, reason, detail);
    }
}
