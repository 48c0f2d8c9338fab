package io.cxml.bench.assist;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.ludovic.netlib.blas.BLAS;
import io.cxml.assist.ann.HnswParams;
import io.cxml.assist.ann.TicketIndex;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntConsumer;

/**
 * Approximate (HNSW, {@link TicketIndex}) against exact top-10 cosine search on synthetic ticket embeddings: recall@10,
 * wall and rows/s of both, index build time and size, peak RSS. The vectors (384 dimensions, L2-normalised) have
 * the structure of ticket embeddings: 80 intent centroids, 25 phrasings per intent (the intent plus 0.6 of a random
 * direction), and per ticket its phrasing plus 0.9 of a random direction, so the nearest neighbours are mostly, but
 * not only, tickets of the same phrasing and intent. The exact search is blocked {@code sgemm} (256 queries x 4,096
 * candidates, as {@code ExactSearch}); both searches use {@code bench.threads} threads over the queries; the graph is
 * built by one thread, as in a task. Every query sees every indexed ticket (created after all were solved), so the
 * solve-time filter of the product passes all.
 *
 * <p>Usage: {@code AnnBench INDEXED QUERIES} with {@code -Dbench.m=16 -Dbench.beamWidth=100
 * -Dbench.candidates=100,200 -Dbench.threads=2 -Dbench.seed=42 -Dbench.out=bench-results/ann.json}.
 */
public final class AnnBench {
    private static final int DIM = 384;
    private static final int INTENTS = 80;
    private static final int PHRASINGS = 25;
    private static final int K = 10;

    private AnnBench() {}

    /**
     * @param args {@code INDEXED QUERIES}
     * @throws Exception on failure
     */
    public static void main(String[] args) throws Exception {
        int n = Integer.parseInt(args.length > 0 ? args[0] : "100000");
        int q = Integer.parseInt(args.length > 1 ? args[1] : "10000");
        int threads = Integer.getInteger("bench.threads", 2);
        HnswParams params = new HnswParams(1, 1, Integer.getInteger("bench.m", 16),
                Integer.getInteger("bench.beamWidth", 100), 1);
        List<Integer> efs = java.util.Arrays.stream(System.getProperty("bench.candidates", "100").split(","))
                .map(String::trim).map(Integer::valueOf).toList();
        long seed = Long.getLong("bench.seed", 42L);
        System.out.printf("ann bench: %,d indexed, %,d queries, %d dims, %d threads, M=%d beam=%d ef=%s, BLAS %s%n",
                n, q, DIM, threads, params.maxConnections(), params.beamWidth(), efs,
                BLAS.getInstance().getClass().getSimpleName());

        float[] centres = centres(new SplittableRandom(seed));
        float[] index = tickets(n, centres, new SplittableRandom(seed + 1));
        float[] queries = tickets(q, centres, new SplittableRandom(seed + 2));

        long t0 = System.nanoTime();
        int[][] exact = new int[q][];
        parallel(threads, (q + 255) / 256, b -> exactBlock(index, n, queries, b * 256, Math.min(q, b * 256 + 256),
                exact));
        double exactWall = seconds(t0);
        System.out.printf("exact: %.1f s, %,.0f queries/s%n", exactWall, q / exactWall);

        Path dir = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "cxml-ann-bench-");
        Map<String, Object> runs = new LinkedHashMap<>();
        double buildWall;
        long bytes;
        try (TicketIndex hnsw = TicketIndex.create(dir, params)) {
            t0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                hnsw.add(id(i), i, java.util.Arrays.copyOfRange(index, i * DIM, (i + 1) * DIM));
            }
            hnsw.seal();
            buildWall = seconds(t0);
            bytes = hnsw.bytesOnDisk();
            System.out.printf("hnsw build: %.1f s (%,.0f tickets/s), %.1f MB on disk%n", buildWall, n / buildWall,
                    bytes / 1e6);
            for (int ef : efs) {
                runs.put("ef=" + ef, searchAll(hnsw, ef, queries, q, exact, threads, exactWall));
            }
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("indexed", n);
        json.put("queries", q);
        json.put("dims", DIM);
        json.put("threads", threads);
        json.put("cores", Runtime.getRuntime().availableProcessors());
        json.put("m", params.maxConnections());
        json.put("beam_width", params.beamWidth());
        json.put("exact_wall_s", exactWall);
        json.put("exact_queries_per_s", q / exactWall);
        json.put("index_build_s", buildWall);
        json.put("index_tickets_per_s", n / buildWall);
        json.put("index_bytes", bytes);
        json.put("hnsw", runs);
        json.put("peak_rss_mb", peakRssMb());
        String out = System.getProperty("bench.out", "bench-results/ann.json");
        Files.createDirectories(Path.of(out).toAbsolutePath().getParent());
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(Path.of(out).toFile(), json);
        System.out.printf("peak RSS %.0f MB; wrote %s%n", peakRssMb(), out);
    }

    private static Map<String, Object> searchAll(TicketIndex hnsw, int ef, float[] queries, int q, int[][] exact,
            int threads, double exactWall) throws Exception {
        int[] found = new int[q];
        long t0 = System.nanoTime();
        parallel(threads, q, j -> {
            List<TicketIndex.Hit> hits = hnsw.search(java.util.Arrays.copyOfRange(queries, j * DIM, (j + 1) * DIM),
                    Long.MAX_VALUE, K, ef);
            int same = 0;
            for (TicketIndex.Hit h : hits) {
                int i = Integer.parseInt(h.id());
                for (int e : exact[j]) {
                    same += e == i ? 1 : 0;
                }
            }
            found[j] = same;
        });
        double wall = seconds(t0);
        double recall = java.util.Arrays.stream(found).sum() / (double) (q * K);
        System.out.printf("hnsw ef=%d: recall@10 %.4f, %.1f s, %,.0f queries/s, speed-up %.1fx%n", ef, recall, wall,
                q / wall, exactWall / wall);
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("recall_at_10", recall);
        r.put("wall_s", wall);
        r.put("queries_per_s", q / wall);
        r.put("speed_up", exactWall / wall);
        return r;
    }

    private static String id(int i) {
        return String.format("%08d", i);
    }

    private static void exactBlock(float[] index, int n, float[] queries, int q0, int q1, int[][] exact) {
        int b = q1 - q0;
        int block = 4096;
        float[] scores = new float[b * block];
        float[][] best = new float[b][K];
        int[][] ids = new int[b][K];
        for (float[] row : best) {
            java.util.Arrays.fill(row, Float.NEGATIVE_INFINITY);
        }
        for (int c0 = 0; c0 < n; c0 += block) {
            int cn = Math.min(block, n - c0);
            BLAS.getInstance().sgemm("T", "N", cn, b, DIM, 1f, index, c0 * DIM, DIM, queries, q0 * DIM, DIM, 0f,
                    scores, 0, cn);
            for (int j = 0; j < b; j++) {
                for (int c = 0; c < cn; c++) {
                    float s = scores[c + j * cn];
                    if (s > best[j][K - 1]) { // insertion into the sorted top 10; ties keep the smaller id
                        int p = K - 1;
                        while (p > 0 && best[j][p - 1] < s) {
                            best[j][p] = best[j][p - 1];
                            ids[j][p] = ids[j][p - 1];
                            p--;
                        }
                        best[j][p] = s;
                        ids[j][p] = c0 + c;
                    }
                }
            }
        }
        for (int j = 0; j < b; j++) {
            exact[q0 + j] = ids[j];
        }
    }

    private static float[] centres(SplittableRandom rnd) {
        float[] intents = new float[INTENTS * DIM];
        for (int i = 0; i < INTENTS; i++) {
            unitInto(gaussian(rnd, null, 0), intents, i);
        }
        float[] phrasings = new float[INTENTS * PHRASINGS * DIM];
        for (int p = 0; p < INTENTS * PHRASINGS; p++) {
            unitInto(gaussian(rnd, java.util.Arrays.copyOfRange(intents, (p / PHRASINGS) * DIM,
                    (p / PHRASINGS + 1) * DIM), 0.6), phrasings, p);
        }
        return phrasings;
    }

    private static float[] tickets(int count, float[] phrasings, SplittableRandom rnd) {
        float[] out = new float[count * DIM];
        for (int i = 0; i < count; i++) {
            int p = rnd.nextInt(INTENTS * PHRASINGS);
            unitInto(gaussian(rnd, java.util.Arrays.copyOfRange(phrasings, p * DIM, (p + 1) * DIM), 0.9), out, i);
        }
        return out;
    }

    /** @return base + scale x a random unit-norm-ish direction (or the direction alone when base is null) */
    private static float[] gaussian(SplittableRandom rnd, float[] base, double scale) {
        float[] v = new float[DIM];
        double s = base == null ? 1 : scale / Math.sqrt(DIM);
        for (int i = 0; i < DIM; i++) {
            double g = Math.sqrt(-2 * Math.log(1 - rnd.nextDouble())) * Math.cos(2 * Math.PI * rnd.nextDouble());
            v[i] = (float) ((base == null ? 0 : base[i]) + s * g);
        }
        return v;
    }

    private static void unitInto(float[] v, float[] out, int row) {
        double norm = 0;
        for (float x : v) {
            norm += (double) x * x;
        }
        for (int i = 0; i < DIM; i++) {
            out[row * DIM + i] = (float) (v[i] / Math.sqrt(norm));
        }
    }

    private static void parallel(int threads, int tasks, IntConsumer task) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();
            List<Future<?>> done = new java.util.ArrayList<>();
            for (int t = 0; t < threads; t++) {
                done.add(pool.submit(() -> {
                    for (int i = next.getAndIncrement(); i < tasks; i = next.getAndIncrement()) {
                        task.accept(i);
                    }
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
    }

    private static double seconds(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }

    private static double peakRssMb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
                }
            }
        } catch (java.io.IOException e) {
            return -1;
        }
        return -1;
    }
}
