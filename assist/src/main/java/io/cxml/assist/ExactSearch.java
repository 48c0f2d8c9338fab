package io.cxml.assist;

import dev.ludovic.netlib.blas.BLAS;
import io.cxml.assist.ann.HnswParams;
import io.cxml.assist.ann.TicketIndex;
import io.cxml.assist.columns.SuggestionColumns;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.sql.Timestamp;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import org.apache.spark.TaskContext;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.util.TaskCompletionListener;
import scala.Tuple2;

/**
 * Exact cosine search of one task's tenants, as blocked matrix products: rows arrive sorted by {@link SearchKey}, so
 * each tenant's candidates (solved tickets by solve time, then article chunks) are read into one matrix before its
 * queries, which are searched {@code queryBlock} at a time against {@code candidateBlock} candidates per product
 * ({@code sgemm}). Point in time, by construction: a query sees only the tickets solved before it was created (a
 * prefix of the time-sorted candidates) and the article versions published at or before its creation and not yet
 * replaced or archived. Memory: one tenant's candidate vectors ({@code n x d} floats), one block of queries and one
 * {@code queryBlock x candidateBlock} score block.
 *
 * <p>The tenants of the approximate set (enough tickets and queries, {@link HnswParams}) put their solved
 * tickets into an HNSW graph instead ({@link TicketIndex}, a local folder of the task), fed as they stream in, so a
 * task never holds such a tenant's ticket vectors on the heap; the graph answers each query with the same point in
 * time (a filter on the solve time). Articles are always searched exactly.
 *
 * <p>Output rows ({@link #OUTPUT}): per query, up to {@code k} tickets and {@code k} articles by descending score
 * (ties by id), or one row with rank 0 and the reason when a kind has no candidate.
 */
final class ExactSearch implements Serializable {
    private static final long serialVersionUID = 1L;
    /** Output columns, in order. */
    static final org.apache.spark.sql.types.StructType OUTPUT = new org.apache.spark.sql.types.StructType()
            .add(SuggestionColumns.TICKET_ID, "string", false).add(Suggestions.ACCOUNT_ID, "string", false)
            .add(SuggestionColumns.CREATED_AT, "timestamp", false).add(SuggestionColumns.KIND, "string", false)
            .add(SuggestionColumns.RANK, "int", false).add(SuggestionColumns.SUGGESTION_ID, "string", true)
            .add(SuggestionColumns.ARTICLE_VERSION, "timestamp", true).add(SuggestionColumns.SCORE, "double", true)
            .add(Suggestions.EMPTY_REASON, "string", true);

    private final int k;
    private final int queryBlock;
    private final int candidateBlock;
    private final HnswParams hnsw;
    private final Set<String> approximate;

    /**
     * @param hnsw the graph's parameters
     * @param approximate tenants whose solved tickets are searched through an HNSW graph
     */
    ExactSearch(int k, int queryBlock, int candidateBlock, HnswParams hnsw, Set<String> approximate) {
        this.k = k;
        this.queryBlock = queryBlock;
        this.candidateBlock = candidateBlock;
        this.hnsw = hnsw;
        this.approximate = approximate;
    }

    /** Growable matrix of unit vectors with their keys. */
    private static final class Matrix {
        float[] values = new float[0];
        int rows;
        int dim = -1;
        final List<SearchKey> keys = new ArrayList<>();
        final List<SearchValue> meta = new ArrayList<>();

        void add(SearchKey key, SearchValue value) {
            float[] v = value.vector();
            if (dim < 0) {
                dim = v.length;
            } else if (v.length != dim) {
                throw new IllegalStateException("Cannot search tenant " + key.tenant() + ": vector of " + key.id()
                        + " has " + v.length + " dimensions, others " + dim + " (embeddings of two encoders?)");
            }
            if ((rows + 1) * dim > values.length) {
                values = Arrays.copyOf(values, Math.max(dim, values.length * 2));
            }
            System.arraycopy(unit(v), 0, values, rows * dim, dim);
            keys.add(key);
            meta.add(new SearchValue(null, value.articleId(), value.version(), value.validTo()));
            rows++;
        }

        void clear() {
            values = new float[0];
            rows = 0;
            dim = -1;
            keys.clear();
            meta.clear();
        }
    }

    /**
     * @param rows one task's rows, sorted by key
     * @return the suggestions of its queries
     */
    Iterator<Row> run(Iterator<Tuple2<SearchKey, SearchValue>> rows) {
        return new Iterator<>() {
            private final ArrayDeque<Row> out = new ArrayDeque<>();
            private final Matrix tickets = new Matrix();
            private final Matrix articles = new Matrix();
            private final Matrix queries = new Matrix();
            private String tenant;
            private TicketIndex index; // the current tenant's graph when it is searched approximately

            @Override
            public boolean hasNext() {
                while (out.isEmpty() && (rows.hasNext() || queries.rows > 0)) {
                    if (!rows.hasNext()) {
                        flush(tickets, index, articles, queries, out);
                        closeIndex();
                        break;
                    }
                    Tuple2<SearchKey, SearchValue> next = rows.next();
                    SearchKey key = next._1();
                    if (!key.tenant().equals(tenant)) {
                        flush(tickets, index, articles, queries, out);
                        closeIndex();
                        tickets.clear();
                        articles.clear();
                        tenant = key.tenant();
                        index = approximate.contains(tenant) ? newIndex(tenant) : null;
                    }
                    switch (key.role()) {
                        case SearchKey.TICKET -> {
                            if (index != null) {
                                index.add(key.id(), key.time(), unit(next._2().vector()));
                            } else {
                                tickets.add(key, next._2());
                            }
                        }
                        case SearchKey.ARTICLE -> articles.add(key, next._2());
                        default -> {
                            queries.add(key, next._2());
                            if (queries.rows == queryBlock) {
                                flush(tickets, index, articles, queries, out);
                            }
                        }
                    }
                }
                if (out.isEmpty()) {
                    closeIndex(); // every row read (a task ended early closes it through its completion listener)
                }
                return !out.isEmpty();
            }

            private void closeIndex() {
                if (index != null) {
                    index.close();
                    index = null;
                }
            }

            @Override
            public Row next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return out.poll();
            }
        };
    }

    /** @return an empty graph in a new local folder, removed when the tenant is done or the task ends */
    private TicketIndex newIndex(String tenant) {
        TicketIndex index;
        try {
            index = TicketIndex.create(Files.createTempDirectory("cxml-hnsw-"), hnsw);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create a local folder for tenant " + tenant + "'s HNSW index", e);
        }
        TaskContext task = TaskContext.get();
        if (task != null) {
            task.addTaskCompletionListener((TaskCompletionListener) t -> index.close());
        }
        return index;
    }

    /** Searches the buffered queries of the current tenant and empties the buffer. */

    private void flush(Matrix tickets, TicketIndex index, Matrix articles, Matrix queries, ArrayDeque<Row> out) {
        if (queries.rows == 0) {
            return;
        }
        int b = queries.rows;
        long[] created = new long[b];
        for (int j = 0; j < b; j++) {
            created[j] = queries.keys.get(j).time();
        }
        TopK[] nearTickets = index != null ? searchIndex(index, queries, created)
                : searchTickets(tickets, queries, created);
        TopK[] nearArticles = searchArticles(articles, queries, created);
        for (int j = 0; j < b; j++) {
            SearchKey q = queries.keys.get(j);
            emit(out, q, SuggestionColumns.KIND_TICKET, nearTickets[j], Suggestions.NO_SOLVED_TICKET);
            emit(out, q, SuggestionColumns.KIND_ARTICLE, nearArticles[j], Suggestions.NO_CURRENT_ARTICLE);
        }
        queries.clear();
    }

    private void emit(ArrayDeque<Row> out, SearchKey q, String kind, TopK top, String emptyReason) {
        Timestamp created = micros(q.time());
        List<TopK.Hit> hits = top.sorted();
        if (hits.isEmpty()) {
            out.add(RowFactory.create(q.id(), q.tenant(), created, kind, 0, null, null, null, emptyReason));
        }
        int rank = 1;
        for (TopK.Hit h : hits) {
            out.add(RowFactory.create(q.id(), q.tenant(), created, kind, rank++, h.id(),
                    h.version() == Long.MIN_VALUE ? null : micros(h.version()), (double) h.score(), null));
        }
    }

    private TopK[] searchIndex(TicketIndex index, Matrix queries, long[] created) {
        TopK[] top = new TopK[queries.rows];
        for (int j = 0; j < queries.rows; j++) {
            top[j] = new TopK(k);
            float[] q = Arrays.copyOfRange(queries.values, j * queries.dim, (j + 1) * queries.dim);
            for (TicketIndex.Hit h : index.search(q, created[j], k, hnsw.candidates())) {
                top[j].offer(h.score(), h.id(), Long.MIN_VALUE);
            }
        }
        return top;
    }

    private TopK[] searchTickets(Matrix tickets, Matrix queries, long[] created) {
        int b = queries.rows;
        TopK[] top = new TopK[b];
        int[] visible = new int[b];
        long[] solved = new long[tickets.rows];
        for (int c = 0; c < tickets.rows; c++) {
            solved[c] = tickets.keys.get(c).time();
        }
        for (int j = 0; j < b; j++) {
            top[j] = new TopK(k);
            visible[j] = lowerBound(solved, created[j]); // solved strictly before the query was created
        }
        int limit = Arrays.stream(visible).max().orElse(0);
        if (limit == 0) {
            return top;
        }
        checkDim(tickets, queries);
        int d = queries.dim;
        float[] scores = new float[b * Math.min(candidateBlock, limit)];
        for (int c0 = 0; c0 < limit; c0 += candidateBlock) {
            int cn = Math.min(candidateBlock, limit - c0);
            BLAS.getInstance().sgemm("T", "N", cn, b, d, 1f, tickets.values, c0 * d, d, queries.values, 0, d, 0f,
                    scores, 0, cn);
            for (int j = 0; j < b; j++) {
                int end = Math.min(cn, visible[j] - c0);
                for (int c = 0; c < end; c++) {
                    top[j].offer(scores[c + j * cn], tickets.keys.get(c0 + c).id(), Long.MIN_VALUE);
                }
            }
        }
        return top;
    }

    private TopK[] searchArticles(Matrix articles, Matrix queries, long[] created) {
        int b = queries.rows;
        TopK[] top = new TopK[b];
        List<Map<String, TopK.Hit>> best = new ArrayList<>(); // per query: article -> its best visible chunk
        for (int j = 0; j < b; j++) {
            top[j] = new TopK(k);
            best.add(new HashMap<>());
        }
        if (articles.rows == 0) {
            return top;
        }
        checkDim(articles, queries);
        int d = queries.dim;
        float[] scores = new float[b * Math.min(candidateBlock, articles.rows)];
        for (int c0 = 0; c0 < articles.rows; c0 += candidateBlock) {
            int cn = Math.min(candidateBlock, articles.rows - c0);
            BLAS.getInstance().sgemm("T", "N", cn, b, d, 1f, articles.values, c0 * d, d, queries.values, 0, d, 0f,
                    scores, 0, cn);
            for (int j = 0; j < b; j++) {
                for (int c = 0; c < cn; c++) {
                    SearchKey key = articles.keys.get(c0 + c);
                    SearchValue v = articles.meta.get(c0 + c);
                    if (key.time() > created[j] || v.validTo() <= created[j]) {
                        continue; // not yet published, or replaced or archived before the ticket came in
                    }
                    float s = scores[c + j * cn];
                    best.get(j).merge(v.articleId(), new TopK.Hit(s, v.articleId(), v.version()),
                            (x, y) -> TopK.BEST_FIRST.compare(x, y) <= 0 ? x : y);
                }
            }
        }
        for (int j = 0; j < b; j++) {
            for (TopK.Hit h : best.get(j).values()) {
                top[j].offer(h.score(), h.id(), h.version());
            }
        }
        return top;
    }

    private static void checkDim(Matrix candidates, Matrix queries) {
        if (candidates.dim != queries.dim) {
            throw new IllegalStateException("Cannot search tenant " + queries.keys.get(0).tenant() + ": queries have "
                    + queries.dim + " dimensions, candidates " + candidates.dim + " (embeddings of two encoders?)");
        }
    }

    /** @return the vector scaled to length 1 (zeros stay zeros) */
    static float[] unit(float[] v) {
        double norm = 0;
        for (float x : v) {
            norm += (double) x * x;
        }
        float inv = norm > 0 ? (float) (1 / Math.sqrt(norm)) : 0f;
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = v[i] * inv;
        }
        return out;
    }

    /** @return how many of the sorted values are strictly below the bound */
    static int lowerBound(long[] sorted, long bound) {
        int lo = 0;
        int hi = sorted.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (sorted[mid] < bound) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    static Timestamp micros(long micros) {
        Timestamp t = new Timestamp(Math.floorDiv(micros, 1000));
        t.setNanos((int) Math.floorMod(micros, 1_000_000L) * 1000);
        return t;
    }
}
