package io.cxml.assist.rerank;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.cxml.testing.LocalSpark;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The re-ranking stage on a hand-made pool: features as of the query's creation, identity weights keep the search's
 * order, fitted weights move a reopened neighbour down and a recent one up, the fit finds that on labelled queries
 * and leaves a useless feature at 0, and weights files are versioned.
 */
class RerankerTest {
    static final StructType POOL = new StructType().add("ticket_id", "string").add("account_id", "string")
            .add("created_at", "timestamp").add("kind", "string").add("rank", "int").add("suggestion_id", "string")
            .add("article_version", "timestamp").add("score", "double").add("empty_reason", "string");
    static final StructType SOLVED = new StructType().add("ticket_id", "string").add("solved_at", "timestamp")
            .add("csat", "int").add("reopened", "boolean");
    static final Instant T0 = Instant.parse("2026-01-20T00:00:00Z");

    @TempDir
    Path dir;

    static Timestamp daysBefore(double days) {
        return Timestamp.from(T0.minusSeconds(Math.round(days * 86_400)));
    }

    static Row ticket(String query, int rank, String id, double score) {
        return RowFactory.create(query, "acct", Timestamp.from(T0), "ticket", rank, id, null, score, null);
    }

    private static Dataset<Row> frame(List<Row> rows, StructType schema) {
        return LocalSpark.get().createDataFrame(rows, schema);
    }

    private static List<String> order(Dataset<Row> ranked, String query, String kind) {
        return ranked.filter(functions.col("ticket_id").equalTo(query).and(functions.col("kind").equalTo(kind)))
                .orderBy("rank").collectAsList().stream().map(r -> r.getString(r.fieldIndex("suggestion_id")))
                .collect(Collectors.toList());
    }

    private Dataset<Row> pool() {
        Dataset<Row> found = frame(List.of(
                ticket("q1", 1, "reopened-close", 0.90), ticket("q1", 2, "fine", 0.89), ticket("q1", 3, "old", 0.885),
                RowFactory.create("q1", "acct", Timestamp.from(T0), "article", 1, "kb-stale", daysBefore(400), 0.80,
                        null),
                RowFactory.create("q1", "acct", Timestamp.from(T0), "article", 2, "kb-fresh", daysBefore(1), 0.79,
                        null),
                RowFactory.create("q2", "acct", Timestamp.from(T0), "ticket", 0, null, null, null,
                        "no_solved_ticket_before")), POOL);
        Dataset<Row> solved = frame(List.of(
                RowFactory.create("reopened-close", daysBefore(1), 1, true),
                RowFactory.create("fine", daysBefore(1), 5, false),
                RowFactory.create("old", daysBefore(300), null, false)), SOLVED);
        return Reranker.withFeatures(found, solved);
    }

    @Test
    void featuresUseTheAgeAtTheQuerysCreation() {
        Map<String, Row> byId = pool().filter(functions.col("rank").geq(1)).collectAsList().stream()
                .collect(Collectors.toMap(r -> r.getString(r.fieldIndex("suggestion_id")), r -> r));
        Row fine = byId.get("fine");
        assertThat(fine.getDouble(fine.fieldIndex(Reranker.CSAT))).isEqualTo(1.0);
        assertThat(fine.getDouble(fine.fieldIndex(Reranker.RECENCY))).isCloseTo(Math.exp(-1 / 30.0), within(1e-9));
        assertThat(fine.getDouble(fine.fieldIndex(Reranker.FRESHNESS))).isZero();
        Row reopened = byId.get("reopened-close");
        assertThat(reopened.getDouble(reopened.fieldIndex(Reranker.REOPENED))).isEqualTo(1.0);
        assertThat(reopened.getDouble(reopened.fieldIndex(Reranker.CSAT))).isEqualTo(-1.0);
        Row old = byId.get("old");
        assertThat(old.getDouble(old.fieldIndex(Reranker.CSAT))).isZero(); // unrated
        Row fresh = byId.get("kb-fresh");
        assertThat(fresh.getDouble(fresh.fieldIndex(Reranker.FRESHNESS))).isCloseTo(Math.exp(-1 / 90.0),
                within(1e-9));
        assertThat(fresh.getDouble(fresh.fieldIndex(Reranker.RECENCY))).isZero();
    }

    @Test
    void identityKeepsTheSearchOrderAndWeightsReorderTheTopK() {
        Dataset<Row> identity = Reranker.rank(pool(), RerankWeights.IDENTITY, 2);
        assertThat(order(identity, "q1", "ticket")).containsExactly("reopened-close", "fine");
        assertThat(order(identity, "q1", "article")).containsExactly("kb-stale", "kb-fresh");
        for (Row r : identity.filter(functions.col("rank").geq(1)).collectAsList()) {
            assertThat(r.getDouble(r.fieldIndex("rerank_score"))).isEqualTo(r.getDouble(r.fieldIndex("score")));
        }
        Row empty = identity.filter(functions.col("ticket_id").equalTo("q2")).first();
        assertThat(empty.getInt(empty.fieldIndex("rank"))).isZero();
        assertThat(empty.isNullAt(empty.fieldIndex("rerank_score"))).isTrue();

        RerankWeights w = new RerankWeights("rerank@v1", 0, -0.05, 0, 0.02);
        Dataset<Row> reranked = Reranker.rank(pool(), w, 2);
        assertThat(order(reranked, "q1", "ticket")).containsExactly("fine", "old");
        assertThat(order(reranked, "q1", "article")).containsExactly("kb-fresh", "kb-stale");
        assertThat(reranked.columns()).doesNotContain(Reranker.CSAT, Reranker.REOPENED);
        // Same rows on any partitioning.
        assertThat(Reranker.rank(pool().repartition(3), w, 2).orderBy("ticket_id", "kind", "rank").collectAsList())
                .isEqualTo(reranked.orderBy("ticket_id", "kind", "rank").collectAsList());
    }

    @Test
    void theFitPenalisesReopenedNeighboursWhenTheyAreTheWrongOnesAndLeavesAUselessFeatureAtZero() {
        // 40 queries: the closest candidate was reopened and is irrelevant, the second is relevant; no CSAT at all.
        List<Row> found = new java.util.ArrayList<>();
        List<Row> solved = new java.util.ArrayList<>();
        for (int q = 0; q < 40; q++) {
            found.add(ticket("q" + q, 1, "bad" + q, 0.90));
            found.add(ticket("q" + q, 2, "good" + q, 0.89));
            solved.add(RowFactory.create("bad" + q, daysBefore(2), null, true));
            solved.add(RowFactory.create("good" + q, daysBefore(2), null, false));
        }
        Dataset<Row> pool = Reranker.withFeatures(frame(found, POOL), frame(solved, SOLVED))
                .withColumn(RerankFit.RELEVANT, functions.col("suggestion_id").startsWith("good")).cache();
        RerankFit.Result fit = RerankFit.fit(pool, 1);
        assertThat(fit.weights().reopened()).isLessThanOrEqualTo(-0.02);
        assertThat(fit.weights().csat()).isZero();
        assertThat(fit.weights().recency()).isZero();
        assertThat(fit.ticketsBefore()).isZero();
        assertThat(fit.ticketsAfter()).isEqualTo(2.0); // p@1 1 + MRR 1
        assertThat(fit.queries()).isEqualTo(40);
    }

    @Test
    void weightsAreVersionedFilesAndIdentityWhenNoneWasFitted() {
        String folder = dir.resolve("rerank").toUri().toString();
        Configuration hadoop = new Configuration();
        assertThat(RerankWeights.latest(folder, hadoop)).isEqualTo(RerankWeights.IDENTITY);
        RerankWeights first = RerankWeights.saveNext(folder, hadoop, new RerankWeights("fitted", 0.01, -0.05, 0, 0),
                Map.of("relevance", "test"));
        RerankWeights second = RerankWeights.saveNext(folder, hadoop, new RerankWeights("fitted", 0, 0, 0.02, 0.005),
                Map.of("relevance", "test"));
        assertThat(first.version()).isEqualTo("rerank@v1");
        assertThat(second.version()).isEqualTo("rerank@v2");
        assertThat(RerankWeights.latest(folder, hadoop)).isEqualTo(second);
    }
}
