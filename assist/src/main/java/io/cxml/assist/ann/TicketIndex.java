package io.cxml.assist.ann;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.apache.lucene.codecs.KnnVectorsFormat;
import org.apache.lucene.codecs.lucene912.Lucene912Codec;
import org.apache.lucene.codecs.lucene99.Lucene99HnswVectorsFormat;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.LongPoint;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.LogDocMergePolicy;
import org.apache.lucene.index.SerialMergeScheduler;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.store.FSDirectory;

/**
 * One tenant's solved tickets in a Lucene HNSW graph, in a local folder, for approximate top-k cosine search with
 * point in time: a query only sees tickets solved strictly before its creation (a filter on the solve time, which
 * Lucene answers exactly when it keeps few tickets).
 *
 * <p>Same input, same graph, same answers: tickets are added in one order (solve time, id; checked), by one thread,
 * flushed every {@link #FLUSH_DOCS} tickets (not by RAM use) and merged once, serially, into one segment, so a
 * document's number is its position in that order; answers are ranked by score, ties by id. Memory: at most
 * {@link #FLUSH_DOCS} buffered vectors and, while merging, the graph (2 M ids and scores per ticket) on the heap; the
 * vectors themselves stay in the folder (memory-mapped), never twice on the heap.
 */
public final class TicketIndex implements AutoCloseable {
    /** Tickets buffered on the heap before they are written to a segment (65,536 x 384 floats = 100 MB). */
    static final int FLUSH_DOCS = 65_536;
    private static final String VECTOR = "v";
    private static final String SOLVED = "solved";

    /** One neighbour: the ticket and its cosine to the query. */
    public record Hit(String id, float score) {}

    private final Path dir;
    private final FSDirectory directory;
    private final List<String> ids = new ArrayList<>();
    private IndexWriter writer;
    private DirectoryReader reader;
    private IndexSearcher searcher;
    private long lastTime = Long.MIN_VALUE;
    private String lastId = "";
    private boolean closed;

    private TicketIndex(Path dir, HnswParams params) throws IOException {
        this.dir = dir;
        this.directory = FSDirectory.open(dir);
        KnnVectorsFormat format = new Lucene99HnswVectorsFormat(params.maxConnections(), params.beamWidth());
        IndexWriterConfig config = new IndexWriterConfig()
                .setCodec(new Lucene912Codec() {
                    @Override
                    public KnnVectorsFormat getKnnVectorsFormatForField(String field) {
                        return format;
                    }
                })
                .setOpenMode(IndexWriterConfig.OpenMode.CREATE)
                .setMaxBufferedDocs(FLUSH_DOCS)
                .setRAMBufferSizeMB(IndexWriterConfig.DISABLE_AUTO_FLUSH)
                .setMergeScheduler(new SerialMergeScheduler())
                .setMergePolicy(noMergesUntilForced())
                .setUseCompoundFile(false);
        this.writer = new IndexWriter(directory, config);
    }

    /** LogDocMergePolicy merges adjacent segments only, so forcing one segment keeps the order tickets came in. */
    private static LogDocMergePolicy noMergesUntilForced() {
        LogDocMergePolicy policy = new LogDocMergePolicy();
        policy.setMergeFactor(Integer.MAX_VALUE);
        policy.setMinMergeDocs(1);
        return policy;
    }

    /**
     * @param dir an empty local folder of its own (deleted on {@link #close()})
     * @param params graph parameters
     * @return an empty index
     */
    public static TicketIndex create(Path dir, HnswParams params) {
        try {
            return new TicketIndex(dir, params);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create an HNSW index in " + dir, e);
        }
    }

    /**
     * Adds a solved ticket; tickets come by solve time, then id, before the first search.
     *
     * @param id the ticket
     * @param solvedMicros its solve time (microseconds)
     * @param unitVector its L2-normalised embedding
     */
    public void add(String id, long solvedMicros, float[] unitVector) {
        if (writer == null) {
            throw new IllegalStateException("Cannot add ticket " + id + " to the HNSW index: it is already searched");
        }
        if (solvedMicros < lastTime || (solvedMicros == lastTime && id.compareTo(lastId) < 0)) {
            throw new IllegalStateException("Cannot add ticket " + id + " to the HNSW index: tickets must come by "
                    + "solve time then id (a fixed order gives the same graph on a re-run)");
        }
        lastTime = solvedMicros;
        lastId = id;
        Document doc = new Document();
        doc.add(new KnnFloatVectorField(VECTOR, unitVector, VectorSimilarityFunction.DOT_PRODUCT));
        doc.add(new LongPoint(SOLVED, solvedMicros));
        try {
            writer.addDocument(doc);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot add ticket " + id + " to the HNSW index in " + dir, e);
        }
        ids.add(id);
    }

    /** @return tickets added */
    public int size() {
        return ids.size();
    }

    /**
     * @param unitVector the query's L2-normalised embedding
     * @param createdMicros the query's creation: only tickets solved strictly before it are seen
     * @param k neighbours wanted
     * @param candidates neighbours collected from the graph (ef), of which the k best are kept
     * @return up to k tickets by descending cosine, ties by id
     */
    public List<Hit> search(float[] unitVector, long createdMicros, int k, int candidates) {
        List<Hit> hits = new ArrayList<>();
        if (createdMicros == Long.MIN_VALUE || ids.isEmpty()) {
            return hits;
        }
        try {
            open();
            Query solvedBefore = createdMicros > lastTime ? null // every ticket was solved before: no filter
                    : LongPoint.newRangeQuery(SOLVED, Long.MIN_VALUE, createdMicros - 1);
            KnnFloatVectorQuery query = new KnnFloatVectorQuery(VECTOR, unitVector, Math.max(k, candidates),
                    solvedBefore);
            for (ScoreDoc d : searcher.search(query, Math.max(k, candidates)).scoreDocs) {
                hits.add(new Hit(ids.get(d.doc), 2 * d.score - 1)); // DOT_PRODUCT scores (1 + cosine) / 2
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot search the HNSW index in " + dir, e);
        }
        hits.sort(Comparator.comparingDouble((Hit h) -> -h.score()).thenComparing(Hit::id));
        return hits.size() > k ? new ArrayList<>(hits.subList(0, k)) : hits;
    }

    /** Merges the segments into one graph and opens it for search (once, at the first query). */
    private void open() throws IOException {
        if (searcher != null) {
            return;
        }
        writer.forceMerge(1);
        writer.close();
        writer = null;
        reader = DirectoryReader.open(directory);
        if (reader.maxDoc() != ids.size()) {
            throw new IllegalStateException("Cannot search the HNSW index in " + dir + ": it holds "
                    + reader.maxDoc() + " tickets, " + ids.size() + " were added");
        }
        searcher = new IndexSearcher(reader);
    }

    /** @return bytes of the index's files (after the first search: the merged graph and vectors) */
    public long bytesOnDisk() {
        try (Stream<Path> files = Files.list(dir)) {
            return files.mapToLong(p -> p.toFile().length()).sum();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list the HNSW index in " + dir, e);
        }
    }

    /** Builds the graph now (else the first search does). */
    public void seal() {
        try {
            open();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot build the HNSW index in " + dir, e);
        }
    }

    /** Removes the folder; closing again does nothing. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (reader != null) {
                reader.close();
            }
            if (writer != null) {
                writer.rollback();
            }
            directory.close();
            try (Stream<Path> files = Files.list(dir)) {
                for (Path p : files.toList()) {
                    Files.deleteIfExists(p);
                }
            }
            Files.deleteIfExists(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot remove the HNSW index in " + dir, e);
        }
    }
}
