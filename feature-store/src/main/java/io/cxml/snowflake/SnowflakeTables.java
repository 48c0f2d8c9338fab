package io.cxml.snowflake;

import java.util.List;

/**
 * The source tables and the columns cxml reads from them (Snowflake's upper-case identifiers). A ticket's account
 * is its requester's account: {@code TICKETS.REQUESTER_ID = CUSTOMERS.CUSTOMER_ID}. Messages are the ticket's events.
 */
public final class SnowflakeTables {
    private SnowflakeTables() {}

    /** Default table names. */
    public static final String TICKETS = "TICKETS";
    public static final String TICKET_EVENTS = "TICKET_EVENTS";
    public static final String CUSTOMERS = "CUSTOMERS";

    /** TICKETS columns: one row per ticket, its current version. */
    public static final String TICKET_ID = "TICKET_ID";
    public static final String REQUESTER_ID = "REQUESTER_ID";
    public static final String CHANNEL = "CHANNEL";
    public static final String PRIORITY = "PRIORITY";
    public static final String CREATED_AT = "CREATED_AT";
    public static final String UPDATED_AT = "UPDATED_AT";
    public static final String SOLVED_AT = "SOLVED_AT";
    public static final String SUBJECT = "SUBJECT";
    /** ARRAY of strings. */
    public static final String TAGS = "TAGS";
    public static final String ASSIGNED_GROUP = "ASSIGNED_GROUP";
    public static final String CSAT = "CSAT";
    public static final String REOPENED = "REOPENED";
    public static final String ESCALATED = "ESCALATED";
    /** Columns of TICKETS that cxml reads. */
    public static final List<String> TICKET_COLUMNS = List.of(TICKET_ID, REQUESTER_ID, CHANNEL, PRIORITY, CREATED_AT,
            UPDATED_AT, SOLVED_AT, SUBJECT, TAGS, ASSIGNED_GROUP, CSAT, REOPENED, ESCALATED);

    /** TICKET_EVENTS columns: one row per message. */
    public static final String EVENT_ID = "EVENT_ID";
    public static final String AUTHOR = "AUTHOR";
    public static final String SENT_AT = "SENT_AT";
    public static final String BODY = "BODY";
    /** Columns of TICKET_EVENTS that cxml reads. */
    public static final List<String> EVENT_COLUMNS = List.of(TICKET_ID, EVENT_ID, AUTHOR, SENT_AT, BODY);

    /** CUSTOMERS columns. */
    public static final String CUSTOMER_ID = "CUSTOMER_ID";
    public static final String ACCOUNT_ID = "ACCOUNT_ID";
    /** Columns of CUSTOMERS that cxml reads. */
    public static final List<String> CUSTOMER_COLUMNS = List.of(CUSTOMER_ID, ACCOUNT_ID);
}
