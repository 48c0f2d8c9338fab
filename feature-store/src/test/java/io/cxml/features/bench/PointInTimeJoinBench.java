package io.cxml.features.bench;

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
import io.cxml.features.PointInTimeJoin;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
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
 * inputs: N labels over E events of K entities spread over 90 days, TTL 7 days. Each method's result is reduced to
 * (rows, matched, sum of values) so the run also checks that both agree. Reports wall time, JVM heap peak, process
 * peak RSS (reset between methods through {@code /proc/self/clear_refs}) and Spark's largest task execution-memory
 * peak and spill, prints them and writes {@code bench-results/pit-join-<time>.json}.
 *
 * <p>Usage: {@code PointInTimeJoinBench [labels] [events] [entities] [workDir]}, defaults 1,000,000 10,000,000
 * 100,000 target/bench.
 */
public final class PointInTimeJoinBench {
    private static final Instant BASE = Instant.parse("2026-01-01T00:00:00Z");
    private static final long SPAN_SECONDS = Duration.ofDays(90).toSeconds();
    private static final Duration TTL = Duration.ofDays(7);

    private PointInTimeJoinBench() {}

    /**
     * @param args labels, events, entities, work directory (all optional)
     * @throws IOException when the result cannot be written
     */
    public static void main(String[] args) throws IOException {
        long labels = args.length > 0 ? Long.parseLong(args[0]) : 1_000_000L;
        long events = args.length > 1 ? Long.parseLong(args[1]) : 10_000_000L;
        long entities = args.length > 2 ? Long.parseLong(args[2]) : 100_000L;
        Path work = Path.of(args.length > 3 ? args[3] : "target/bench").toAbsolutePath();
        int partitions = Integer.getInteger("bench.partitions", 16);

        SparkSession spark = SparkSession.builder().appName("pit-join-bench").master("local[2]")
                .config("spark.driver.bindAddress", "127.0.0.1").config("spark.driver.host", "127.0.0.1")
                .config("spark.ui.enabled", "false").config("spark.sql.session.timeZone", "UTC")
                .config("spark.sql.shuffle.partitions", partitions)
                .config("spark.sql.adaptive.enabled", "true")
                .getOrCreate();
        TaskPeaks peaks = new TaskPeaks();
        spark.sparkContext().addSparkListener(peaks);

        String labelPath = work.resolve("labels").toString();
        String eventPath = work.resolve("events").toString();
        long t0 = System.nanoTime();
        generate(spark, labels, events, entities, labelPath, eventPath);
        double generateSeconds = (System.nanoTime() - t0) / 1e9;
        System.out.printf("Generated %,d labels and %,d events over %,d entities in %.1f s%n", labels, events,
                entities, generateSeconds);

        PointInTimeJoin.Spec spec = new PointInTimeJoin.Spec("entity", "event_time", List.of("value", "n"), TTL,
                "f__", null);
        // Warm-up on a 1% sample (not reported) so that neither method pays for class loading and JIT alone.
        PointInTimeJoin.asOf(spark.read().parquet(labelPath).sample(0.01, 1), "label_time",
                spark.read().parquet(eventPath).sample(0.01, 2), spec).write().format("noop").mode("overwrite").save();
        naive(spark.read().parquet(labelPath).sample(0.01, 1), spark.read().parquet(eventPath).sample(0.01, 2))
                .write().format("noop").mode("overwrite").save();
        Map<String, Object> pit = measure("point-in-time (union + carry forward)", spark, peaks,
                () -> PointInTimeJoin.asOf(spark.read().parquet(labelPath), "label_time",
                        spark.read().parquet(eventPath), spec));
        Map<String, Object> naive = measure("naive (join, filter, row_number)", spark, peaks,
                () -> naive(spark.read().parquet(labelPath), spark.read().parquet(eventPath)));

        Map<String, Object> result = new LinkedHashMap<>();
        result.put("benchmark", "point-in-time join vs join-then-filter");
        result.put("date", Instant.now().toString());
        result.put("labels", labels);
        result.put("events", events);
        result.put("entities", entities);
        result.put("ttlDays", TTL.toDays());
        result.put("sparkMaster", spark.sparkContext().master());
        result.put("shufflePartitions", partitions);
        result.put("maxHeapBytes", Runtime.getRuntime().maxMemory());
        result.put("cpus", Runtime.getRuntime().availableProcessors());
        result.put("generateSeconds", generateSeconds);
        result.put("pointInTime", pit);
        result.put("naive", naive);
        result.put("naiveOverPitWallRatio", (double) naive.get("wallSeconds") / (double) pit.get("wallSeconds"));
        result.put("resultsAgree", pit.get("check").equals(naive.get("check")));
        result.put("note", "2 CPU cores shared with other processes: wall times are noisy");

        Path out = Path.of("bench-results", "pit-join-" + Instant.now().toString().replace(":", "") + ".json");
        Files.createDirectories(out.getParent());
        String json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(result);
        Files.writeString(out, json);
        System.out.println(json);
        System.out.println("Wrote " + out.toAbsolutePath());
        spark.stop();
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

    private static Map<String, Object> measure(String name, SparkSession spark, TaskPeaks peaks,
            java.util.function.Supplier<Dataset<Row>> plan) {
        System.gc();
        resetPeaks();
        peaks.reset();
        long start = System.nanoTime();
        Row r = plan.get().agg(count(lit(1)), count(col("f__value")), sum(col("f__value")), sum(col("f__n")))
                .first();
        double seconds = (System.nanoTime() - start) / 1e9;
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("method", name);
        m.put("wallSeconds", seconds);
        m.put("heapPeakBytes", heapPeak());
        m.put("processPeakRssBytes", peakRss());
        m.put("maxTaskPeakExecutionMemoryBytes", peaks.maxPeakExecutionMemory.get());
        m.put("spilledBytes", peaks.spilledBytes.get());
        m.put("check", r.getLong(0) + "/" + r.getLong(1) + "/" + r.get(2) + "/" + r.get(3));
        System.out.printf("%-40s %8.1f s  heap peak %,d MiB  RSS peak %,d MiB  task exec peak %,d MiB  spill %,d "
                        + "MiB  rows/matched/sum=%s%n", name, seconds, heapPeak() >> 20, peakRss() >> 20,
                peaks.maxPeakExecutionMemory.get() >> 20, peaks.spilledBytes.get() >> 20, m.get("check"));
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
