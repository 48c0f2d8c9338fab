package io.cxml.assist;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import io.cxml.assist.columns.SuggestionColumns;
import io.cxml.assist.kb.ArticleEmbeddings;
import io.cxml.assist.kb.KnowledgeBaseArticles;
import io.cxml.assist.rerank.Reranker;
import io.cxml.contract.CuratedInteractions;
import io.cxml.runs.RunRecord;
import io.cxml.s3.Committers;
import io.cxml.storage.StorageFiles;
import io.cxml.storage.StorageLayout;
import java.sql.Date;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code cxml assist}: suggestions for the tickets created in a window. Reads the curated tickets, their stored
 * vectors (the {@code ticket_embedding} view), the solved tickets and the article versions of the same tenants,
 * searches on the executors ({@link SuggestionSearch}) for a candidate pool, re-ranks it ({@link Reranker}), joins the neighbours' team, outcome and reply excerpt and the
 * articles' locale and title, and rewrites the window's rows of {@code assist/suggestions} (other tickets of the
 * touched days are kept), so a re-run of the window gives the same rows.
 */
public final class AssistRun {
    private static final Logger LOG = LoggerFactory.getLogger(AssistRun.class);
    /** Run-record counts. */
    public static final String QUERIES = "queries";
    public static final String WITHOUT_EMBEDDING = "queries_without_embedding";
    public static final String ROWS = "suggestion_rows";
    public static final String EMPTY_TICKETS = "queries_without_solved_neighbour";
    public static final String EMPTY_ARTICLES = "queries_without_article";

    private final SparkSession spark;
    private final StorageLayout layout;

    /**
     * @param spark the session
     * @param layout the storage layout
     */
    public AssistRun(SparkSession spark, StorageLayout layout) {
        this.spark = spark;
        this.layout = layout;
    }

    /**
     * @param o the options
     * @param record the run record to fill
     * @return the window's suggestions as written (without the partition column)
     */
    public Dataset<Row> run(AssistOptions o, RunRecord record) {
        record.window.put("from", o.from().toString());
        record.window.put("to", o.to().toString());
        record.versions.put("model", o.modelVersion());
        record.versions.put("ticket_index", o.ticketIndexVersion());
        record.versions.put("article_index", o.articleVectors() == null ? "none" : o.articleIndexVersion());
        record.versions.put("rerank", o.weights().version());
        record.details.put("rerank_weights", o.weights().asMap());
        record.details.put("rerank_candidates", o.candidates());
        Timestamp from = Timestamp.from(o.from());
        Timestamp to = Timestamp.from(o.to());
        Pool pool = pool(o);
        Dataset<Row> found = Reranker.rank(pool.rows(), o.weights(), o.topK());
        Dataset<Row> rows = describe(found, pool.solved(), o);
        String written = write(rows, o, record);
        pool.window().unpersist();
        if (written == null) {
            record.count(QUERIES, 0);
            return spark.createDataFrame(List.of(), rows.drop(Suggestions.DT).schema());
        }
        Dataset<Row> out = spark.read().parquet(written)
                .filter(col(SuggestionColumns.CREATED_AT).geq(from).and(col(SuggestionColumns.CREATED_AT).lt(to)))
                .drop(Suggestions.DT);
        Row counts = out.agg(functions.countDistinct(col(SuggestionColumns.TICKET_ID)), functions.count(lit(1)),
                functions.countDistinct(functions.when(col(Suggestions.EMPTY_REASON).equalTo(Suggestions.NO_EMBEDDING),
                        col(SuggestionColumns.TICKET_ID))),
                functions.countDistinct(functions.when(col(Suggestions.EMPTY_REASON)
                        .equalTo(Suggestions.NO_SOLVED_TICKET), col(SuggestionColumns.TICKET_ID))),
                functions.countDistinct(functions.when(col(Suggestions.EMPTY_REASON)
                        .equalTo(Suggestions.NO_CURRENT_ARTICLE), col(SuggestionColumns.TICKET_ID)))).first();
        record.count(QUERIES, counts.getLong(0)).count(ROWS, counts.getLong(1))
                .count(WITHOUT_EMBEDDING, counts.getLong(2)).count(EMPTY_TICKETS, counts.getLong(3))
                .count(EMPTY_ARTICLES, counts.getLong(4));
        record.details.put("search_tasks", pool.searchTasks());
        record.details.put("hnsw_tenants", pool.approximateTenants());
        return out;
    }

    /**
     * The first stage's result for a window.
     *
     * @param rows per ticket and kind the {@code candidates} most similar (ranked by cosine) or one rank-0 row, with
     *     the re-ranking features ({@link Reranker#withFeatures})
     * @param solved the tenants' tickets solved before the window's end (every curated column)
     * @param window the window's tickets with their vectors (cached: unpersist when done)
     * @param searchTasks tasks of the search
     * @param approximateTenants tenants searched through an HNSW graph
     */
    public record Pool(Dataset<Row> rows, Dataset<Row> solved, Dataset<Row> window, int searchTasks,
            int approximateTenants) {}

    /**
     * Searches the window's tickets (queries) for their {@code candidates} nearest solved tickets and articles.
     *
     * @param o the options
     * @return the candidate pool
     */
    public Pool pool(AssistOptions o) {
        Dataset<Row> curated = spark.read().schema(CuratedInteractions.SCHEMA).parquet(layout.curatedInteractions());
        Dataset<Row> vectors = spark.read().parquet(o.ticketVectors()).select(col("ticket_id"),
                col("embedding").as(SuggestionSearch.VECTOR));
        Dataset<Row> window = AssistInputs.windowTickets(curated, o.from(), o.to()).drop(CuratedInteractions.TEXT)
                .join(vectors, new String[] {CuratedInteractions.TICKET_ID}, "left").cache();
        Dataset<Row> tenants = window.select(CuratedInteractions.ACCOUNT_ID).distinct();
        Dataset<Row> solved = AssistInputs.solvedBefore(curated, tenants, o.to());
        Dataset<Row> solvedVectors = solved.select(CuratedInteractions.TICKET_ID, CuratedInteractions.ACCOUNT_ID,
                CuratedInteractions.SOLVED_AT).join(vectors, CuratedInteractions.TICKET_ID);
        Dataset<Row> chunks = articleChunks(o, tenants);

        SuggestionSearch search = new SuggestionSearch(o.candidates(), o.queryBlock(), o.candidateBlock(),
                o.rowsPerTask(), o.hnsw());
        Dataset<Row> found = search.search(window.filter(col(SuggestionSearch.VECTOR).isNotNull()), solvedVectors,
                chunks);
        Dataset<Row> missing = window.filter(col(SuggestionSearch.VECTOR).isNull());
        for (String kind : List.of(SuggestionColumns.KIND_TICKET, SuggestionColumns.KIND_ARTICLE)) {
            found = found.unionByName(missing.select(col(CuratedInteractions.TICKET_ID),
                    col(CuratedInteractions.ACCOUNT_ID), col(CuratedInteractions.CREATED_AT),
                    lit(kind).as(SuggestionColumns.KIND), lit(0).as(SuggestionColumns.RANK),
                    lit(null).cast("string").as(SuggestionColumns.SUGGESTION_ID),
                    lit(null).cast("timestamp").as(SuggestionColumns.ARTICLE_VERSION),
                    lit(null).cast("double").as(SuggestionColumns.SCORE), lit(Suggestions.NO_EMBEDDING)
                            .as(Suggestions.EMPTY_REASON)));
        }
        return new Pool(Reranker.withFeatures(found, solved), solved, window, search.lastTasks(),
                search.lastApproximateTenants());
    }

    /** The chunk vectors of the article versions of these tenants, with each version's validity. */
    private Dataset<Row> articleChunks(AssistOptions o, Dataset<Row> tenants) {
        Configuration hadoop = spark.sparkContext().hadoopConfiguration();
        String curated = layout.resolve(KnowledgeBaseArticles.CURATED);
        if (o.articleVectors() == null || !StorageFiles.exists(curated, hadoop)
                || !StorageFiles.exists(o.articleVectors(), hadoop)) {
            return null;
        }
        Dataset<Row> versions = AssistInputs.publishedVersions(
                spark.read().schema(KnowledgeBaseArticles.SCHEMA).parquet(curated), tenants);
        return versions.join(spark.read().parquet(o.articleVectors()),
                        new String[] {KnowledgeBaseArticles.ARTICLE_ID, KnowledgeBaseArticles.UPDATED_AT})
                .select(col(KnowledgeBaseArticles.ARTICLE_ID), col(KnowledgeBaseArticles.ACCOUNT_ID),
                        col(ArticleEmbeddings.CHUNK), col(KnowledgeBaseArticles.UPDATED_AT)
                                .as(SuggestionSearch.VALID_FROM),
                        col(SuggestionSearch.VALID_TO), col(ArticleEmbeddings.EMBEDDING).as(SuggestionSearch.VECTOR));
    }

    /** Adds what an agent reads beside each suggestion. */
    private Dataset<Row> describe(Dataset<Row> found, Dataset<Row> solved, AssistOptions o) {
        Column lastAgent = functions.element_at(functions.filter(col(CuratedInteractions.MESSAGES),
                m -> m.getField("author").equalTo("agent")), -1).getField("body");
        Dataset<Row> neighbours = solved.select(col(CuratedInteractions.TICKET_ID).as("_n_id"),
                col(CuratedInteractions.ASSIGNED_GROUP).as(Suggestions.TEAM),
                col(CuratedInteractions.CSAT).as(Suggestions.CSAT),
                col(CuratedInteractions.REOPENED).as(Suggestions.REOPENED),
                functions.substring(lastAgent, 1, o.excerptChars()).as("_reply"));
        Dataset<Row> withTickets = found.join(neighbours,
                found.col(SuggestionColumns.SUGGESTION_ID).equalTo(col("_n_id"))
                        .and(found.col(SuggestionColumns.KIND).equalTo(SuggestionColumns.KIND_TICKET)), "left")
                .drop("_n_id");
        Dataset<Row> result;
        String curated = layout.resolve(KnowledgeBaseArticles.CURATED);
        if (StorageFiles.exists(curated, spark.sparkContext().hadoopConfiguration())) {
            Dataset<Row> articles = spark.read().schema(KnowledgeBaseArticles.SCHEMA).parquet(curated)
                    .select(col(KnowledgeBaseArticles.ARTICLE_ID).as("_a_id"),
                            col(KnowledgeBaseArticles.UPDATED_AT).as("_a_version"),
                            col(KnowledgeBaseArticles.LOCALE).as(Suggestions.LOCALE),
                            functions.substring(col(KnowledgeBaseArticles.TITLE), 1, o.excerptChars()).as("_title"));
            result = withTickets.join(articles, withTickets.col(SuggestionColumns.SUGGESTION_ID).equalTo(col("_a_id"))
                    .and(withTickets.col(SuggestionColumns.ARTICLE_VERSION).equalTo(col("_a_version")))
                    .and(withTickets.col(SuggestionColumns.KIND).equalTo(SuggestionColumns.KIND_ARTICLE)), "left")
                    .drop("_a_id", "_a_version");
        } else {
            result = withTickets.withColumn(Suggestions.LOCALE, lit(null).cast("string"))
                    .withColumn("_title", lit(null).cast("string"));
        }
        Column ticketKind = col(SuggestionColumns.KIND).equalTo(SuggestionColumns.KIND_TICKET);
        return result.select(col(SuggestionColumns.TICKET_ID), col(Suggestions.ACCOUNT_ID),
                col(SuggestionColumns.CREATED_AT), col(SuggestionColumns.KIND), col(SuggestionColumns.RANK),
                col(SuggestionColumns.SUGGESTION_ID), col(SuggestionColumns.ARTICLE_VERSION),
                col(SuggestionColumns.SCORE), col(SuggestionColumns.RERANK_SCORE),
                lit(o.weights().version()).as(Suggestions.RERANK_WEIGHTS), col(Suggestions.EMPTY_REASON),
                col(Suggestions.TEAM), col(Suggestions.CSAT), col(Suggestions.REOPENED),
                functions.when(ticketKind, col("_reply")).otherwise(col("_title")).as(Suggestions.EXCERPT),
                col(Suggestions.LOCALE), lit(o.modelVersion()).as(Suggestions.MODEL_VERSION),
                functions.when(ticketKind, lit(o.ticketIndexVersion())).otherwise(lit(o.articleIndexVersion()))
                        .as(Suggestions.INDEX_VERSION),
                functions.to_date(col(SuggestionColumns.CREATED_AT)).as(Suggestions.DT));
    }

    /** Rewrites the touched days, keeping their rows of tickets outside the window; returns the table's path. */
    private String write(Dataset<Row> rows, AssistOptions o, RunRecord record) {
        Configuration hadoop = spark.sparkContext().hadoopConfiguration();
        String target = layout.resolve(Suggestions.PATH);
        String staging = layout.resolve("_staging/assist/" + record.runId);
        try {
            rows.write().mode(SaveMode.Overwrite).parquet(staging);
            Dataset<Row> staged = spark.read().parquet(staging);
            List<Date> days = new ArrayList<>();
            for (Row r : staged.select(Suggestions.DT).distinct().collectAsList()) {
                days.add(r.getDate(0));
            }
            if (days.isEmpty()) {
                LOG.warn("No ticket was created in {}..{}: {} is left as it was", o.from(), o.to(), target);
                return null;
            }
            Dataset<Row> all = staged;
            if (StorageFiles.exists(target, hadoop)) {
                Dataset<Row> kept = spark.read().schema(staged.schema()).parquet(target)
                        .filter(col(Suggestions.DT).isin(days.toArray()))
                        .filter(col(SuggestionColumns.CREATED_AT).lt(Timestamp.from(o.from()))
                                .or(col(SuggestionColumns.CREATED_AT).geq(Timestamp.from(o.to()))));
                String merged = staging + "-merged";
                staged.unionByName(kept).write().mode(SaveMode.Overwrite).parquet(merged);
                all = spark.read().parquet(merged);
            }
            Dataset<Row> sorted = all.repartition(col(Suggestions.DT)).sortWithinPartitions(SuggestionColumns.TICKET_ID,
                    SuggestionColumns.KIND, SuggestionColumns.RANK);
            Committers.withClassicCommitter(spark, () -> {
                sorted.write().mode(SaveMode.Overwrite).partitionBy(Suggestions.DT).parquet(target);
                return null;
            });
            record.details.put("partitions_written", days.size());
            return target;
        } finally {
            StorageFiles.deleteIfExists(staging, hadoop);
            StorageFiles.deleteIfExists(staging + "-merged", hadoop);
        }
    }
}
