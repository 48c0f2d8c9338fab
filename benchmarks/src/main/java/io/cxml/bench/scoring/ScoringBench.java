package io.cxml.bench.scoring;

import ai.djl.Device;
import ai.djl.inference.Predictor;
import io.cxml.runtime.executor.ModelSource;
import io.cxml.runtime.model.ClassifierModel;
import io.cxml.runtime.model.Prediction;
import io.cxml.runtime.model.TextClassifier;
import io.cxml.runtime.stages.TextClassifierStage;
import io.cxml.runtime.text.FeaturizerConfig;
import io.cxml.training.data.LabelledText;
import io.cxml.training.data.PublicDatasets;
import io.cxml.training.text.TextClassifierTrainer;
import io.cxml.training.text.TrainingOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;

/**
 * Scores the same texts with the same model three ways, one way per JVM so that the script can read each one's peak
 * RSS: {@code loop} (the DJL predictor in a plain loop, batches of 256; {@code loop WORK N}: N threads sharing one
 * model, a predictor each), {@code transformer} (the
 * {@link TextClassifierStage} path of {@code cxml score} in {@code local[N]}) and {@code udf} (a naive per-row UDF:
 * the model shared per JVM, but one predictor and one call per row). {@code prepare} trains the model on BANKING77
 * and writes the texts. Each mode prints one JSON line: {@code {"mode":..,"rows":..,"seconds":..,"rows_per_s":..}}.
 */
public final class ScoringBench {
    private ScoringBench() {}

    /**
     * @param args {@code prepare WORK SHARED ROWS} or {@code loop|transformer|udf WORK [MASTER]}
     * @throws Exception on failure
     */
    public static void main(String[] args) throws Exception {
        Path work = Path.of(args[1]);
        switch (args[0]) {
            case "prepare" -> prepare(work, Path.of(args[2]), Integer.parseInt(args[3]));
            case "loop" -> loop(work, args.length > 2 ? Integer.parseInt(args[2]) : 1);
            case "transformer" -> spark(work, args.length > 2 ? args[2] : "local[2]", false);
            case "udf" -> spark(work, args.length > 2 ? args[2] : "local[2]", true);
            default -> throw new IllegalArgumentException("Cannot run mode " + args[0]
                    + ": use prepare, loop, transformer or udf");
        }
    }

    private static void prepare(Path work, Path shared, int rows) throws Exception {
        List<LabelledText> all = PublicDatasets.banking77(shared.resolve("banking77/banking_data/train.csv"));
        List<String> labels = all.stream().map(LabelledText::label).distinct().sorted().toList();
        List<LabelledText> train = new ArrayList<>();
        List<LabelledText> validation = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
            (i % 10 == 0 ? validation : train).add(all.get(i));
        }
        TextClassifierTrainer.train(train, validation, labels, TrainingOptions.builder()
                .optFeaturizer(new FeaturizerConfig(262_144, 2, 3, 5, 1024)).optDim(64).optEpochs(2)
                .optBatchSize(32).optLearningRate(0.01f).optSeed(42).build(), Device.cpu(), work.resolve("model"));
        List<String> texts = new ArrayList<>(rows);
        for (int i = 0; i < rows; i++) {
            texts.add(all.get(i % all.size()).text().replaceAll("\\s+", " ").trim());
        }
        Files.write(work.resolve("texts.txt"), texts);
    }

    private static List<String> texts(Path work) throws Exception {
        return Files.readAllLines(work.resolve("texts.txt"));
    }

    /**
     * The plain predictor loop: on one thread a {@link TextClassifier} over batches of 256; on N threads one shared
     * model and a predictor per thread, each over its share of the texts (what the machine gives N cores without
     * Spark: the ceiling of the transformer path).
     */
    private static void loop(Path work, int threads) throws Exception {
        List<String> texts = texts(work);
        long start = System.nanoTime();
        long n = 0;
        if (threads <= 1) {
            try (TextClassifier classifier = TextClassifier.load(work.resolve("model"), Device.cpu(), 3)) {
                for (int i = 0; i < texts.size(); i += 256) {
                    n += classifier.predict(texts.subList(i, Math.min(texts.size(), i + 256))).size();
                }
            }
            report("loop", 1, n, start);
            return;
        }
        try (ClassifierModel model = ClassifierModel.load(work.resolve("model"), Device.cpu())) {
            java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
            List<java.util.concurrent.Future<Long>> parts = new ArrayList<>();
            int share = (texts.size() + threads - 1) / threads;
            for (int t = 0; t < threads; t++) {
                List<String> mine = texts.subList(Math.min(texts.size(), t * share),
                        Math.min(texts.size(), (t + 1) * share));
                parts.add(pool.submit(() -> {
                    long done = 0;
                    try (Predictor<List<String>, List<Prediction>> p = model.newPredictor(model.spec(), 3)) {
                        for (int i = 0; i < mine.size(); i += 256) {
                            done += io.cxml.runtime.model.LengthBatches.predict(p,
                                    mine.subList(i, Math.min(mine.size(), i + 256))).size();
                        }
                    }
                    return done;
                }));
            }
            for (var f : parts) {
                n += f.get();
            }
            pool.shutdown();
        }
        report("loop", threads, n, start);
    }

    private static void spark(Path work, String master, boolean naive) throws Exception {
        SparkSession spark = SparkSession.builder().master(master).appName("cxml-bench-scoring")
                .config("spark.ui.enabled", "false").config("spark.driver.bindAddress", "127.0.0.1")
                .config("spark.driver.host", "127.0.0.1").config("spark.sql.shuffle.partitions", "4")
                .getOrCreate();
        int cores = spark.sparkContext().defaultParallelism();
        Dataset<Row> input = spark.read().text(work.resolve("texts.txt").toString()).toDF("text")
                .repartition(cores * 2).cache();
        long rows = input.count();
        String uri = work.resolve("model").toUri().toString();
        long start = System.nanoTime();
        if (naive) {
            ModelSource source = ModelSource.of(uri, "bench", spark.sparkContext().hadoopConfiguration());
            spark.udf().register("naive_intent", (UDF1<String, String>) text -> NaiveModel.predict(source, text),
                    DataTypes.StringType);
            input.select(functions.callUDF("naive_intent", functions.col("text"))).write().format("noop")
                    .mode("overwrite").save();
        } else {
            new TextClassifierStage().setModelUri(uri).setModelLabel("bench").transform(input).write()
                    .format("noop").mode("overwrite").save();
        }
        report(naive ? "udf" : "transformer", cores, rows, start);
        spark.stop();
    }

    /** The naive UDF's model: loaded once per JVM, but every row gets its own predictor and call. */
    static final class NaiveModel {
        private static ClassifierModel model;

        static synchronized ClassifierModel get(ModelSource source) throws Exception {
            if (model == null) {
                Path local = Files.createTempDirectory("bench-model");
                org.apache.hadoop.fs.Path dir = new org.apache.hadoop.fs.Path(source.uri());
                var fs = dir.getFileSystem(source.hadoop());
                for (var f : fs.listStatus(dir)) {
                    fs.copyToLocalFile(false, f.getPath(),
                            new org.apache.hadoop.fs.Path(local.resolve(f.getPath().getName()).toUri()), true);
                }
                model = ClassifierModel.load(local, Device.cpu());
            }
            return model;
        }

        static String predict(ModelSource source, String text) throws Exception {
            ClassifierModel m = get(source);
            try (Predictor<List<String>, List<Prediction>> p = m.newPredictor(m.spec(), 3)) {
                return p.predict(List.of(text)).get(0).label();
            }
        }
    }

    private static void report(String mode, int cores, long rows, long start) {
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.println(String.format(Locale.ROOT,
                "{\"mode\":\"%s\",\"cores\":%d,\"rows\":%d,\"seconds\":%.2f,\"rows_per_s\":%.1f}", mode, cores, rows,
                seconds, rows / seconds));
    }
}
