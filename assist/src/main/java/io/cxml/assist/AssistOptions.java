package io.cxml.assist;

import io.cxml.assist.ann.HnswParams;
import io.cxml.assist.rerank.RerankWeights;
import java.time.Instant;

/**
 * What {@link AssistRun} searches and how. Build with {@link #builder()}: {@code set*} required (window, vectors,
 * versions), {@code opt*} optional (sizes; the article store, without which articles are flagged empty).
 *
 * @param from first creation time of the tickets to assist, inclusive
 * @param to first creation time excluded
 * @param ticketVectors the ticket_embedding view version's directory
 * @param ticketIndexVersion its label (e.g. {@code ticket_embedding@v1})
 * @param articleVectors the article chunk store's directory, or null
 * @param articleIndexVersion its label
 * @param modelVersion the base encoder's label
 * @param topK suggestions per kind
 * @param candidates candidates per kind the search hands to the re-ranking stage (at least topK)
 * @param weights the re-ranking weights ({@link RerankWeights#IDENTITY}: pure similarity)
 * @param queryBlock queries per matrix product
 * @param candidateBlock candidates per matrix product
 * @param rowsPerTask target rows (candidates + queries) per search task
 * @param excerptChars longest reply excerpt
 * @param hnsw when a tenant's tickets are searched through an HNSW graph, and how
 */
public record AssistOptions(Instant from, Instant to, String ticketVectors, String ticketIndexVersion,
        String articleVectors, String articleIndexVersion, String modelVersion, int topK, int candidates,
        RerankWeights weights, int queryBlock, int candidateBlock, long rowsPerTask, int excerptChars,
        HnswParams hnsw) {
    /** Checks the values, naming the setting to fix. */
    public AssistOptions {
        require(from != null && to != null && from.isBefore(to), "--from must be before --to, got " + from + ".."
                + to);
        require(ticketVectors != null, "no ticket_embedding view: run `cxml features build` with a base encoder");
        require(topK >= 1 && topK <= 100, "cxml.assist.top-k must be in 1..100, got " + topK);
        require(candidates >= topK && candidates <= 1000, "cxml.assist.rerank.candidates must be in top-k ("
                + topK + ")..1000, got " + candidates);
        require(weights != null, "no re-ranking weights");
        require(queryBlock >= 1, "cxml.assist.query-block must be >= 1, got " + queryBlock);
        require(candidateBlock >= 1, "cxml.assist.candidate-block must be >= 1, got " + candidateBlock);
        require(rowsPerTask >= 1, "cxml.assist.rows-per-task must be >= 1, got " + rowsPerTask);
        require(excerptChars >= 0, "cxml.assist.excerpt-chars must be >= 0, got " + excerptChars);
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException("Cannot assist: " + message);
        }
    }

    /** @return a builder with the default sizes */
    public static Builder builder() {
        return new Builder();
    }

    /** Builder: {@code set*} required, {@code opt*} optional. */
    public static final class Builder {
        private Instant from;
        private Instant to;
        private String ticketVectors;
        private String ticketIndexVersion = "";
        private String articleVectors;
        private String articleIndexVersion = "";
        private String modelVersion = "";
        private int topK = 5;
        private int candidates = 20;
        private RerankWeights weights = RerankWeights.IDENTITY;
        private int queryBlock = 256;
        private int candidateBlock = 4096;
        private long rowsPerTask = 200_000;
        private int excerptChars = 300;
        private HnswParams hnsw = HnswParams.exactOnly();

        public Builder setWindow(Instant first, Instant end) {
            this.from = first;
            this.to = end;
            return this;
        }

        public Builder setTicketVectors(String path, String version) {
            this.ticketVectors = path;
            this.ticketIndexVersion = version;
            return this;
        }

        public Builder setModelVersion(String value) {
            this.modelVersion = value;
            return this;
        }

        public Builder optArticleVectors(String path, String version) {
            this.articleVectors = path;
            this.articleIndexVersion = version;
            return this;
        }

        public Builder optTopK(int value) {
            this.topK = value;
            return this;
        }

        public Builder optRerank(int pool, RerankWeights value) {
            this.candidates = pool;
            this.weights = value;
            return this;
        }

        public Builder optBlocks(int queries, int candidates) {
            this.queryBlock = queries;
            this.candidateBlock = candidates;
            return this;
        }

        public Builder optRowsPerTask(long value) {
            this.rowsPerTask = value;
            return this;
        }

        public Builder optExcerptChars(int value) {
            this.excerptChars = value;
            return this;
        }

        public Builder optHnsw(HnswParams value) {
            this.hnsw = value;
            return this;
        }

        /** @return the options, checked */
        public AssistOptions build() {
            return new AssistOptions(from, to, ticketVectors, ticketIndexVersion, articleVectors,
                    articleIndexVersion, modelVersion, topK, candidates, weights, queryBlock, candidateBlock,
                    rowsPerTask, excerptChars, hnsw);
        }
    }
}
