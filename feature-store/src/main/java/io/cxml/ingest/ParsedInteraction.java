package io.cxml.ingest;

import java.io.Serializable;
import java.time.Instant;
import java.util.List;

/**
 * One valid, normalized ticket version as parsed from the raw export. Plain data; {@link CuratedRows} turns it into a
 * Spark row of {@link io.cxml.contract.CuratedInteractions#SCHEMA}.
 */
public final class ParsedInteraction implements Serializable {
    private static final long serialVersionUID = 1L;

    /** One normalized message. */
    public record Message(String author, Instant sentAt, String body) implements Serializable {}

    public String ticketId;
    public String accountId;
    public String requesterId;
    public String channel;
    public String priority;
    public Instant createdAt;
    public Instant updatedAt;
    public Instant solvedAt;
    public String subject;
    public String firstMessage;
    public String text;
    public List<Message> messages;
    public List<String> tags;
    public String assignedGroup;
    public Integer csat;
    public boolean reopened;
    public boolean escalated;
    /** Agent-set fields, name to value (sorted), empty when none. */
    public java.util.Map<String, String> customFields = java.util.Map.of();
    public String trueIntent;
    public String trueLanguage;
}
