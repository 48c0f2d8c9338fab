package io.cxml.assist;

import static io.cxml.assist.columns.SuggestionColumns.ARTICLE_VERSION;
import static io.cxml.assist.columns.SuggestionColumns.CREATED_AT;
import static io.cxml.assist.columns.SuggestionColumns.KIND;
import static io.cxml.assist.columns.SuggestionColumns.RANK;
import static io.cxml.assist.columns.SuggestionColumns.RERANK_SCORE;
import static io.cxml.assist.columns.SuggestionColumns.SCORE;
import static io.cxml.assist.columns.SuggestionColumns.SUGGESTION_ID;
import static io.cxml.assist.columns.SuggestionColumns.TICKET_ID;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The suggestions contract: {@code assist/suggestions/dt=<creation day>} and the warehouse table
 * {@code TICKET_SUGGESTIONS}, one row per (ticket, kind, rank). A kind without any candidate for the ticket (a tenant
 * without solved history or without current articles, a ticket without a stored embedding) gets one row with rank 0,
 * no suggestion and the reason in {@link #EMPTY_REASON}.
 */
public final class Suggestions {
    private Suggestions() {}

    /** Folder under the storage root. */
    public static final String PATH = "assist/suggestions";
    public static final String ACCOUNT_ID = "account_id";
    public static final String RERANK_WEIGHTS = "rerank_weights";
    public static final String EMPTY_REASON = "empty_reason";
    public static final String TEAM = "neighbour_team";
    public static final String CSAT = "neighbour_csat";
    public static final String REOPENED = "neighbour_reopened";
    public static final String EXCERPT = "excerpt";
    public static final String LOCALE = "locale";
    public static final String MODEL_VERSION = "model_version";
    public static final String INDEX_VERSION = "index_version";
    public static final String DT = "dt";

    public static final String NO_SOLVED_TICKET = "no_solved_ticket_before";
    public static final String NO_CURRENT_ARTICLE = "no_current_article";
    public static final String NO_EMBEDDING = "no_ticket_embedding";

    /** Key columns of the warehouse MERGE. */
    public static final String[] KEYS = {TICKET_ID, KIND, RANK};
    /** Comment of the warehouse table. */
    public static final String TABLE_COMMENT = "Agent assist (cxml assist): per ticket, the most similar tickets of its "
            + "tenant solved before it was created and the tenant's articles current then, by cosine similarity of "
            + "the sentence embeddings, re-ranked by the neighbours' outcome, recency and the articles' freshness.";

    /** @return column -> comment, for the warehouse */
    public static Map<String, String> columnComments() {
        Map<String, String> c = new LinkedHashMap<>();
        c.put(TICKET_ID, "The new ticket.");
        c.put(ACCOUNT_ID, "Its tenant; suggestions never cross tenants.");
        c.put(CREATED_AT, "Its creation time (UTC): the point in time of the search.");
        c.put(KIND, "ticket (a similar solved ticket) or article (a help-centre article).");
        c.put(RANK, "1 = most similar within the kind; 0 = no candidate (see empty_reason).");
        c.put(SUGGESTION_ID, "The solved ticket's or the article's id.");
        c.put(ARTICLE_VERSION, "Articles: updated_at of the version current at the ticket's creation.");
        c.put(SCORE, "Cosine similarity of the embeddings (best chunk for articles).");
        c.put(RERANK_SCORE, "The order within the kind: cosine + weighted neighbour outcome, recency and article "
                + "freshness (equals score under identity weights).");
        c.put(EMPTY_REASON, "Why a kind has no suggestion: " + NO_SOLVED_TICKET + ", " + NO_CURRENT_ARTICLE + ", "
                + NO_EMBEDDING + ".");
        c.put(TEAM, "Tickets: team that solved the neighbour.");
        c.put(CSAT, "Tickets: the neighbour's satisfaction 1-5 (null if not rated).");
        c.put(REOPENED, "Tickets: whether the neighbour was reopened.");
        c.put(EXCERPT, "Tickets: start of the neighbour's last agent reply; articles: the title.");
        c.put(LOCALE, "Articles: the article's language (may differ from the ticket's).");
        c.put(MODEL_VERSION, "Base encoder of the embeddings (checksum prefix and token limit).");
        c.put(RERANK_WEIGHTS, "Re-ranking weights used: rerank@vN (assist/rerank/weights-vN.json) or identity.");
        c.put(INDEX_VERSION, "Vectors searched: ticket_embedding view version or knowledge-base embedding store.");
        return c;
    }
}
