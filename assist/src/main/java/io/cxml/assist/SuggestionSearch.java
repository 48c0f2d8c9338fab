package io.cxml.assist;

import static org.apache.spark.sql.functions.col;

import io.cxml.assist.ann.HnswParams;
import io.cxml.runtime.embedding.EmbeddingStore;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import scala.Tuple2;

/**
 * Exact k-nearest-neighbour search inside each tenant, on the executors. The driver only counts rows per tenant and
 * packs tenants into tasks ({@link TenantPacking}); the rows are shuffled to their tenant's task sorted by
 * {@link SearchKey} and searched there ({@link ExactSearch}): exactly, or, for a tenant with at least
 * {@link HnswParams#minTickets()} solved tickets and {@link HnswParams#minQueries()} queries, through an HNSW graph
 * built in the task.
 *
 * <p>Inputs (column names as below; vectors are {@code array<float>}):
 * <ul>
 *   <li>queries: {@value #TICKET_ID}, {@value #ACCOUNT_ID}, {@value #CREATED_AT}, {@value #VECTOR}</li>
 *   <li>solved tickets: {@value #TICKET_ID}, {@value #ACCOUNT_ID}, {@value #SOLVED_AT}, {@value #VECTOR}</li>
 *   <li>article chunks: {@value #ARTICLE_ID}, {@value #ACCOUNT_ID}, {@value #CHUNK}, {@value #VALID_FROM},
 *       {@value #VALID_TO} (null while current), {@value #VECTOR}</li>
 * </ul>
 */
public final class SuggestionSearch {
    public static final String TICKET_ID = "ticket_id";
    public static final String ACCOUNT_ID = "account_id";
    public static final String CREATED_AT = "created_at";
    public static final String SOLVED_AT = "solved_at";
    public static final String ARTICLE_ID = "article_id";
    public static final String CHUNK = "chunk";
    public static final String VALID_FROM = "valid_from";
    public static final String VALID_TO = "valid_to";
    public static final String VECTOR = "vector";

    private final int k;
    private final int queryBlock;
    private final int candidateBlock;
    private final long rowsPerTask;
    private final HnswParams hnsw;
    private int lastTasks;
    private int lastApproximate;

    /**
     * @param k suggestions per kind
     * @param queryBlock queries per matrix product
     * @param candidateBlock candidates per matrix product
     * @param rowsPerTask target rows per task
     */
    public SuggestionSearch(int k, int queryBlock, int candidateBlock, long rowsPerTask) {
        this(k, queryBlock, candidateBlock, rowsPerTask, HnswParams.exactOnly());
    }

    /**
     * @param hnsw when a tenant's tickets are searched through an HNSW graph, and its parameters
     */
    public SuggestionSearch(int k, int queryBlock, int candidateBlock, long rowsPerTask, HnswParams hnsw) {
        this.k = k;
        this.queryBlock = queryBlock;
        this.candidateBlock = candidateBlock;
        this.rowsPerTask = rowsPerTask;
        this.hnsw = hnsw;
    }

    /** @return tenants whose tickets the last search searched approximately */
    public int lastApproximateTenants() {
        return lastApproximate;
    }

    /** @return tasks of the last search */
    public int lastTasks() {
        return lastTasks;
    }

    /**
     * @param queries tickets to find suggestions for (only their tenants' candidates are read)
     * @param tickets solved tickets
     * @param articles article chunks of published versions (may be null)
     * @return rows of {@link ExactSearch#OUTPUT}
     */
    public Dataset<Row> search(Dataset<Row> queries, Dataset<Row> tickets, Dataset<Row> articles) {
        Dataset<Row> tenants = queries.select(ACCOUNT_ID).distinct();
        Dataset<Row> keyed = queries.select(col(ACCOUNT_ID), functions.lit(SearchKey.QUERY).as("_role"),
                        col(TICKET_ID).as("_id"), micros(col(CREATED_AT)).as("_time"), col(VECTOR),
                        functions.lit(null).cast("string").as("_article"), functions.lit(0L).as("_version"),
                        functions.lit(Long.MAX_VALUE).as("_valid_to"))
                .unionByName(tickets.join(tenants, ACCOUNT_ID).select(col(ACCOUNT_ID),
                        functions.lit(SearchKey.TICKET).as("_role"), col(TICKET_ID).as("_id"),
                        micros(col(SOLVED_AT)).as("_time"), col(VECTOR),
                        functions.lit(null).cast("string").as("_article"), functions.lit(0L).as("_version"),
                        functions.lit(Long.MAX_VALUE).as("_valid_to")));
        if (articles != null) {
            keyed = keyed.unionByName(articles.join(tenants, ACCOUNT_ID).select(col(ACCOUNT_ID),
                    functions.lit(SearchKey.ARTICLE).as("_role"),
                    functions.concat_ws("#", col(ARTICLE_ID), col(CHUNK).cast("string")).as("_id"),
                    micros(col(VALID_FROM)).as("_time"), col(VECTOR), col(ARTICLE_ID).as("_article"),
                    micros(col(VALID_FROM)).as("_version"),
                    functions.coalesce(micros(col(VALID_TO)), functions.lit(Long.MAX_VALUE)).as("_valid_to")));
        }
        keyed = keyed.filter(col(VECTOR).isNotNull());
        Map<String, Long> sizes = new HashMap<>();
        Map<String, Long> manyTickets = new HashMap<>();
        Set<String> manyQueries = new HashSet<>();
        for (Row r : keyed.groupBy(ACCOUNT_ID, "_role").count().collectAsList()) { // a row per tenant and role
            sizes.merge(r.getString(0), r.getLong(2), Long::sum);
            if (r.getInt(1) == SearchKey.TICKET && r.getLong(2) >= hnsw.minTickets()) {
                manyTickets.put(r.getString(0), r.getLong(2));
            } else if (r.getInt(1) == SearchKey.QUERY && r.getLong(2) >= hnsw.minQueries()) {
                manyQueries.add(r.getString(0));
            }
        }
        Set<String> approximate = new HashSet<>(manyTickets.keySet());
        approximate.retainAll(manyQueries);
        lastApproximate = approximate.size();
        if (sizes.isEmpty()) {
            return queries.sparkSession().createDataFrame(java.util.List.of(), ExactSearch.OUTPUT);
        }
        TenantPacking packing = TenantPacking.of(sizes, rowsPerTask);
        lastTasks = packing.tasks();
        JavaPairRDD<SearchKey, SearchValue> pairs = keyed.javaRDD().mapToPair(r -> new Tuple2<>(
                new SearchKey(r.getString(0), r.getInt(1), r.getLong(3), r.getString(2)),
                new SearchValue(EmbeddingStore.vector(r, 4), r.isNullAt(5) ? null : r.getString(5), r.getLong(6),
                        r.getLong(7))));
        ExactSearch exact = new ExactSearch(k, queryBlock, candidateBlock, hnsw, approximate);
        JavaRDD<Row> found = pairs.repartitionAndSortWithinPartitions(packing.partitioner())
                .mapPartitions(exact::run);
        return queries.sparkSession().createDataFrame(found, ExactSearch.OUTPUT);
    }

    private static org.apache.spark.sql.Column micros(org.apache.spark.sql.Column ts) {
        return functions.unix_micros(ts);
    }
}
