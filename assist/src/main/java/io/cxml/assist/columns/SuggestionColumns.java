package io.cxml.assist.columns;

/**
 * The columns every stage of agent assist reads and writes for one candidate: the search's output, the re-ranker's
 * input and output, and the published {@code assist/suggestions} table ({@code io.cxml.assist.Suggestions} adds the
 * published-only columns). Their one home, in a package that imports nothing, so the search, the re-ranker and the
 * evaluation can all use them without depending on each other.
 */
public final class SuggestionColumns {
    private SuggestionColumns() {}

    public static final String TICKET_ID = "ticket_id";
    public static final String CREATED_AT = "created_at";
    /** {@link #KIND_TICKET} or {@link #KIND_ARTICLE}. */
    public static final String KIND = "kind";
    /** 1-based within (ticket, kind); 0 on the one row of a kind without candidates. */
    public static final String RANK = "rank";
    public static final String SUGGESTION_ID = "suggestion_id";
    public static final String ARTICLE_VERSION = "article_version";
    /** Cosine similarity of the sentence embeddings. */
    public static final String SCORE = "score";
    /** Cosine plus the re-ranker's weighted features; the order of the published ranks. */
    public static final String RERANK_SCORE = "rerank_score";

    public static final String KIND_TICKET = "ticket";
    public static final String KIND_ARTICLE = "article";
}
