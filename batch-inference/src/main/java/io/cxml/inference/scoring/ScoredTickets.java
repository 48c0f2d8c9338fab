package io.cxml.inference.scoring;

import io.cxml.experiments.ExperimentColumns;
import java.util.LinkedHashMap;
import java.util.Map;

/** Contract of {@code scored/tickets} and {@code SCORED_TICKETS}: column names and the comments analysts see. */
public final class ScoredTickets {
    private ScoredTickets() {}

    /** Dataset name under {@code scored/} and {@code quarantine/}. */
    public static final String DATASET = "tickets";
    public static final String TICKET_ID = "ticket_id";
    public static final String ACCOUNT_ID = "account_id";
    public static final String CREATED_AT = "created_at";
    public static final String LANGUAGE = "language";
    public static final String INTENT = "intent";
    public static final String SENTIMENT = "sentiment";
    public static final String INTENT_MODEL = "intent_model";
    public static final String SENTIMENT_MODEL = "sentiment_model";
    /** Routed team. */
    public static final String ROUTED_TEAM = "routed_team";
    /** Prefix of the other routing columns. */
    public static final String ROUTING = "routing";
    public static final String ROUTING_MODEL = "routing_model";
    /** Experiment of the ticket's unit (null outside every experiment). */
    public static final String EXPERIMENT = ExperimentColumns.EXPERIMENT;
    /** Experiment arm that served the ticket. */
    public static final String ARM = ExperimentColumns.ARM;
    public static final String RUN_ID = "run_id";
    public static final String SCORED_AT = "scored_at";
    public static final String DT = "dt";
    /** Quarantine column: why a ticket was not scored. */
    public static final String REASON = "reason";

    /** Skip reason: no text to score. */
    public static final String EMPTY_TEXT = "empty_text";
    /** Skip reason: text over {@code cxml.scoring.max-text-chars}. */
    public static final String TEXT_TOO_LONG = "text_too_long";
    /** Skip reason: the detected language is not one the deployment serves (or cannot be told). */
    public static final String UNSUPPORTED_LANGUAGE = "unsupported_language";

    /** Table comment. */
    public static final String TABLE_COMMENT = "One row per scored ticket: detected language, intent, sentiment, "
            + "routed team and the model versions that produced them (cxml score; re-scoring a ticket updates its row).";

    /** @return the comment of every published column */
    public static Map<String, String> columnComments() {
        Map<String, String> c = new LinkedHashMap<>();
        c.put(TICKET_ID, "Ticket id from the help desk (the key).");
        c.put(ACCOUNT_ID, "Tenant (customer account) id.");
        c.put(CREATED_AT, "Ticket creation time (UTC).");
        c.put(LANGUAGE, "Detected language (ISO 639-1).");
        c.put(LANGUAGE + "_confidence", "Confidence of the detected language, 0-1.");
        c.put(INTENT, "Most probable intent.");
        c.put(INTENT + "_confidence", "Calibrated probability of the intent, 0-1.");
        c.put(INTENT + "_top_k", "Top intents as JSON [{\"label\":..,\"p\":..}], best first.");
        c.put(INTENT + "_routed", "The intent, or 'unknown' when its confidence is below the model's threshold.");
        c.put(SENTIMENT, "Most probable sentiment (negative, neutral, positive); null without a sentiment model.");
        c.put(SENTIMENT + "_confidence", "Calibrated probability of the sentiment, 0-1.");
        c.put(ROUTED_TEAM, "Team the ticket is routed to (per-tenant routing); null without a routing model.");
        c.put(ROUTING + "_confidence", "Probability of the routed team among the tenant's teams, 0-1.");
        c.put(ROUTING + "_top3", "Best three teams as JSON [{\"team\":..,\"p\":..}], best first.");
        c.put(ROUTING + "_source", "Which routing model decided: tenant (its own), fallback_small_tenant, "
                + "fallback_unknown_tenant or fallback_teams_changed (the global model).");
        c.put(ROUTING + "_retired_avoided", "True when the model's first choice is a team that no longer exists "
                + "and the next team was used.");
        c.put(INTENT_MODEL, "Intent model version, e.g. intent@v3.");
        c.put(SENTIMENT_MODEL, "Sentiment model version; null without a sentiment model.");
        c.put(ROUTING_MODEL, "Routing model version, e.g. routing@v2; null without a routing model.");
        c.put(EXPERIMENT, "Experiment the ticket's unit takes part in (docs/experiments.md); null outside experiments.");
        c.put(ARM, "Experiment arm that served the ticket: its model columns name the arm's version; null outside.");
        c.put(RUN_ID, "cxml run that scored the ticket (its run record: runs/score/<run_id>.json).");
        c.put(SCORED_AT, "When the ticket was scored (UTC).");
        c.put(DT, "Partition: ticket creation date (UTC).");
        return c;
    }
}
