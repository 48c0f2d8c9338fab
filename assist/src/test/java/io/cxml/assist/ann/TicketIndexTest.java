package io.cxml.assist.ann;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The HNSW index on clustered vectors: recall against exact search, point in time, same answers on a rebuild. */
class TicketIndexTest {
    private static final int DIM = 32;
    private static final int N = 4_000;
    private static final HnswParams PARAMS = new HnswParams(1, 1, 16, 100, 40);

    @TempDir
    Path tmp;

    /** Ticket i is solved at time i; vectors are 40 clusters plus noise, so neighbours are not trivial. */
    private static float[][] clustered(int count, long seed) {
        SplittableRandom centres = new SplittableRandom(1);
        float[][] c = new float[40][];
        for (int i = 0; i < c.length; i++) {
            c[i] = noisy(new float[DIM], 1.0, centres);
        }
        SplittableRandom r = new SplittableRandom(seed);
        float[][] out = new float[count][];
        for (int i = 0; i < count; i++) {
            out[i] = noisy(c[r.nextInt(c.length)], 0.8, r);
        }
        return out;
    }

    private static float[] noisy(float[] base, double scale, SplittableRandom r) {
        float[] v = new float[DIM];
        double norm = 0;
        for (int i = 0; i < DIM; i++) {
            v[i] = (float) (base[i] + scale * r.nextGaussian() / Math.sqrt(DIM));
            norm += v[i] * v[i];
        }
        for (int i = 0; i < DIM; i++) {
            v[i] /= (float) Math.sqrt(norm);
        }
        return v;
    }

    private static String id(int i) {
        return String.format("t%05d", i);
    }

    private TicketIndex build(float[][] vectors, String dir) {
        TicketIndex index = TicketIndex.create(tmp.resolve(dir), PARAMS);
        for (int i = 0; i < vectors.length; i++) {
            index.add(id(i), i, vectors[i]);
        }
        return index;
    }

    private static List<String> exact(float[][] vectors, float[] q, long before, int k) {
        return IntStream.range(0, (int) Math.min(before, vectors.length)).boxed()
                .sorted(Comparator.comparingDouble((Integer i) -> -dot(vectors[i], q))
                        .thenComparing(TicketIndexTest::id))
                .limit(k).map(TicketIndexTest::id).toList();
    }

    private static double dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    @Test
    void findsAtLeast95PercentOfTheExactTop10() {
        float[][] vectors = clustered(N, 2);
        float[][] queries = clustered(200, 3);
        int same = 0;
        try (TicketIndex index = build(vectors, "a")) {
            for (float[] q : queries) {
                List<String> truth = exact(vectors, q, Long.MAX_VALUE, 10);
                same += (int) index.search(q, Long.MAX_VALUE, 10, PARAMS.candidates()).stream()
                        .filter(h -> truth.contains(h.id())).count();
            }
        }
        assertThat(same / (200.0 * 10)).isGreaterThanOrEqualTo(0.95);
    }

    @Test
    void neverReturnsATicketSolvedAtOrAfterTheQueryWasCreated() {
        float[][] vectors = clustered(N, 2);
        float[] q = vectors[3_000]; // its own near-duplicate is ticket 3000, solved at time 3000
        try (TicketIndex index = build(vectors, "b")) {
            List<TicketIndex.Hit> before = index.search(q, 3_000, 10, PARAMS.candidates());
            assertThat(before).hasSize(10).allMatch(h -> Integer.parseInt(h.id().substring(1)) < 3_000);
            List<TicketIndex.Hit> after = index.search(q, 3_001, 10, PARAMS.candidates());
            assertThat(after.get(0).id()).isEqualTo(id(3_000));
            assertThat(after.get(0).score()).isGreaterThan(0.999f);
            // A very selective filter (five tickets solved before) is answered exactly.
            assertThat(index.search(q, 5, 10, PARAMS.candidates())).extracting(TicketIndex.Hit::id)
                    .containsExactlyElementsOf(exact(vectors, q, 5, 10));
            assertThat(index.search(q, 0, 10, PARAMS.candidates())).isEmpty();
        }
    }

    @Test
    void sameAnswersWhenTheIndexIsBuiltAgain() {
        float[][] vectors = clustered(N, 2);
        float[][] queries = clustered(50, 4);
        List<TicketIndex.Hit> first = new ArrayList<>();
        List<TicketIndex.Hit> second = new ArrayList<>();
        try (TicketIndex a = build(vectors, "c"); TicketIndex b = build(vectors, "d")) {
            for (int j = 0; j < queries.length; j++) {
                first.addAll(a.search(queries[j], 2_000 + j * 40L, 10, PARAMS.candidates()));
                second.addAll(b.search(queries[j], 2_000 + j * 40L, 10, PARAMS.candidates()));
            }
        }
        assertThat(first).hasSize(500).isEqualTo(second);
    }

    @Test
    void refusesTicketsOutOfOrderAndRemovesItsFolder() {
        Path dir = tmp.resolve("e");
        try (TicketIndex index = TicketIndex.create(dir, PARAMS)) {
            index.add("b", 10, new float[] {1, 0});
            assertThatThrownBy(() -> index.add("a", 9, new float[] {1, 0}))
                    .hasMessageContaining("tickets must come by solve time then id");
        }
        assertThat(dir).doesNotExist();
    }
}
