package io.cxml.assist.rerank;

import static io.cxml.assist.columns.SuggestionColumns.ARTICLE_VERSION;
import static io.cxml.assist.columns.SuggestionColumns.CREATED_AT;
import static io.cxml.assist.columns.SuggestionColumns.KIND;
import static io.cxml.assist.columns.SuggestionColumns.KIND_TICKET;
import static io.cxml.assist.columns.SuggestionColumns.RANK;
import static io.cxml.assist.columns.SuggestionColumns.RERANK_SCORE;
import static io.cxml.assist.columns.SuggestionColumns.SCORE;
import static io.cxml.assist.columns.SuggestionColumns.SUGGESTION_ID;
import static io.cxml.assist.columns.SuggestionColumns.TICKET_ID;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.functions;

/**
 * The re-ranking stage: orders each (ticket, kind) candidate pool by {@code cosine + sum(weight x feature)} and keeps
 * the top k. The features use only what is known at the query ticket's creation — the neighbour's solve time and
 * the article version's publication — except the neighbour's CSAT and reopened flag, which are today's values (a
 * neighbour reopened after the query was created counts as reopened). Runs as Spark columns and a window per
 * (ticket, kind), on the executors.
 */
public final class Reranker {
    /** Solved-ticket columns read (curated interactions). */
    static final String SOLVED_AT = "solved_at";
    static final String CSAT_COLUMN = "csat";
    static final String REOPENED_COLUMN = "reopened";
    /** Feature columns of a pool ({@link #withFeatures}); 0 where they do not apply (the other kind). */
    static final String CSAT = "_f_csat";
    static final String REOPENED = "_f_reopened";
    static final String RECENCY = "_f_recency";
    static final String FRESHNESS = "_f_freshness";
    /** Scale of the neighbour's age in the recency feature, and of the article version's in freshness. */
    static final double RECENCY_DAYS = 30;
    static final double FRESHNESS_DAYS = 90;
    private static final double SECONDS_PER_DAY = 86_400;

    private Reranker() {}

    /**
     * @param found search rows (ticket_id, account_id, created_at, kind, rank, suggestion_id, article_version, score,
     *     empty_reason), rank 0 for an empty kind
     * @param solved the solved candidate tickets: ticket_id, solved_at, csat, reopened
     * @return the rows with the feature columns
     */
    public static Dataset<Row> withFeatures(Dataset<Row> found, Dataset<Row> solved) {
        Dataset<Row> outcome = solved.select(col(TICKET_ID).as("_n_id"),
                col(SOLVED_AT).as("_n_solved"), col(CSAT_COLUMN).as("_n_csat"),
                col(REOPENED_COLUMN).as("_n_reopened"));
        Column isTicket = col(KIND).equalTo(KIND_TICKET);
        Dataset<Row> joined = found.join(outcome, found.col(SUGGESTION_ID).equalTo(col("_n_id"))
                .and(isTicket), "left");
        return joined
                .withColumn(CSAT, functions.coalesce(col("_n_csat").minus(3).divide(2.0), lit(0.0)))
                .withColumn(REOPENED, when(col("_n_reopened").equalTo(true), 1.0).otherwise(0.0))
                .withColumn(RECENCY, functions.coalesce(decay(col("_n_solved"), RECENCY_DAYS), lit(0.0)))
                .withColumn(FRESHNESS, when(isTicket, lit(0.0)).otherwise(functions.coalesce(
                        decay(col(ARTICLE_VERSION), FRESHNESS_DAYS), lit(0.0))))
                .drop("_n_id", "_n_solved", "_n_csat", "_n_reopened");
    }

    /** exp(-(created_at - then) / scale days). */
    private static Column decay(Column then, double days) {
        Column age = functions.unix_micros(col(CREATED_AT)).minus(functions.unix_micros(then))
                .divide(1e6 * SECONDS_PER_DAY);
        return functions.exp(age.divide(-days));
    }

    /**
     * @param w the weights
     * @return the re-ranking score of a pool row with features
     */
    public static Column score(RerankWeights w) {
        return col(SCORE).plus(col(CSAT).multiply(w.csat())).plus(col(REOPENED).multiply(w.reopened()))
                .plus(col(RECENCY).multiply(w.recency())).plus(col(FRESHNESS).multiply(w.freshness()));
    }

    /** Order of a (ticket, kind) pool by a score column: descending, ties by cosine then id (deterministic). */
    static Column[] order(Column score) {
        return new Column[] {score.desc(), col(SCORE).desc(), col(SUGGESTION_ID).asc()};
    }

    /**
     * @param pool rows with features ({@link #withFeatures})
     * @param w the weights
     * @param k suggestions kept per kind
     * @return the pool's top k per (ticket, kind) by the re-ranking score, ranks renumbered from 1, with
     *     {@value #RERANK_SCORE}; empty kinds (rank 0) kept as they are; feature columns dropped
     */
    public static Dataset<Row> rank(Dataset<Row> pool, RerankWeights w, int k) {
        Dataset<Row> scored = pool.withColumn(RERANK_SCORE,
                when(col(RANK).geq(1), score(w)));
        Dataset<Row> ranked = scored.filter(col(RANK).geq(1)).withColumn(RANK,
                functions.row_number().over(Window.partitionBy(TICKET_ID, KIND)
                        .orderBy(order(col(RERANK_SCORE))))).filter(col(RANK).leq(k));
        return ranked.unionByName(scored.filter(col(RANK).equalTo(0)))
                .drop(CSAT, REOPENED, RECENCY, FRESHNESS);
    }
}
