package io.cxml.assist;

import static org.assertj.core.api.Assertions.assertThat;

import io.cxml.testing.LocalSpark;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/** The exact search on hand-made vectors: point in time, ranks, empty flags, tenants apart, any partitioning. */
class SuggestionSearchTest {
    private static final StructType QUERIES = new StructType().add("ticket_id", "string").add("account_id", "string")
            .add("created_at", "timestamp").add("vector", "array<float>");
    private static final StructType SOLVED = new StructType().add("ticket_id", "string").add("account_id", "string")
            .add("solved_at", "timestamp").add("vector", "array<float>");
    private static final StructType CHUNKS = new StructType().add("article_id", "string")
            .add("account_id", "string").add("chunk", "int").add("valid_from", "timestamp")
            .add("valid_to", "timestamp").add("vector", "array<float>");
    private static final Instant T0 = Instant.parse("2026-01-10T12:00:00Z");

    private static Timestamp at(long hours) {
        return Timestamp.from(T0.plusSeconds(hours * 3600));
    }

    private static Float[] v(float... x) {
        Float[] out = new Float[x.length];
        for (int i = 0; i < x.length; i++) {
            out[i] = x[i];
        }
        return out;
    }

    private static Dataset<Row> frame(List<Row> rows, StructType schema) {
        return LocalSpark.get().createDataFrame(rows, schema);
    }

    @Test
    void neverReturnsANeighbourSolvedAfterTheTicketWasCreatedNorAnArchivedArticle() {
        Dataset<Row> queries = frame(List.of(RowFactory.create("q1", "acct-1", at(0), v(1, 0, 0))), QUERIES);
        Dataset<Row> solved = frame(List.of(
                // The only near-duplicate: solved one hour after q1 was created.
                RowFactory.create("dup", "acct-1", at(1), v(1, 0.01f, 0)),
                RowFactory.create("older", "acct-1", at(-5), v(0.6f, 0.8f, 0)),
                RowFactory.create("far", "acct-1", at(-9), v(0, 0, 1)),
                RowFactory.create("same-time", "acct-1", at(0), v(1, 0, 0)), // solved at the creation instant: no
                RowFactory.create("other-tenant", "acct-2", at(-9), v(1, 0, 0))), SOLVED);
        Dataset<Row> chunks = frame(List.of(
                // Archived before the ticket (valid until an hour before): never returned.
                RowFactory.create("kb-archived", "acct-1", 0, at(-48), at(-1), v(1, 0, 0)),
                // Replaced: the old version's chunk is not valid at the ticket's time, the new one is.
                RowFactory.create("kb-faq", "acct-1", 0, at(-48), at(-2), v(1, 0, 0)),
                RowFactory.create("kb-faq", "acct-1", 0, at(-2), null, v(0.8f, 0.6f, 0)),
                RowFactory.create("kb-faq", "acct-1", 1, at(-2), null, v(0.9f, 0.1f, 0)),
                RowFactory.create("kb-later", "acct-1", 0, at(3), null, v(1, 0, 0)),
                RowFactory.create("kb-other", "acct-1", 0, at(-48), null, v(0, 1, 0))), CHUNKS);

        List<Row> out = new SuggestionSearch(5, 2, 2, 10).search(queries, solved, chunks)
                .orderBy("kind", "rank").collectAsList();

        List<String> tickets = ids(out, "ticket");
        assertThat(tickets).containsExactly("older", "far");
        assertThat(ids(out, "article")).containsExactly("kb-faq", "kb-other");
        Row faq = out.stream().filter(r -> "kb-faq".equals(r.getAs("suggestion_id"))).findFirst().orElseThrow();
        assertThat(faq.<Timestamp>getAs("article_version")).isEqualTo(at(-2));
        assertThat(faq.<Double>getAs("score")).as("best chunk of the current version").isCloseTo(
                0.9 / Math.sqrt(0.82), org.assertj.core.data.Offset.offset(1e-5));
    }

    @Test
    void flagsAKindWithoutCandidatesAndKeepsTenantsApart() {
        Dataset<Row> queries = frame(List.of(RowFactory.create("q1", "acct-new", at(0), v(1, 0)),
                RowFactory.create("q2", "acct-1", at(0), v(1, 0))), QUERIES);
        Dataset<Row> solved = frame(List.of(RowFactory.create("s1", "acct-1", at(-1), v(1, 0))), SOLVED);
        List<Row> out = new SuggestionSearch(3, 16, 16, 100).search(queries, solved, null)
                .orderBy("ticket_id", "kind", "rank").collectAsList();
        assertThat(out).extracting(r -> r.getString(0) + "/" + r.getString(3) + "/" + r.getInt(4) + "/"
                + r.getAs("suggestion_id") + "/" + r.getAs("empty_reason")).containsExactly(
                "q1/article/0/null/" + Suggestions.NO_CURRENT_ARTICLE,
                "q1/ticket/0/null/" + Suggestions.NO_SOLVED_TICKET,
                "q2/article/0/null/" + Suggestions.NO_CURRENT_ARTICLE,
                "q2/ticket/1/s1/null");
    }

    @Test
    void sameRowsWhateverTheBlocksTasksAndPartitioning() {
        java.util.SplittableRandom r = new java.util.SplittableRandom(7);
        List<Row> q = new ArrayList<>();
        List<Row> s = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            String tenant = "acct-" + (i % 7 == 0 ? 1 : i % 3);
            s.add(RowFactory.create("s" + i, tenant, at(-r.nextInt(500)), random(r)));
            if (i % 3 == 0) {
                q.add(RowFactory.create("q" + i, tenant, at(-r.nextInt(500)), random(r)));
            }
        }
        Dataset<Row> queries = frame(q, QUERIES);
        Dataset<Row> solved = frame(s, SOLVED);
        List<String> a = render(new SuggestionSearch(5, 256, 4096, 1_000_000).search(queries, solved, null));
        List<String> b = render(new SuggestionSearch(5, 7, 13, 50).search(queries.repartition(5),
                solved.repartition(3), null));
        assertThat(a).hasSizeGreaterThan(400).isEqualTo(b);
    }

    private static Float[] random(java.util.SplittableRandom r) {
        Float[] out = new Float[16];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) r.nextGaussian();
        }
        return out;
    }

    private static List<String> render(Dataset<Row> rows) {
        return rows.collectAsList().stream().map(Row::toString).sorted().collect(Collectors.toList());
    }

    private static List<String> ids(List<Row> rows, String kind) {
        return rows.stream().filter(r -> kind.equals(r.getAs("kind")) && r.<Integer>getAs("rank") > 0)
                .map(r -> r.<String>getAs("suggestion_id")).toList();
    }
}
