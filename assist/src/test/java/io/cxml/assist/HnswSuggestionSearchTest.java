package io.cxml.assist;

import static org.assertj.core.api.Assertions.assertThat;

import io.cxml.assist.ann.HnswParams;
import io.cxml.testing.LocalSpark;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/** The search with the HNSW path turned on by a small tenant-size threshold: point in time, exact's rows, re-runs. */
class HnswSuggestionSearchTest {
    private static final StructType QUERIES = new StructType().add("ticket_id", "string").add("account_id", "string")
            .add("created_at", "timestamp").add("vector", "array<float>");
    private static final StructType SOLVED = new StructType().add("ticket_id", "string").add("account_id", "string")
            .add("solved_at", "timestamp").add("vector", "array<float>");
    private static final Instant T0 = Instant.parse("2026-01-10T12:00:00Z");

    private static Timestamp at(long hours) {
        return Timestamp.from(T0.plusSeconds(hours * 3600));
    }

    private static Dataset<Row> frame(List<Row> rows, StructType schema) {
        return LocalSpark.get().createDataFrame(rows, schema);
    }

    private static Float[] v(float... x) {
        Float[] out = new Float[x.length];
        for (int i = 0; i < x.length; i++) {
            out[i] = x[i];
        }
        return out;
    }

    @Test
    void aNearDuplicateSolvedAfterTheTicketWasCreatedIsNotReturned() {
        Dataset<Row> queries = frame(List.of(RowFactory.create("q1", "acct-1", at(0), v(1, 0, 0))), QUERIES);
        Dataset<Row> solved = frame(List.of(
                RowFactory.create("dup", "acct-1", at(1), v(1, 0.01f, 0)),
                RowFactory.create("same-time", "acct-1", at(0), v(1, 0, 0)),
                RowFactory.create("older", "acct-1", at(-5), v(0.6f, 0.8f, 0)),
                RowFactory.create("far", "acct-1", at(-9), v(0, 0, 1)),
                RowFactory.create("small", "acct-2", at(-9), v(1, 0, 0))), SOLVED);
        SuggestionSearch search = new SuggestionSearch(5, 2, 2, 10, new HnswParams(2, 1, 16, 100, 10));
        List<Row> out = search.search(queries, solved, null).filter("kind = 'ticket'").orderBy("rank")
                .collectAsList();
        assertThat(out).extracting(r -> r.<String>getAs("suggestion_id")).containsExactly("older", "far");
        assertThat(search.lastApproximateTenants()).as("acct-1 only: acct-2 has no query").isEqualTo(1);
    }

    @Test
    void sameRowsAsTheExactSearchAndOnARerunWhateverThePartitioning() {
        SplittableRandom r = new SplittableRandom(11);
        List<Row> q = new ArrayList<>();
        List<Row> s = new ArrayList<>();
        for (int i = 0; i < 3_000; i++) {
            String tenant = i % 10 == 0 ? "acct-small" : "acct-big";
            s.add(RowFactory.create(String.format("s%04d", i), tenant, at(-r.nextInt(5_000)), random(r)));
            if (i % 15 == 0) {
                q.add(RowFactory.create("q" + i, tenant, at(-r.nextInt(5_000)), random(r)));
            }
        }
        Dataset<Row> queries = frame(q, QUERIES);
        Dataset<Row> solved = frame(s, SOLVED);
        // acct-big (2,700 tickets, 180 queries) approximately; acct-small (300 tickets, 20 queries) exactly
        HnswParams hnsw = new HnswParams(1_000, 50, 16, 100, 100);
        SuggestionSearch approximate = new SuggestionSearch(5, 64, 512, 1_000_000, hnsw);
        List<String> a = render(approximate.search(queries, solved, null));
        assertThat(approximate.lastApproximateTenants()).isEqualTo(1);
        List<String> again = render(new SuggestionSearch(5, 7, 13, 50, hnsw).search(queries.repartition(5),
                solved.repartition(3), null));
        assertThat(again).as("re-run").isEqualTo(a);
        List<String> exact = render(new SuggestionSearch(5, 64, 512, 1_000_000).search(queries, solved, null));
        long same = a.stream().filter(exact::contains).count();
        assertThat(a).hasSameSizeAs(exact);
        assertThat(same / (double) exact.size()).as("share of the exact rows found").isGreaterThanOrEqualTo(0.95);
    }

    /** Unit vectors of 8 clusters plus noise, 16 dimensions. */
    private static Float[] random(SplittableRandom r) {
        Float[] out = new Float[16];
        int c = r.nextInt(8);
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) ((i == c ? 1 : 0) + 0.5 * r.nextGaussian() / 4);
        }
        return out;
    }

    /** Rows without the score (the graph's and the matrix product's float rounding differ in the last bits). */
    private static List<String> render(Dataset<Row> rows) {
        return rows.drop("score").collectAsList().stream().map(Row::toString).sorted().collect(Collectors.toList());
    }
}
