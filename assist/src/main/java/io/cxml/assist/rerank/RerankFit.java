package io.cxml.assist.rerank;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import io.cxml.assist.columns.SuggestionColumns;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.functions;

/**
 * Fits the re-ranking weights on held-out queries whose relevant candidates are known: a coordinate search over
 * {@link #GRID}, one weight at a time, {@link #PASSES} passes. Ticket weights maximise precision@k + MRR of the
 * ticket suggestions, the article weight article hit@k + MRR. Each coordinate step is one Spark job that ranks the
 * pool under every grid value at once (the pool crossed with the grid, a window per value, ticket and kind); one
 * row per grid value reaches the driver. A value replaces the current one only when it is strictly better, and
 * among equal values the smallest in magnitude wins, so a feature that does not help stays at 0.
 */
public final class RerankFit {
    /** Pool column: the candidate is relevant to the query (same intent). */
    public static final String RELEVANT = "relevant";
    /** Values tried for each weight: a cosine gap of 0.01 separates many neighbours, so the scale is small. */
    static final double[] GRID = {-0.1, -0.05, -0.02, -0.01, -0.005, 0, 0.005, 0.01, 0.02, 0.05, 0.1};
    static final int PASSES = 2;

    private RerankFit() {}

    /** Fitted weights and the objective before (pure similarity) and after, per kind. */
    public record Result(RerankWeights weights, double ticketsBefore, double ticketsAfter, double articlesBefore,
            double articlesAfter, long queries) {}

    /**
     * @param pool candidate pool with features ({@link Reranker#withFeatures}) and {@link #RELEVANT}, of labelled
     *     queries only; cache it, it is ranked once per grid step
     * @param k the cut-off optimised
     * @return the fitted weights (version label {@code fitted}) and the objectives
     */
    public static Result fit(Dataset<Row> pool, int k) {
        Dataset<Row> found = pool.filter(col(SuggestionColumns.RANK).geq(1));
        Dataset<Row> tickets = found.filter(col(SuggestionColumns.KIND).equalTo(SuggestionColumns.KIND_TICKET));
        Dataset<Row> articles = found.filter(col(SuggestionColumns.KIND).equalTo(SuggestionColumns.KIND_ARTICLE));
        double[] w = new double[4];
        double ticketsBefore = objective(tickets, new double[] {0}, RerankWeights.IDENTITY, 0, k, true)[0];
        double articlesBefore = objective(articles, new double[] {0}, RerankWeights.IDENTITY, 3, k, false)[0];
        double ticketsAfter = ticketsBefore;
        double articlesAfter = articlesBefore;
        for (int pass = 0; pass < PASSES; pass++) {
            for (int c = 0; c < 4; c++) {
                boolean ticketKind = c < 3;
                double[] byValue = objective(ticketKind ? tickets : articles, GRID, weights(w), c, k, ticketKind);
                int best = indexOf(w[c]);
                for (int i = 0; i < GRID.length; i++) {
                    boolean better = byValue[i] > byValue[best] + 1e-12;
                    boolean tieSmaller = Math.abs(byValue[i] - byValue[best]) <= 1e-12
                            && Math.abs(GRID[i]) < Math.abs(GRID[best]);
                    if (better || tieSmaller) {
                        best = i;
                    }
                }
                w[c] = GRID[best];
                if (ticketKind) {
                    ticketsAfter = byValue[best];
                } else {
                    articlesAfter = byValue[best];
                }
            }
        }
        long queries = pool.select(SuggestionColumns.TICKET_ID).distinct().count();
        return new Result(weights(w).withVersion("fitted"), ticketsBefore, ticketsAfter, articlesBefore,
                articlesAfter, queries);
    }

    private static RerankWeights weights(double[] w) {
        return new RerankWeights("fitting", w[0], w[1], w[2], w[3]);
    }

    private static int indexOf(double value) {
        for (int i = 0; i < GRID.length; i++) {
            if (GRID[i] == value) {
                return i;
            }
        }
        throw new IllegalStateException("not a grid value: " + value);
    }

    /**
     * @return the objective (p@k + MRR for tickets, hit@k + MRR for articles) for each of {@code values} at
     *     coordinate {@code c}, the other weights as in {@code w}
     */
    private static double[] objective(Dataset<Row> rows, double[] values, RerankWeights w, int c, int k,
            boolean ticketKind) {
        Dataset<Row> grid = rows.sparkSession().createDataset(toList(values), Encoders.DOUBLE()).toDF("_g");
        String feature = new String[] {Reranker.CSAT, Reranker.REOPENED, Reranker.RECENCY, Reranker.FRESHNESS}[c];
        double current = new double[] {w.csat(), w.reopened(), w.recency(), w.freshness()}[c];
        Column score = Reranker.score(w).plus(col(feature).multiply(col("_g").minus(current)));
        Dataset<Row> ranked = rows.crossJoin(grid).withColumn("_s", score).withColumn("_r",
                functions.row_number().over(Window.partitionBy(col("_g"), col(SuggestionColumns.TICKET_ID))
                        .orderBy(Reranker.order(col("_s")))));
        Column hit = col(RELEVANT).and(col("_r").leq(k));
        Dataset<Row> perQuery = ranked.groupBy("_g", SuggestionColumns.TICKET_ID).agg(
                functions.sum(when(hit, 1.0).otherwise(0.0)).divide(k).as("_p"),
                functions.max(when(hit, 1.0).otherwise(0.0)).as("_hit"),
                functions.max(when(hit, lit(1.0).divide(col("_r"))).otherwise(0.0)).as("_rr"));
        Column first = ticketKind ? col("_p") : col("_hit");
        double[] out = new double[values.length];
        for (Row r : perQuery.groupBy("_g").agg(functions.avg(first.plus(col("_rr")))).collectAsList()) {
            for (int i = 0; i < values.length; i++) {
                if (values[i] == r.getDouble(0)) {
                    out[i] = r.getDouble(1);
                }
            }
        }
        return out;
    }

    private static List<Double> toList(double[] values) {
        List<Double> out = new ArrayList<>();
        for (double v : values) {
            out.add(v);
        }
        return out;
    }
}
