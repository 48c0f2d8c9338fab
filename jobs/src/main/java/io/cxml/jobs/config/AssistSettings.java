package io.cxml.jobs.config;

import io.cxml.assist.ann.HnswParams;
import io.cxml.assist.kb.ArticleChunks;

/**
 * Agent-assist area ({@code cxml.assist.*}, docs/assist.md): suggestions per kind, the re-ranked candidate pool, the
 * search's block and task sizes, the reply excerpt, the warehouse table, and the knowledge base's chunking and text
 * limit. Resolved once by {@link Settings#resolve}; the only place these keys are read. Defaults live in
 * {@code conf/application.conf}.
 */
public final class AssistSettings {
    /** Config key: suggestions per kind (tickets, articles) and ticket. */
    public static final String TOP_K = "cxml.assist.top-k";
    /** Config key: candidates per kind the search hands to the re-ranking stage. */
    public static final String RERANK_CANDIDATES = "cxml.assist.rerank.candidates";
    /** Config key: queries per matrix product. */
    public static final String QUERY_BLOCK = "cxml.assist.query-block";
    /** Config key: candidates per matrix product. */
    public static final String CANDIDATE_BLOCK = "cxml.assist.candidate-block";
    /** Config key: target rows (candidate vectors + queries) per search task. */
    public static final String ROWS_PER_TASK = "cxml.assist.rows-per-task";
    /** Config key: solved tickets from which a tenant is searched through an HNSW graph. */
    public static final String ANN_MIN_TICKETS = "cxml.assist.ann.min-tickets";
    /** Config key: ... and tickets to assist in the run. */
    public static final String ANN_MIN_QUERIES = "cxml.assist.ann.min-queries";
    /** Config key: HNSW neighbours per node (M). */
    public static final String ANN_M = "cxml.assist.ann.m";
    /** Config key: HNSW candidates kept while inserting (beam width). */
    public static final String ANN_BEAM_WIDTH = "cxml.assist.ann.beam-width";
    /** Config key: neighbours a query collects from the graph (ef). */
    public static final String ANN_CANDIDATES = "cxml.assist.ann.candidates";
    /** Config key: longest reply excerpt or title shown. */
    public static final String EXCERPT_CHARS = "cxml.assist.excerpt-chars";
    /** Config key: warehouse table of the suggestions; "" skips publishing. */
    public static final String TABLE = "cxml.assist.table";
    /** Config key: words per article chunk. */
    public static final String CHUNK_WORDS = "cxml.assist.kb.chunk-words";
    /** Config key: words shared by consecutive chunks. */
    public static final String CHUNK_OVERLAP = "cxml.assist.kb.chunk-overlap";
    /** Config key: longest title + body ingested. */
    public static final String MAX_TEXT_CHARS = "cxml.assist.kb.max-text-chars";

    private final int topK;
    private final int rerankCandidates;
    private final int queryBlock;
    private final int candidateBlock;
    private final long rowsPerTask;
    private final int excerptChars;
    private final String table;
    private final ArticleChunks chunks;
    private final int maxTextChars;
    private final HnswParams hnsw;

    private AssistSettings(CxmlConfig config) {
        topK = config.getInt(TOP_K);
        rerankCandidates = config.getInt(RERANK_CANDIDATES);
        queryBlock = config.getInt(QUERY_BLOCK);
        candidateBlock = config.getInt(CANDIDATE_BLOCK);
        rowsPerTask = config.getLong(ROWS_PER_TASK);
        excerptChars = config.getInt(EXCERPT_CHARS);
        table = config.getString(TABLE);
        maxTextChars = config.getInt(MAX_TEXT_CHARS);
        try {
            chunks = new ArticleChunks(config.getInt(CHUNK_WORDS), config.getInt(CHUNK_OVERLAP));
        } catch (IllegalArgumentException e) {
            throw new ConfigError(e.getMessage() + " (" + CHUNK_WORDS + ", " + CHUNK_OVERLAP + ")", e);
        }
        try {
            hnsw = new HnswParams(config.getLong(ANN_MIN_TICKETS), config.getLong(ANN_MIN_QUERIES),
                    config.getInt(ANN_M), config.getInt(ANN_BEAM_WIDTH), config.getInt(ANN_CANDIDATES));
        } catch (IllegalArgumentException e) {
            throw new ConfigError(e.getMessage(), e);
        }
        if (topK < 1 || topK > 100) {
            throw new ConfigError("Cannot use " + TOP_K + " = " + topK + ": it must be in 1..100");
        }
        if (rerankCandidates < topK || rerankCandidates > 1000) {
            throw new ConfigError("Cannot use " + RERANK_CANDIDATES + " = " + rerankCandidates + ": it must be in "
                    + TOP_K + " (" + topK + ")..1000");
        }
    }

    /**
     * @param config the validated config
     * @return the settings
     */
    public static AssistSettings resolve(CxmlConfig config) {
        return new AssistSettings(config);
    }

    /** @return suggestions per kind */
    public int topK() {
        return topK;
    }

    /** @return candidates per kind re-ranked */
    public int rerankCandidates() {
        return rerankCandidates;
    }

    /** @return queries per matrix product */
    public int queryBlock() {
        return queryBlock;
    }

    /** @return candidates per matrix product */
    public int candidateBlock() {
        return candidateBlock;
    }

    /** @return target rows per search task */
    public long rowsPerTask() {
        return rowsPerTask;
    }

    /** @return longest excerpt */
    public int excerptChars() {
        return excerptChars;
    }

    /** @return the warehouse table; blank skips publishing */
    public String table() {
        return table;
    }

    /** @return how articles are cut for embedding */
    public ArticleChunks chunks() {
        return chunks;
    }

    /** @return when tenants are searched through an HNSW graph, and its parameters */
    public HnswParams hnsw() {
        return hnsw;
    }

    /** @return longest article text ingested */
    public int maxTextChars() {
        return maxTextChars;
    }
}
