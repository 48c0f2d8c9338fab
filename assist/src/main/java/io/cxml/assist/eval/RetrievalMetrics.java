package io.cxml.assist.eval;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import io.cxml.assist.Suggestions;
import io.cxml.assist.columns.SuggestionColumns;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;

/**
 * Retrieval quality of suggestions against the truth, per slice (all, language, tenant): precision@k of "the
 * neighbour has the ticket's intent" (hits in the top k over k, on tickets with at least one neighbour), MRR (1 / rank
 * of the first same-intent neighbour, 0 if none) and the article hit rate (an article of the ticket's intent in the top
 * k, on tickets whose tenant had such an article current at their creation: the answerable ones). Computed with
 * Spark aggregates; one row per slice reaches the driver.
 */
public final class RetrievalMetrics {
    /** Slice of every ticket. */
    public static final String ALL = "all";

    private RetrievalMetrics() {}

    /** Figures of one slice. */
    public record Slice(String slice, long tickets, long withNeighbour, double precisionAtK, double mrr,
            long answerable, double articleHitRate) {}

    /**
     * @param suggestions rows with ticket_id, kind, rank, suggestion_id
     * @param queries the tickets: ticket_id, account_id, intent, language, answerable (boolean)
     * @param ticketIntents candidate tickets: suggestion_id, n_intent
     * @param articleIntents articles: suggestion_id, n_intent
     * @param k the cut-off
     * @return the slices, "all" first, then languages and tenants by name
     */
    public static List<Slice> measure(Dataset<Row> suggestions, Dataset<Row> queries, Dataset<Row> ticketIntents,
            Dataset<Row> articleIntents, int k) {
        Dataset<Row> top = suggestions.filter(col(SuggestionColumns.RANK).between(1, k));
        Dataset<Row> tickets = top.filter(col(SuggestionColumns.KIND).equalTo(SuggestionColumns.KIND_TICKET))
                .join(ticketIntents, SuggestionColumns.SUGGESTION_ID);
        Dataset<Row> articles = top.filter(col(SuggestionColumns.KIND).equalTo(SuggestionColumns.KIND_ARTICLE))
                .join(articleIntents, SuggestionColumns.SUGGESTION_ID);
        Dataset<Row> q = queries.select(col("ticket_id"), col("intent"));
        Column same = col("n_intent").equalTo(col("intent"));
        Dataset<Row> perTicket = tickets.join(q, "ticket_id").groupBy("ticket_id").agg(
                functions.sum(when(same, 1).otherwise(0)).as("hits"),
                functions.min(when(same, col(SuggestionColumns.RANK))).as("first"));
        Dataset<Row> perArticle = articles.join(q, "ticket_id").groupBy("ticket_id").agg(
                functions.max(when(same, 1).otherwise(0)).as("article_hit"));
        Dataset<Row> rows = queries.join(perTicket, new String[] {"ticket_id"}, "left")
                .join(perArticle, new String[] {"ticket_id"}, "left")
                .withColumn("has", col("hits").isNotNull())
                .withColumn("p", col("hits").divide(lit(k)))
                .withColumn("rr", functions.coalesce(lit(1.0).divide(col("first")), lit(0.0)))
                .withColumn("hit", functions.coalesce(col("article_hit"), lit(0)));
        Dataset<Row> sliced = rows.withColumn("slice", functions.explode(functions.array(lit(ALL),
                functions.concat(lit("language="), col("language")), functions.concat(lit("tenant="),
                        col("account_id")))));
        List<Slice> out = new ArrayList<>();
        for (Row r : sliced.groupBy("slice").agg(functions.count(lit(1)),
                functions.sum(when(col("has"), 1).otherwise(0)),
                functions.avg(when(col("has"), col("p"))), functions.avg(when(col("has"), col("rr"))),
                functions.sum(when(col("answerable"), 1).otherwise(0)),
                functions.avg(when(col("answerable"), col("hit")))).orderBy("slice").collectAsList()) {
            out.add(new Slice(r.getString(0), r.getLong(1), r.getLong(2), r.isNullAt(3) ? 0 : r.getDouble(3),
                    r.isNullAt(4) ? 0 : r.getDouble(4), r.getLong(5), r.isNullAt(6) ? 0 : r.getDouble(6)));
        }
        out.sort((a, b) -> a.slice().equals(ALL) ? -1 : b.slice().equals(ALL) ? 1 : a.slice().compareTo(b.slice()));
        return out;
    }

    /**
     * @param slices figures
     * @return them as JSON-ready maps
     */
    public static List<Map<String, Object>> toMaps(List<Slice> slices) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Slice s : slices) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("slice", s.slice());
            m.put("tickets", s.tickets());
            m.put("with_neighbour", s.withNeighbour());
            m.put("precision_at_k", s.precisionAtK());
            m.put("mrr", s.mrr());
            m.put("answerable", s.answerable());
            m.put("article_hit_rate", s.articleHitRate());
            out.add(m);
        }
        return out;
    }
}
