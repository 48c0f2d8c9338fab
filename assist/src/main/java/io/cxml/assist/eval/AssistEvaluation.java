package io.cxml.assist.eval;

import static org.apache.spark.sql.functions.col;

import io.cxml.assist.AssistInputs;
import io.cxml.assist.AssistOptions;
import io.cxml.assist.AssistRun;
import io.cxml.assist.SuggestionSearch;
import io.cxml.assist.kb.ArticleChunks;
import io.cxml.assist.kb.KnowledgeBaseArticles;
import io.cxml.assist.rerank.RerankWeights;
import io.cxml.assist.rerank.Reranker;
import io.cxml.contract.CuratedInteractions;
import io.cxml.storage.StorageFiles;
import io.cxml.storage.StorageLayout;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF2;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;

/**
 * {@code cxml evaluate assist}: each stage of assist on a window's labelled tickets ({@link RetrievalMetrics}) —
 * the exact search's order alone (similarity), the same candidate pool re-ranked with the weights in use, and a
 * TF-IDF retrieval baseline that searches the same tickets, the same point-in-time candidates and the same article
 * chunks with the same exact search.
 */
public final class AssistEvaluation {
    private static final String TEXT = "_text";
    private final SparkSession spark;
    private final StorageLayout layout;

    /** Figures of each stage on the same tickets. */
    public record Result(long tickets, RerankWeights weights, List<RetrievalMetrics.Slice> similarity,
            List<RetrievalMetrics.Slice> reranked, List<RetrievalMetrics.Slice> tfidf) {}

    /**
     * @param spark the session
     * @param layout the storage layout
     */
    public AssistEvaluation(SparkSession spark, StorageLayout layout) {
        this.spark = spark;
        this.layout = layout;
    }

    /**
     * @param o the options of the window's search (its candidate pool and re-ranking weights)
     * @param k the cut-off
     * @param labels the intents of queries and candidates
     * @param chunks how articles were cut
     * @return the figures; no slice when no ticket of the window has a label
     */
    public Result run(AssistOptions o, int k, RelevanceLabels labels, ArticleChunks chunks) {
        Dataset<Row> curated = spark.read().schema(CuratedInteractions.SCHEMA).parquet(layout.curatedInteractions());
        AssistRun.Pool pool = new AssistRun(spark, layout).pool(o);
        Dataset<Row> window = pool.window().filter(col(SuggestionSearch.VECTOR).isNotNull())
                .select(CuratedInteractions.TICKET_ID, CuratedInteractions.ACCOUNT_ID, CuratedInteractions.CREATED_AT)
                .join(labels.tickets().select(col(RelevanceLabels.TICKET_ID), col(RelevanceLabels.INTENT),
                        functions.coalesce(col(RelevanceLabels.LANGUAGE), functions.lit("unknown"))
                                .as(RelevanceLabels.LANGUAGE)), CuratedInteractions.TICKET_ID)
                .cache();
        long tickets = window.count();
        if (tickets == 0) {
            window.unpersist();
            pool.window().unpersist();
            return new Result(0, o.weights(), List.of(), List.of(), List.of());
        }
        Dataset<Row> tenants = window.select(CuratedInteractions.ACCOUNT_ID).distinct();
        String kbPath = layout.resolve(KnowledgeBaseArticles.CURATED);
        boolean hasKb = StorageFiles.exists(kbPath, spark.sparkContext().hadoopConfiguration());
        Dataset<Row> versions = hasKb ? AssistInputs.publishedVersions(spark.read()
                .schema(KnowledgeBaseArticles.SCHEMA).parquet(kbPath), tenants) : null;
        Dataset<Row> queries = answerable(window, versions, labels.articles());
        Dataset<Row> ticketIntents = labels.tickets().select(col(RelevanceLabels.TICKET_ID).as("suggestion_id"),
                col(RelevanceLabels.INTENT).as("n_intent"));
        Dataset<Row> articleIntents = labels.articles().select(col(RelevanceLabels.ARTICLE_ID).as("suggestion_id"),
                col(RelevanceLabels.INTENT).as("n_intent"));
        Dataset<Row> candidates = pool.rows().cache();
        List<RetrievalMetrics.Slice> similarity = RetrievalMetrics.measure(
                Reranker.rank(candidates, RerankWeights.IDENTITY, k), queries, ticketIntents, articleIntents, k);
        List<RetrievalMetrics.Slice> reranked = RetrievalMetrics.measure(Reranker.rank(candidates, o.weights(), k),
                queries, ticketIntents, articleIntents, k);
        candidates.unpersist();
        pool.window().unpersist();

        Dataset<Row> solved = AssistInputs.solvedBefore(curated, tenants, o.to()).select(
                col(CuratedInteractions.TICKET_ID), col(CuratedInteractions.ACCOUNT_ID),
                col(CuratedInteractions.SOLVED_AT), col(CuratedInteractions.TEXT).as(TEXT));
        Dataset<Row> chunkTexts = null;
        if (versions != null) {
            UDF2<String, String, List<String>> split = chunks::split;
            chunkTexts = versions.select(col(KnowledgeBaseArticles.ARTICLE_ID), col(KnowledgeBaseArticles.ACCOUNT_ID),
                            col(KnowledgeBaseArticles.UPDATED_AT).as(SuggestionSearch.VALID_FROM),
                            col(SuggestionSearch.VALID_TO), functions.posexplode(functions.udf(split,
                                    DataTypes.createArrayType(DataTypes.StringType)).apply(
                                    col(KnowledgeBaseArticles.TITLE), col(KnowledgeBaseArticles.BODY))))
                    .withColumnRenamed("pos", SuggestionSearch.CHUNK).withColumnRenamed("col", TEXT);
        }
        Dataset<Row> corpus = chunkTexts == null ? solved.select(TEXT)
                : solved.select(TEXT).unionByName(chunkTexts.select(TEXT));
        TfIdfVectors tfidf = TfIdfVectors.fit(corpus, TEXT, 12);
        Dataset<Row> queryTexts = AssistInputs.windowTickets(curated, o.from(), o.to())
                .join(window.select(CuratedInteractions.TICKET_ID), CuratedInteractions.TICKET_ID)
                .withColumnRenamed(CuratedInteractions.TEXT, TEXT);
        SuggestionSearch search = new SuggestionSearch(k, o.queryBlock(), o.candidateBlock(), o.rowsPerTask());
        Dataset<Row> found = search.search(tfidf.transform(queryTexts, SuggestionSearch.VECTOR).drop(TEXT),
                tfidf.transform(solved, SuggestionSearch.VECTOR).drop(TEXT),
                chunkTexts == null ? null : tfidf.transform(chunkTexts, SuggestionSearch.VECTOR).drop(TEXT));
        List<RetrievalMetrics.Slice> baseline = RetrievalMetrics.measure(found, queries, ticketIntents,
                articleIntents, k);
        window.unpersist();
        return new Result(tickets, o.weights(), similarity, reranked, baseline);
    }

    /** Adds whether the tenant had an article of the ticket's intent current at its creation. */
    private static Dataset<Row> answerable(Dataset<Row> window, Dataset<Row> versions, Dataset<Row> articleLabels) {
        Dataset<Row> q = window.select(col(CuratedInteractions.TICKET_ID), col(CuratedInteractions.ACCOUNT_ID),
                col(CuratedInteractions.CREATED_AT), col("intent"), col("language"));
        if (versions == null) {
            return q.withColumn("answerable", functions.lit(false));
        }
        Dataset<Row> v = versions.join(articleLabels, KnowledgeBaseArticles.ARTICLE_ID).select(
                col(KnowledgeBaseArticles.ACCOUNT_ID).as("_acct"), col(RelevanceLabels.INTENT).as("_intent"),
                col(KnowledgeBaseArticles.UPDATED_AT).as("_from"), col(SuggestionSearch.VALID_TO).as("_to"));
        Dataset<Row> hits = q.join(v, q.col(CuratedInteractions.ACCOUNT_ID).equalTo(v.col("_acct"))
                        .and(q.col("intent").equalTo(v.col("_intent")))
                        .and(v.col("_from").leq(q.col(CuratedInteractions.CREATED_AT)))
                        .and(v.col("_to").isNull().or(v.col("_to").gt(q.col(CuratedInteractions.CREATED_AT)))))
                .select(CuratedInteractions.TICKET_ID).distinct().withColumn("answerable", functions.lit(true));
        return q.join(hits, new String[] {CuratedInteractions.TICKET_ID}, "left")
                .withColumn("answerable", functions.coalesce(col("answerable"), functions.lit(false)));
    }
}
