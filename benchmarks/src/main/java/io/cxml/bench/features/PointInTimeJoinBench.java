package io.cxml.bench.features;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.timestamp_seconds;
import static org.apache.spark.sql.functions.unix_micros;
import static org.apache.spark.sql.functions.xxhash64;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.cxml.features.join.PointInTimeJoin;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;

/**
 * Benchmark of the point-in-time join against a naive join-then-filter, in the same JVM and on the same Parquet
 * inputs, at several densities (events per entity): N labels over E events of E/density entities spread over 90
 * days, TTL 7 days. Every strategy of {@link PointInTimeJoin} and the naive join run one after the other on each
 * input, so their ratio holds even on a loaded machine. Each result is reduced to (rows, matched, sum of values) so the
 * run also checks that all methods agree. Reports wall time, JVM heap peak, process peak RSS (reset between methods
 * through {@code /proc/self/clear_refs}) and Spark's largest task execution-memory peak and spill, prints them and
 * writes {@code bench-results/pit-join-<time>.json}. A method that runs past {@code bench.limitSeconds} (default 600)
 * is cancelled and reported as a lower bound. Each method runs up to {@code bench.repeats} times (default 3),
 * round-robin, while its runs take under {@code bench.repeatBelowSeconds} (default 20): the fastest run counts (JIT and
 * Spark's code generation warm on the real data, not only on the 1% warm-up), and every run's time is in the JSON.
 *
 * <p>Usage: {@code PointInTimeJoinBench [labels] [events] [densities] [workDir]}, defaults 1,000,000 10,000,000
 * 1,10,100,1000,10000 target/bench. {@code -Dbench.strategies=SLOT_MERGE,...} picks the strategies (default all).
 * Run it with {@code scripts/bench-pit-join.sh}.
 */
public final class PointInTimeJoinBench {
    private static final Instant BASE = Instant.parse("2026-01-01T00:00:00Z");
    private static final long SPAN_SECONDS = Duration.ofDays(90).toSeconds();
    private static final Duration TTL = Duration.ofDays(7);
    private static final String NAIVE = "naive";

    private PointInTimeJoinBench() {}

    /**
     * @param args labels, events, densities (comma-separated events per entity), work directory (all optional)
     * @throws IOException when the result cannot be written
     */
    public static void main(String[] args) throws IOException {
        long labels = args.length > 0 ? Long.parseLong(args[0]) : 1_000_000L;
        long events = args.length > 1 ? Long.parseLong(args[1]) : 10_000_000L;
        List<Long> densities = Arrays.stream((args.length > 2 ? args[2] : "1,10,100,1000,10000").split(","))
                .map(String::trim).map(Long::parseLong).toList();
        Path work = Path.of(args.length > 3 ? args[3] : "target/bench").toAbsolutePath();
        int partitions = Integer.getInteger("bench.partitions", 16);
        long limitSeconds = Long.getLong("bench.limitSeconds", 600L);
        int repeats = Integer.getInteger("bench.repeats", 3);
        double repeatBelowSeconds = Double.parseDouble(System.getProperty("bench.repeatBelowSeconds", "20"));
        List<PointInTimeJoin.Strategy> strategies = Arrays.stream(System.getProperty("bench.strategies",
                        Arrays.stream(PointInTimeJoin.Strategy.values()).map(Enum::name)
                                .collect(Collectors.joining(","))).split(","))
                .map(String::trim).map(PointInTimeJoin.Strategy::valueOf).toList();

        SparkSession spark = SparkSession.builder().appName("pit-join-bench").master("local[2]")
                .config("spark.driver.bindAddress", "127.0.0.1").config("spark.driver.host", "127.0.0.1")
                .config("spark.ui.enabled", "false").config("spark.sql.session.timeZone", "UTC")
                .config("spark.sql.shuffle.partitions", partitions)
                .config("spark.sql.adaptive.enabled", "true")
                .getOrCreate();
        TaskPeaks peaks = new TaskPeaks();
        spark.sparkContext().addSparkListener(peaks);
        PointInTimeJoin.Spec spec = new PointInTimeJoin.Spec("entity", "event_time", List.of("value", "n"), TTL,
                "f__", null);
        String labelPath = work.resolve("labels").toString();
        String eventPath = work.resolve("events").toString();

        List<Map<String, Object>> runs = new ArrayList<>();
        Path out = Path.of("bench-results", "pit-join-" + Instant.now().toString().replace(":", "") + ".json");
        boolean warm = false;
        for (long density : densities) {
            long entities = Math.max(1, events / density);
            long t0 = System.nanoTime();
            generate(spark, labels, events, entities, labelPath, eventPath);
            double generateSeconds = (System.nanoTime() - t0) / 1e9;
            System.out.printf("Density %,d: generated %,d labels and %,d events over %,d entities in %.1f s%n",
                    density, labels, events, entities, generateSeconds);
            if (!warm) {
                // Warm-up on a 1% sample (not reported) so that no method pays for class loading and JIT alone.
                for (PointInTimeJoin.Strategy s : strategies) {
                    PointInTimeJoin.asOf(spark.read().parquet(labelPath).sample(0.01, 1), "label_time",
                            spark.read().parquet(eventPath).sample(0.01, 2), spec, s)
                            .write().format("noop").mode("overwrite").save();
                }
                naive(spark.read().parquet(labelPath).sample(0.01, 1), spark.read().parquet(eventPath).sample(0.01, 2))
                        .write().format("noop").mode("overwrite").save();
                warm = true;
            }
            Map<String, java.util.function.Supplier<Dataset<Row>>> plans = new LinkedHashMap<>();
            for (PointInTimeJoin.Strategy s : strategies) {
                plans.put(s.name(), () -> PointInTimeJoin.asOf(spark.read().parquet(labelPath), "label_time",
                        spark.read().parquet(eventPath), spec, s));
            }
            plans.put(NAIVE, () -> naive(spark.read().parquet(labelPath), spark.read().parquet(eventPath)));
            // Round-robin repeats: no method always runs first after the data was written; a method runs again
            // while its runs take under bench.repeatBelowSeconds, and its fastest run counts.
            Map<String, Object> methods = new LinkedHashMap<>();
            for (int round = 0; round < repeats; round++) {
                for (Map.Entry<String, java.util.function.Supplier<Dataset<Row>>> p : plans.entrySet()) {
                    Map<String, Object> best = methods.containsKey(p.getKey()) ? cast((Map<?, ?>) methods.get(
                            p.getKey())) : null;
                    if (best != null && (Boolean.TRUE.equals(best.get("cancelled"))
                            || (double) best.get("wallSeconds") >= repeatBelowSeconds)) {
                        continue;
                    }
                    Map<String, Object> m = measure(p.getKey().equals(NAIVE) ? "naive (join, filter, row_number)"
                            : p.getKey(), spark, peaks, limitSeconds, p.getValue());
                    List<Object> walls = new ArrayList<>(best == null ? List.of()
                            : (List<?>) best.get("wallSecondsOfEachRun"));
                    walls.add(m.get("wallSeconds"));
                    Map<String, Object> kept = best == null || (double) m.get("wallSeconds")
                            < (double) best.get("wallSeconds") ? m : best;
                    kept.put("wallSecondsOfEachRun", walls);
                    methods.put(p.getKey(), kept);
                }
            }
            Map<String, Object> run = new LinkedHashMap<>();
            run.put("eventsPerEntity", density);
            run.put("entities", entities);
            run.put("generateSeconds", generateSeconds);
            run.put("methods", methods);
            Map<String, Object> ratios = new LinkedHashMap<>();
            Map<String, Object> naiveRun = methods.get(NAIVE) instanceof Map<?, ?> m ? cast(m) : Map.of();
            for (PointInTimeJoin.Strategy s : strategies) {
                Map<String, Object> r = cast((Map<?, ?>) methods.get(s.name()));
                ratios.put(s.name(), (double) naiveRun.get("wallSeconds") / (double) r.get("wallSeconds"));
            }
            run.put("naiveOverStrategyWallRatio", ratios);
            run.put("ratioIsLowerBound", Boolean.TRUE.equals(naiveRun.get("cancelled")));
            run.put("resultsAgree", methods.values().stream().map(m -> cast((Map<?, ?>) m))
                    .filter(m -> !Boolean.TRUE.equals(m.get("cancelled"))).map(m -> m.get("check")).distinct()
                    .count() == 1);
            runs.add(run);
            System.out.printf("Density %,d: naive/strategy wall ratio %s%s%n", density, ratios,
                    Boolean.TRUE.equals(run.get("ratioIsLowerBound")) ? " (naive cancelled: lower bounds)" : "");
            write(out, spark, labels, events, partitions, limitSeconds, repeats, repeatBelowSeconds, runs);
        }

        spark.stop();
    }

    /** Writes (and rewrites after each density, so a cut-short run keeps what it measured) the JSON result. */
    private static void write(Path out, SparkSession spark, long labels, long events, int partitions, long limitSeconds,
            int repeats, double repeatBelowSeconds, List<Map<String, Object>> runs) throws IOException {
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("benchmark", "point-in-time join vs join-then-filter, by events per entity");
        result.put("date", Instant.now().toString());
        result.put("labels", labels);
        result.put("events", events);
        result.put("ttlDays", TTL.toDays());
        result.put("sparkMaster", spark.sparkContext().master());
        result.put("shufflePartitions", partitions);
        result.put("maxHeapBytes", Runtime.getRuntime().maxMemory());
        result.put("cpus", Runtime.getRuntime().availableProcessors());
        result.put("limitSeconds", limitSeconds);
        result.put("repeats", repeats);
        result.put("repeatBelowSeconds", repeatBelowSeconds);
        result.put("wallSeconds", "the fastest of up to `repeats` runs, round-robin over the methods; a method runs "
                + "again only while its runs take under `repeatBelowSeconds`");
        result.put("runs", runs);
        result.put("note", "2 CPU cores shared with other processes: wall times are noisy, ratios within one run "
                + "hold better");

        Files.createDirectories(out.getParent());
        String json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(result);
        Files.writeString(out, json);
        System.out.println("Wrote " + out.toAbsolutePath());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> cast(Map<?, ?> m) {
        return (Map<String, Object>) m;
    }

    private static void generate(SparkSession spark, long labels, long events, long entities, String labelPath,
            String eventPath) {
        Column entityOf = concat(lit("e"), pmod(xxhash64(col("id"), lit(1)), lit(entities)).cast("string"));
        spark.range(events)
                .select(concat(lit("e"), pmod(col("id"), lit(entities)).cast("string")).as("entity"),
                        timestamp_seconds(lit(BASE.getEpochSecond()).plus(
                                pmod(xxhash64(col("id"), lit(2)), lit(SPAN_SECONDS)))).as("event_time"),
                        pmod(xxhash64(col("id"), lit(3)), lit(1000)).cast("double").as("value"),
                        col("id").as("n"))
                .write().mode(SaveMode.Overwrite).parquet(eventPath);
        spark.range(labels)
                .select(col("id").as("label_id"), entityOf.as("entity"),
                        timestamp_seconds(lit(BASE.getEpochSecond()).plus(
                                pmod(xxhash64(col("id"), lit(4)), lit(SPAN_SECONDS)))).as("label_time"))
                .write().mode(SaveMode.Overwrite).parquet(labelPath);
    }

    /** Join every label with every event of its entity, keep the past ones within the TTL, take the latest. */
    static Dataset<Row> naive(Dataset<Row> labels, Dataset<Row> events) {
        Dataset<Row> e = events.select(col("entity").as("e_entity"), col("event_time"), col("value"), col("n"),
                struct(col("value"), col("n")).as("tie"));
        long ttlMicros = TTL.toNanos() / 1000;
        Column cond = labels.col("entity").equalTo(e.col("e_entity"))
                .and(e.col("event_time").leq(labels.col("label_time")))
                .and(unix_micros(labels.col("label_time")).minus(unix_micros(e.col("event_time"))).leq(ttlMicros));
        return labels.join(e, cond, "left")
                .withColumn("rn", row_number().over(Window.partitionBy(col("label_id"))
                        .orderBy(col("event_time").desc_nulls_last(), col("tie").desc_nulls_last())))
                .filter(col("rn").equalTo(1))
                .select(col("label_id"), col("entity"), col("label_time"), col("event_time").as("f__event_time"),
                        col("value").as("f__value"), col("n").as("f__n"));
    }

    private static Map<String, Object> measure(String name, SparkSession spark, TaskPeaks peaks, long limitSeconds,
            java.util.function.Supplier<Dataset<Row>> plan) {
        System.gc();
        resetPeaks();
        peaks.reset();
        long start = System.nanoTime();
        ExecutorService runner = Executors.newSingleThreadExecutor();
        Future<Row> result = runner.submit(() -> {
            spark.sparkContext().setJobGroup(name, name, true);
            return plan.get().agg(count(lit(1)), count(col("f__value")), sum(col("f__value")), sum(col("f__n")))
                    .first();
        });
        Row r = null;
        try {
            r = result.get(limitSeconds, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            spark.sparkContext().cancelJobGroup(name);
        } catch (InterruptedException | ExecutionException e) {
            throw new IllegalStateException("Benchmark method " + name + " failed: " + e.getMessage(), e);
        } finally {
            runner.shutdownNow();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("method", name);
        m.put("wallSeconds", seconds);
        m.put("cancelled", r == null);
        m.put("heapPeakBytes", heapPeak());
        m.put("processPeakRssBytes", peakRss());
        m.put("maxTaskPeakExecutionMemoryBytes", peaks.maxPeakExecutionMemory.get());
        m.put("spilledBytes", peaks.spilledBytes.get());
        m.put("check", r == null ? "cancelled" : r.getLong(0) + "/" + r.getLong(1) + "/" + r.get(2) + "/" + r.get(3));
        System.out.printf("%-40s %8.1f s%s  heap peak %,d MiB  RSS peak %,d MiB  task exec peak %,d MiB  spill %,d "
                        + "MiB  rows/matched/sum=%s%n", name, seconds, r == null ? " (cancelled)" : "",
                heapPeak() >> 20, peakRss() >> 20, peaks.maxPeakExecutionMemory.get() >> 20,
                peaks.spilledBytes.get() >> 20, m.get("check"));
        return m;
    }

    private static void resetPeaks() {
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            pool.resetPeakUsage();
        }
        try {
            Files.writeString(Path.of("/proc/self/clear_refs"), "5");
        } catch (IOException | RuntimeException e) {
            System.out.println("Cannot reset the peak RSS (" + e.getMessage() + "): it covers the whole run");
        }
    }

    private static long heapPeak() {
        long total = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                total += pool.getPeakUsage().getUsed();
            }
        }
        return total;
    }

    private static long peakRss() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException e) {
            return -1;
        }
        return -1;
    }

    /** Largest per-task peak execution memory and total spill of the tasks since the last reset. */
    static final class TaskPeaks extends SparkListener {
        final AtomicLong maxPeakExecutionMemory = new AtomicLong();
        final AtomicLong spilledBytes = new AtomicLong();

        void reset() {
            maxPeakExecutionMemory.set(0);
            spilledBytes.set(0);
        }

        @Override
        public void onTaskEnd(SparkListenerTaskEnd end) {
            if (end.taskMetrics() != null) {
                maxPeakExecutionMemory.accumulateAndGet(end.taskMetrics().peakExecutionMemory(), Math::max);
                spilledBytes.addAndGet(end.taskMetrics().diskBytesSpilled());
            }
        }
    }
}
