package io.cxml.assist.eval;

import static org.apache.spark.sql.functions.col;

import io.cxml.assist.Suggestions;
import io.cxml.assist.columns.SuggestionColumns;
import io.cxml.assist.kb.KnowledgeBaseArticles;
import io.cxml.contract.CuratedInteractions;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;

/**
 * Who is relevant to whom when measuring or fitting assist: a query and a candidate (solved ticket or article) are
 * relevant to each other when they share an intent. The intents come from a labelled file ({@code --data}) or, for
 * the sample only, from its truth columns; production paths never read the truth.
 *
 * @param tickets ticket_id, intent, language (null when the file has none)
 * @param articles article_id, intent (empty when the file labels no article)
 * @param source what the labels are: {@code sample truth} or the file's path
 */
public record RelevanceLabels(Dataset<Row> tickets, Dataset<Row> articles, String source) {
    /** Columns of a labelled file. */
    public static final String TICKET_ID = "ticket_id";
    public static final String ARTICLE_ID = "article_id";
    public static final String INTENT = "intent";
    public static final String LANGUAGE = "language";
    /** Column added by {@link #markRelevant}. */
    public static final String RELEVANT = io.cxml.assist.rerank.RerankFit.RELEVANT;

    /**
     * The sample's truth (sample data and its evaluation only).
     *
     * @param curated curated interactions
     * @param articles curated article versions, or null without a knowledge base
     * @return the labels
     */
    public static RelevanceLabels sampleTruth(Dataset<Row> curated, Dataset<Row> articles) {
        Dataset<Row> t = curated.filter(col(CuratedInteractions.TRUE_INTENT).isNotNull()).select(
                col(CuratedInteractions.TICKET_ID).as(TICKET_ID), col(CuratedInteractions.TRUE_INTENT).as(INTENT),
                col(CuratedInteractions.TRUE_LANGUAGE).as(LANGUAGE));
        return new RelevanceLabels(t, articleLabels(curated.sparkSession(), articles == null ? null
                : articles.filter(col(KnowledgeBaseArticles.TRUE_INTENT).isNotNull()).select(
                        col(KnowledgeBaseArticles.ARTICLE_ID).as(ARTICLE_ID),
                        col(KnowledgeBaseArticles.TRUE_INTENT).as(INTENT)).distinct()), "sample truth");
    }

    /**
     * A labelled export: CSV with a header, or Parquet; columns ticket_id and intent, optionally language and
     * article_id. A row with an article_id labels that article (all its versions), one with a ticket_id that ticket.
     *
     * @param spark the session
     * @param path the file or folder
     * @return the labels
     */
    public static RelevanceLabels file(SparkSession spark, String path) {
        Dataset<Row> data = path.toLowerCase(java.util.Locale.ROOT).endsWith(".csv")
                ? spark.read().option("header", "true").csv(path) : spark.read().parquet(path);
        List<String> columns = Arrays.asList(data.columns());
        if (!columns.contains(INTENT) || !columns.contains(TICKET_ID)) {
            throw new IllegalArgumentException("Cannot read the labels " + path + ": it needs the columns ticket_id "
                    + "and intent (optionally language, article_id), it has " + columns);
        }
        Dataset<Row> t = data.filter(col(TICKET_ID).isNotNull().and(col(INTENT).isNotNull())).select(
                col(TICKET_ID).cast("string"), col(INTENT).cast("string"), columns.contains(LANGUAGE)
                        ? col(LANGUAGE).cast("string") : functions.lit(null).cast("string").as(LANGUAGE));
        Dataset<Row> a = columns.contains(ARTICLE_ID) ? data.filter(col(ARTICLE_ID).isNotNull()
                .and(col(INTENT).isNotNull())).select(col(ARTICLE_ID).cast("string"), col(INTENT).cast("string"))
                .distinct() : null;
        return new RelevanceLabels(t, articleLabels(spark, a), path);
    }

    /**
     * @param pool candidate rows (ticket_id, kind, suggestion_id, ...)
     * @return the rows of labelled queries with {@code relevant}: the candidate has the query's intent (false when
     *     the candidate is unlabelled)
     */
    public Dataset<Row> markRelevant(Dataset<Row> pool) {
        Dataset<Row> q = tickets.select(col(TICKET_ID), col(INTENT).as("_q_intent"));
        Dataset<Row> n = tickets.select(functions.lit(SuggestionColumns.KIND_TICKET).as("_n_kind"),
                        col(TICKET_ID).as("_n_id"), col(INTENT).as("_n_intent"))
                .unionByName(articles.select(functions.lit(SuggestionColumns.KIND_ARTICLE).as("_n_kind"),
                        col(ARTICLE_ID).as("_n_id"), col(INTENT).as("_n_intent")));
        Dataset<Row> labelled = pool.join(q, TICKET_ID);
        return labelled.join(n, labelled.col(SuggestionColumns.KIND).equalTo(n.col("_n_kind"))
                        .and(labelled.col(SuggestionColumns.SUGGESTION_ID).equalTo(n.col("_n_id"))), "left")
                .withColumn(RELEVANT, functions.coalesce(col("_n_intent").equalTo(col("_q_intent")),
                        functions.lit(false)))
                .drop("_q_intent", "_n_kind", "_n_id", "_n_intent");
    }

    private static Dataset<Row> articleLabels(SparkSession spark, Dataset<Row> labels) {
        return labels != null ? labels
                : spark.emptyDataFrame().selectExpr("cast(null as string) article_id", "cast(null as string) intent");
    }
}
