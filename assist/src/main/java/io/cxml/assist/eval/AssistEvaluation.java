package io.cxml.assist.eval;

import static org.apache.spark.sql.functions.col;

import io.cxml.assist.AssistInputs;
import io.cxml.assist.SuggestionSearch;
import io.cxml.assist.Suggestions;
import io.cxml.assist.kb.ArticleChunks;
import io.cxml.assist.kb.KnowledgeBaseArticles;
import io.cxml.contract.CuratedInteractions;
import io.cxml.storage.StorageFiles;
import io.cxml.storage.StorageLayout;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF2;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;

/**
 * {@code cxml evaluate-assist}: the suggestions {@code cxml assist} wrote for a window, measured against the sample's
 * truth ({@link RetrievalMetrics}), beside a TF-IDF retrieval baseline that searches the same tickets, the same
 * point-in-time candidates and the same article chunks with the same exact search.
 */
public final class AssistEvaluation {
    private static final String TEXT = "_text";
    private final SparkSession spark;
    private final StorageLayout layout;

    /** Figures of both retrievals on the same tickets. */
    public record Result(long tickets, List<RetrievalMetrics.Slice> embedding, List<RetrievalMetrics.Slice> tfidf) {}

    /**
     * @param spark the session
     * @param layout the storage layout
     */
    public AssistEvaluation(SparkSession spark, StorageLayout layout) {
        this.spark = spark;
        this.layout = layout;
    }

    /**
     * @param from first creation time included
     * @param to first creation time excluded
     * @param k the cut-off
     * @param chunks how articles were cut
     * @param search the search the baseline runs (same sizes as the job's)
     * @return the figures
     */
    public Result run(Instant from, Instant to, int k, ArticleChunks chunks, SuggestionSearch search) {
        Dataset<Row> curated = spark.read().schema(CuratedInteractions.SCHEMA).parquet(layout.curatedInteractions());
        String path = layout.resolve(Suggestions.PATH);
        if (!StorageFiles.exists(path, spark.sparkContext().hadoopConfiguration())) {
            throw new IllegalArgumentException("Cannot evaluate assist: no " + path + ". Run `cxml assist --from "
                    + from + " --to " + to + "` first");
        }
        Dataset<Row> suggestions = spark.read().parquet(path).filter(col(Suggestions.CREATED_AT)
                .geq(Timestamp.from(from)).and(col(Suggestions.CREATED_AT).lt(Timestamp.from(to))));
        Dataset<Row> embedded = suggestions.filter(col(Suggestions.EMPTY_REASON).isNull()
                .or(col(Suggestions.EMPTY_REASON).notEqual(Suggestions.NO_EMBEDDING)))
                .select(Suggestions.TICKET_ID).distinct();
        Dataset<Row> window = AssistInputs.windowTickets(curated, from, to).join(embedded, Suggestions.TICKET_ID)
                .join(curated.select(col(CuratedInteractions.TICKET_ID), col(CuratedInteractions.TRUE_INTENT)
                        .as("intent"), col(CuratedInteractions.TRUE_LANGUAGE).as("language")),
                        CuratedInteractions.TICKET_ID)
                .filter(col("intent").isNotNull()).cache();
        long tickets = window.count();
        if (tickets == 0) {
            throw new IllegalArgumentException("Cannot evaluate assist: no suggested ticket of " + from + ".." + to
                    + " has a true intent (sample data carries one; run `cxml assist` on its window)");
        }
        Dataset<Row> tenants = window.select(CuratedInteractions.ACCOUNT_ID).distinct();
        String kbPath = layout.resolve(KnowledgeBaseArticles.CURATED);
        boolean hasKb = StorageFiles.exists(kbPath, spark.sparkContext().hadoopConfiguration());
        Dataset<Row> versions = hasKb ? AssistInputs.publishedVersions(spark.read()
                .schema(KnowledgeBaseArticles.SCHEMA).parquet(kbPath), tenants) : null;
        Dataset<Row> queries = answerable(window, versions);
        Dataset<Row> ticketIntents = curated.select(col(CuratedInteractions.TICKET_ID).as(Suggestions.SUGGESTION_ID),
                col(CuratedInteractions.TRUE_INTENT).as("n_intent"));
        Dataset<Row> articleIntents = hasKb ? spark.read().schema(KnowledgeBaseArticles.SCHEMA).parquet(kbPath)
                .select(col(KnowledgeBaseArticles.ARTICLE_ID).as(Suggestions.SUGGESTION_ID),
                        col(KnowledgeBaseArticles.TRUE_INTENT).as("n_intent")).distinct()
                : spark.emptyDataFrame().selectExpr("cast(null as string) suggestion_id", "cast(null as string) n_intent");
        List<RetrievalMetrics.Slice> embedding = RetrievalMetrics.measure(suggestions, queries, ticketIntents,
                articleIntents, k);

        Dataset<Row> solved = AssistInputs.solvedBefore(curated, tenants, to).select(
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
        Dataset<Row> found = search.search(
                tfidf.transform(window.select(col(CuratedInteractions.TICKET_ID), col(CuratedInteractions.ACCOUNT_ID),
                        col(CuratedInteractions.CREATED_AT), col(CuratedInteractions.TEXT).as(TEXT)),
                        SuggestionSearch.VECTOR).drop(TEXT),
                tfidf.transform(solved, SuggestionSearch.VECTOR).drop(TEXT),
                chunkTexts == null ? null : tfidf.transform(chunkTexts, SuggestionSearch.VECTOR).drop(TEXT));
        List<RetrievalMetrics.Slice> baseline = RetrievalMetrics.measure(found, queries, ticketIntents,
                articleIntents, k);
        window.unpersist();
        return new Result(tickets, embedding, baseline);
    }

    /** Adds whether the tenant had an article of the ticket's intent current at its creation. */
    private static Dataset<Row> answerable(Dataset<Row> window, Dataset<Row> versions) {
        Dataset<Row> q = window.select(col(CuratedInteractions.TICKET_ID), col(CuratedInteractions.ACCOUNT_ID),
                col(CuratedInteractions.CREATED_AT), col("intent"), col("language"));
        if (versions == null) {
            return q.withColumn("answerable", functions.lit(false));
        }
        Dataset<Row> v = versions.select(col(KnowledgeBaseArticles.ACCOUNT_ID).as("_acct"),
                col(KnowledgeBaseArticles.TRUE_INTENT).as("_intent"), col(KnowledgeBaseArticles.UPDATED_AT).as("_from"),
                col(SuggestionSearch.VALID_TO).as("_to"));
        Dataset<Row> hits = q.join(v, q.col(CuratedInteractions.ACCOUNT_ID).equalTo(v.col("_acct"))
                        .and(q.col("intent").equalTo(v.col("_intent")))
                        .and(v.col("_from").leq(q.col(CuratedInteractions.CREATED_AT)))
                        .and(v.col("_to").isNull().or(v.col("_to").gt(q.col(CuratedInteractions.CREATED_AT)))))
                .select(CuratedInteractions.TICKET_ID).distinct().withColumn("answerable", functions.lit(true));
        return q.join(hits, new String[] {CuratedInteractions.TICKET_ID}, "left")
                .withColumn("answerable", functions.coalesce(col("answerable"), functions.lit(false)));
    }
}
