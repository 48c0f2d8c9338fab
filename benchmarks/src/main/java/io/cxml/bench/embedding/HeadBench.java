package io.cxml.bench.embedding;

import io.cxml.features.TrainingColumns;
import io.cxml.runtime.embedding.BaseEncoder;
import io.cxml.runtime.embedding.EmbeddingHead;
import io.cxml.runtime.model.ClassifierSpec;
import io.cxml.runtime.model.TextClassifier;
import io.cxml.runtime.stages.EmbeddingStage;
import io.cxml.runtime.stages.TextClassifierStage;
import io.cxml.training.data.LabelledText;
import io.cxml.training.data.PublicDatasets;
import io.cxml.training.eval.ReportWriter;
import io.cxml.training.eval.TrainingSummary;
import io.cxml.training.text.EmbeddingHeadTrainer;
import io.cxml.training.text.HeadOptions;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;

/**
 * Benchmarks of heads on embeddings, one mode per JVM (so that {@code scripts/bench-heads.sh} reads each one's peak
 * RSS); each prints one JSON line last.
 *
 * <ul>
 *   <li>{@code train ROWS DIM LABELS MASTER}: {@link EmbeddingHeadTrainer} (the product's head training: the rows
 *       shuffled into one task, sorted, fitted by softmax regression, written) on {@code ROWS} synthetic training
 *       rows plus {@code ROWS/10} validation rows: unit vectors of {@code DIM} dimensions around {@code LABELS} random
 *       class centroids (which share a common direction, as sentence embeddings do) with Gaussian noise, seeded
 *       ({@code bench.seed}, 7). Settings as shipped: reg-param {@code bench.headReg} (0.001), {@code
 *       bench.headMaxIter} (200), tol 1e-6. Reports the wall seconds of the call and the peak heap (sampled).</li>
 *   <li>{@code score ROWS DIM MASTER FIXTURE}: three heads (77, 3 and 12 labels) on the same pre-embedded rows, through
 *       three {@link TextClassifierStage}s that all read the column {@link EmbeddingStage#columnFor} of a real base
 *       encoder ({@code FIXTURE}, e.g. the tiny XLM-R test folder; nothing is embedded); the rows are cached first,
 *       one warm-up pass, then {@code bench.repeats} (2) timed passes (noop sink). Also times one head alone and the
 *       cached rows alone (the floor).</li>
 *   <li>{@code embed FOLDER DATADIR ROWS MASTER}: {@link EmbeddingStage} on the first {@code ROWS} BANKING77 texts,
 *       4 partitions, after a warm-up that loads the encoder (one PyTorch thread per task, as executors run it).</li>
 * </ul>
 */
public final class HeadBench {
    private static final com.fasterxml.jackson.databind.ObjectMapper LINE = ReportWriter.JSON.copy()
            .disable(com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT);
    private HeadBench() {}

    /**
     * @param args see the class comment
     * @throws Exception on failure
     */
    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "train" -> train(Integer.parseInt(args[1]), Integer.parseInt(args[2]), Integer.parseInt(args[3]),
                    args[4]);
            case "score" -> score(Integer.parseInt(args[1]), Integer.parseInt(args[2]), args[3], args[4]);
            case "embed" -> embed(args[1], Path.of(args[2]), Integer.parseInt(args[3]), args[4]);
            default -> throw new IllegalArgumentException("Cannot run mode " + args[0]
                    + ": use train, score or embed");
        }
    }

    private static SparkSession spark(String master) {
        return SparkSession.builder().master(master).appName("cxml-bench-heads")
                .config("spark.ui.enabled", "false").config("spark.driver.bindAddress", "127.0.0.1")
                .config("spark.driver.host", "127.0.0.1").config("spark.sql.shuffle.partitions", "2")
                .getOrCreate();
    }

    private static void train(int rows, int dim, int labels, String master) throws Exception {
        long seed = Long.getLong("bench.seed", 7);
        double reg = Double.parseDouble(System.getProperty("bench.headReg", "0.001"));
        int maxIter = Integer.getInteger("bench.headMaxIter", 200);
        double noise = Double.parseDouble(System.getProperty("bench.noise", "0.18"));
        SparkSession spark = spark(master);
        int validation = rows / 10;
        long start = System.nanoTime();
        Dataset<Row> data = synthetic(spark, rows + validation, dim, labels, noise, seed, rows)
                .persist(StorageLevel.MEMORY_AND_DISK());
        data.count();
        double generateSeconds = (System.nanoTime() - start) / 1e9;
        List<String> names = labelNames(labels);
        BaseEncoder base = new BaseEncoder("synthetic", "synthetic", "0".repeat(64), 128);
        Path work = Files.createTempDirectory("cxml-bench-head-");
        HeapSampler heap = HeapSampler.start();
        start = System.nanoTime();
        TrainingSummary summary = EmbeddingHeadTrainer.train(data, "embedding", names, new HeadOptions(base, reg,
                maxIter, 1e-6, 256), work.resolve("model").toString(), spark.sparkContext().hadoopConfiguration());
        double seconds = (System.nanoTime() - start) / 1e9;
        long peak = heap.stop();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("mode", "train");
        out.put("master", master);
        out.put("trainRows", summary.trainExamples());
        out.put("validationRows", summary.validationExamples());
        out.put("dim", dim);
        out.put("labels", labels);
        out.put("noise", noise);
        out.put("regParam", reg);
        out.put("maxIter", maxIter);
        out.put("seconds", seconds);
        out.put("fitSeconds", summary.seconds());
        out.put("validationAccuracy", summary.epochs().get(0).validationAccuracy());
        out.put("loss", summary.epochs().get(0).trainLoss());
        out.put("peakHeapMb", peak / (1 << 20));
        out.put("maxHeapMb", Runtime.getRuntime().maxMemory() / (1 << 20));
        out.put("generateSeconds", generateSeconds);
        System.out.printf("train: %d rows x %d dims, %d labels: %.1f s (fit %.1f s in the task), validation "
                + "accuracy %.4f, peak heap %d MB%n", summary.trainExamples(), dim, labels, seconds, summary.seconds(),
                summary.epochs().get(0).validationAccuracy(), peak / (1 << 20));
        spark.stop();
        deleteRecursively(work);
        System.out.println(LINE.writeValueAsString(out));
    }

    private static void score(int rows, int dim, String master, String fixture) throws Exception {
        long seed = Long.getLong("bench.seed", 7);
        int repeats = Integer.getInteger("bench.repeats", 2);
        SparkSession spark = spark(master);
        BaseEncoder base = BaseEncoder.open(fixture, 128, Map.of());
        String col = EmbeddingStage.columnFor(base);
        Path work = Files.createTempDirectory("cxml-bench-heads-");
        // Three heads on the same encoder: intents (77 labels: weights along the synthetic centroids, so they are
        // meaningful), sentiment (3) and team (12) with seeded random weights. Written as training writes them.
        String[] prefixes = {"intent", "sentiment", "team"};
        int[] classes = {77, 3, 12};
        float[][] centroids = centroids(77, dim, seed);
        List<String> uris = new ArrayList<>();
        for (int h = 0; h < 3; h++) {
            Random random = new Random(seed + h);
            float[] w = new float[classes[h] * dim];
            for (int c = 0; c < classes[h]; c++) {
                for (int j = 0; j < dim; j++) {
                    w[c * dim + j] = h == 0 ? 20 * centroids[c][j] : (float) random.nextGaussian();
                }
            }
            Path dir = work.resolve(prefixes[h]);
            Files.createDirectories(dir);
            try (OutputStream o = Files.newOutputStream(dir.resolve(EmbeddingHead.PARAMS_FILE))) {
                new EmbeddingHead(classes[h], dim, w, new float[classes[h]]).write(o);
            }
            TextClassifier.writeSpec(dir, new ClassifierSpec(EmbeddingHead.encoderSpec(base, dim),
                    labelNames(classes[h]), 1.0, 0.5));
            uris.add(dir.toString());
        }
        Dataset<Row> data = synthetic(spark, rows, dim, 77, 0.18, seed, rows)
                .withColumnRenamed("embedding", col).select(TrainingColumns.TEXT, col)
                .persist(StorageLevel.MEMORY_ONLY());
        long count = data.count();
        List<TextClassifierStage> stages = new ArrayList<>();
        for (int h = 0; h < 3; h++) {
            stages.add(new TextClassifierStage().setInputCol(TrainingColumns.TEXT).setOutputPrefix(prefixes[h])
                    .setModelUri(uris.get(h)).setModelLabel(prefixes[h] + "@bench"));
        }
        // Warm-up: JIT, the heads loaded into the JVM's cache.
        run(stages, data.limit(Math.min(rows, 20_000)), 3);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("mode", "score");
        out.put("master", master);
        out.put("rows", count);
        out.put("dim", dim);
        out.put("heads", "intent (77 labels), sentiment (3), team (12)");
        out.put("embeddingColumn", col);
        out.put("encoder", base.toString());
        double cached = best(repeats, () -> run(stages, data, 0));
        double one = best(repeats, () -> run(stages, data, 1));
        double three = best(repeats, () -> run(stages, data, 3));
        out.put("cachedRowsOnlySeconds", cached);
        out.put("oneHeadSeconds", one);
        out.put("seconds", three);
        out.put("rowsPerSecond", count / three);
        out.put("oneHeadRowsPerSecond", count / one);
        out.put("cachedRowsOnlyRowsPerSecond", count / cached);
        out.put("repeats", repeats);
        System.out.printf("score: %d pre-embedded rows (%d dims), 3 heads in %s: best of %d %.2f s = %.0f rows/s "
                + "(1 head %.0f rows/s, the cached rows alone %.0f rows/s)%n", count, dim, master, repeats, three,
                count / three, count / one, count / cached);
        data.unpersist();
        spark.stop();
        deleteRecursively(work);
        System.out.println(LINE.writeValueAsString(out));
    }

    private interface Timed {
        double run() throws Exception;
    }

    private static double best(int repeats, Timed timed) throws Exception {
        double best = Double.POSITIVE_INFINITY;
        for (int i = 0; i < repeats; i++) {
            best = Math.min(best, timed.run());
        }
        return best;
    }

    /** Seconds to score the rows through the first {@code heads} stages, all of their columns written (noop). */
    private static double run(List<TextClassifierStage> stages, Dataset<Row> data, int heads) {
        Dataset<Row> out = data;
        for (int h = 0; h < heads; h++) {
            out = stages.get(h).transform(out);
        }
        long start = System.nanoTime();
        out.write().format("noop").mode("overwrite").save();
        return (System.nanoTime() - start) / 1e9;
    }

    private static void embed(String folder, Path shared, int rows, String master) throws Exception {
        int maxTokens = Integer.getInteger("bench.maxTokens", 128);
        int partitions = Integer.getInteger("bench.partitions", 4);
        List<LabelledText> all = PublicDatasets.banking77(shared.resolve("banking77/banking_data/train.csv"));
        List<Row> texts = new ArrayList<>();
        for (int i = 0; i < Math.min(rows, all.size()); i++) {
            texts.add(RowFactory.create((long) i, all.get(i).text()));
        }
        SparkSession spark = spark(master);
        StructType schema = new StructType().add(TrainingColumns.ROW_ID, DataTypes.LongType)
                .add(TrainingColumns.TEXT, DataTypes.StringType);
        Dataset<Row> data = spark.createDataFrame(texts, schema).repartition(partitions)
                .persist(StorageLevel.MEMORY_ONLY());
        data.count();
        BaseEncoder base = BaseEncoder.open(folder, maxTokens, Map.of());
        // Warm-up: loads the encoder into this JVM's cache (once per executor JVM in a job) and warms the JIT.
        embedStage(base).transform(spark.createDataFrame(texts.subList(0, Math.min(64, texts.size())), schema))
                .write().format("noop").mode("overwrite").save();
        EmbeddingStage stage = embedStage(base);
        EmbeddingStage.Counts counts = stage.countWith(spark.sparkContext());
        HeapSampler heap = HeapSampler.start();
        long start = System.nanoTime();
        stage.transform(data).write().format("noop").mode("overwrite").save();
        double seconds = (System.nanoTime() - start) / 1e9;
        long peak = heap.stop();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("mode", "embed");
        out.put("master", master);
        out.put("encoder", base.toString());
        out.put("rows", texts.size());
        out.put("partitions", partitions);
        out.put("embedded", counts.embedded().value());
        out.put("truncated", counts.truncated().value());
        out.put("seconds", seconds);
        out.put("rowsPerSecond", texts.size() / seconds);
        out.put("peakHeapMb", peak / (1 << 20));
        System.out.printf("embed: %d BANKING77 texts with %s in %s: %.1f s = %.1f rows/s%n", texts.size(), base.name(),
                master, seconds, texts.size() / seconds);
        spark.stop();
        System.out.println(LINE.writeValueAsString(out));
    }

    private static EmbeddingStage embedStage(BaseEncoder base) {
        return new EmbeddingStage().setInputCol(TrainingColumns.TEXT).setEncoder(base)
                .setOutputPrefix(EmbeddingStage.columnFor(base)).setBatchSize(256);
    }

    private static List<String> labelNames(int n) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(String.format("label%03d", i));
        }
        return out;
    }

    /** Unit centroids that share a common direction (cosine ~0.36 between two), as sentence embeddings do. */
    static float[][] centroids(int labels, int dim, long seed) {
        Random random = new Random(seed);
        double[] common = unit(gaussian(random, dim));
        float[][] out = new float[labels][];
        for (int c = 0; c < labels; c++) {
            double[] r = unit(gaussian(random, dim));
            double[] v = new double[dim];
            for (int j = 0; j < dim; j++) {
                v[j] = 0.6 * common[j] + 0.8 * r[j];
            }
            v = unit(v);
            out[c] = new float[dim];
            for (int j = 0; j < dim; j++) {
                out[c][j] = (float) v[j];
            }
        }
        return out;
    }

    private static double[] gaussian(Random random, int dim) {
        double[] v = new double[dim];
        for (int j = 0; j < dim; j++) {
            v[j] = random.nextGaussian();
        }
        return v;
    }

    private static double[] unit(double[] v) {
        double n = 0;
        for (double x : v) {
            n += x * x;
        }
        n = Math.sqrt(n);
        for (int j = 0; j < v.length; j++) {
            v[j] /= n;
        }
        return v;
    }

    /**
     * Rows {@code text, label, split, embedding}: row i has a label drawn by a generator seeded with i,
     * vector = unit(centroid + N(0, noise^2) per dimension); rows below {@code trainRows} are train, the rest
     * validation. Generated on the executors, reproducible whatever the partitioning.
     */
    static Dataset<Row> synthetic(SparkSession spark, long rows, int dim, int labels, double noise, long seed,
            long trainRows) {
        StructType schema = new StructType().add(TrainingColumns.TEXT, DataTypes.StringType)
                .add(TrainingColumns.LABEL, DataTypes.StringType).add(TrainingColumns.SPLIT, DataTypes.StringType)
                .add("embedding", DataTypes.createArrayType(DataTypes.FloatType, false));
        int partitions = Math.max(2, spark.sparkContext().defaultParallelism());
        return spark.range(0, rows, 1, partitions).toDF().mapPartitions(
                new Generate(centroids(labels, dim, seed), noise, seed, trainRows), Encoders.row(schema));
    }

    private static final class Generate implements MapPartitionsFunction<Row, Row> {
        private static final long serialVersionUID = 1L;
        private final float[][] centroids;
        private final double noise;
        private final long seed;
        private final long trainRows;

        Generate(float[][] centroids, double noise, long seed, long trainRows) {
            this.centroids = centroids;
            this.noise = noise;
            this.seed = seed;
            this.trainRows = trainRows;
        }

        @Override
        public Iterator<Row> call(Iterator<Row> ids) {
            return new Iterator<>() {
                @Override
                public boolean hasNext() {
                    return ids.hasNext();
                }

                @Override
                public Row next() {
                    long id = ids.next().getLong(0);
                    SplittableRandom random = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + id);
                    int label = random.nextInt(centroids.length);
                    float[] c = centroids[label];
                    double[] v = new double[c.length];
                    double norm = 0;
                    for (int j = 0; j < v.length; j++) {
                        v[j] = c[j] + noise * gaussian(random);
                        norm += v[j] * v[j];
                    }
                    norm = Math.sqrt(norm);
                    Float[] boxed = new Float[v.length];
                    for (int j = 0; j < v.length; j++) {
                        boxed[j] = (float) (v[j] / norm);
                    }
                    return RowFactory.create("row " + id, String.format("label%03d", label),
                            id < trainRows ? TrainingColumns.TRAIN : TrainingColumns.VALIDATION, boxed);
                }
            };
        }

        private static double gaussian(SplittableRandom random) { // Box-Muller (SplittableRandom has no Gaussian)
            double u = 1 - random.nextDouble();
            return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random.nextDouble());
        }
    }

    /** Samples the used heap every 20 ms on a daemon thread; {@link #stop} returns the largest sample. */
    private static final class HeapSampler {
        private final AtomicLong peak = new AtomicLong();
        private volatile boolean running = true;
        private Thread thread;

        static HeapSampler start() {
            HeapSampler s = new HeapSampler();
            MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
            s.thread = new Thread(() -> {
                while (s.running) {
                    s.peak.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
                    try {
                        Thread.sleep(20);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "heap-sampler");
            s.thread.setDaemon(true);
            s.thread.start();
            return s;
        }

        long stop() throws InterruptedException {
            running = false;
            thread.join();
            peak.accumulateAndGet(ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed(), Math::max);
            return peak.get();
        }
    }

    private static void deleteRecursively(Path dir) throws java.io.IOException {
        try (var walk = Files.walk(dir)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
