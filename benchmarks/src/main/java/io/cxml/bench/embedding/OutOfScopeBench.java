package io.cxml.bench.embedding;

import io.cxml.features.TrainingColumns;
import io.cxml.runtime.embedding.BaseEncoder;
import io.cxml.runtime.embedding.EmbeddingStore;
import io.cxml.runtime.executor.DevicePreference;
import io.cxml.runtime.executor.ModelSource;
import io.cxml.runtime.model.ClassifierSpec;
import io.cxml.runtime.stages.EmbeddingStage;
import io.cxml.runtime.stages.TextClassifierStage;
import io.cxml.training.data.LabelledText;
import io.cxml.training.data.PublicDatasets;
import io.cxml.training.eval.Calibration;
import io.cxml.training.eval.ReportWriter;
import io.cxml.training.text.EmbeddingHeadTrainer;
import io.cxml.training.text.ExecutorEvaluation;
import io.cxml.training.text.HeadOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;

/**
 * Out-of-scope detection measured the CLINC150 way on a BANKING77 carve: {@code HELD_OUT} intents (seeded) are
 * removed from training and validation and all their tickets become the out-of-scope test rows; the other intents'
 * tickets are split 80/10/10 (seeded hash) into train, validation (calibration, no out-of-scope example) and the
 * in-scope test rows. Everything is embedded once by {@link EmbeddingStage}, one head is trained by
 * {@link EmbeddingHeadTrainer}, and the test rows are judged by: no rule, the configured confidence threshold
 * ({@code cxml.training.unknown-threshold}, 0.5, on the temperature fitted on validation), and what a head version
 * stores: the larger of 0.5 and the confidence that keeps {@code quantile} of the in-scope validation rows,
 * calibrated by the training run's own {@link ExecutorEvaluation#confidenceThreshold}. Figures: in-scope accuracy
 * (a rejected in-scope ticket counts as wrong), out-of-scope recall, false-rejection rate of in-scope tickets.
 * Prints one JSON line last.
 * Usage: {@code OutOfScopeBench ENCODER_FOLDER BANKING77_TRAIN_CSV [HELD_OUT=10] [MASTER=local[2]]};
 * {@code -Dbench.seed} (7), {@code -Dbench.quantile} (0.95), {@code -Dbench.maxTokens} (128).
 */
public final class OutOfScopeBench {
    private static final com.fasterxml.jackson.databind.ObjectMapper LINE = ReportWriter.JSON.copy()
            .disable(com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT);
    private static final String PROBABILITIES = "oos_probabilities";
    private static final double TODAY_THRESHOLD = 0.5;

    private OutOfScopeBench() {}

    /**
     * @param args see the class comment
     * @throws Exception on failure
     */
    public static void main(String[] args) throws Exception {
        String folder = args[0];
        Path csv = Path.of(args[1]);
        int heldOut = args.length > 2 ? Integer.parseInt(args[2]) : 10;
        String master = args.length > 3 ? args[3] : "local[2]";
        long seed = Long.getLong("bench.seed", 7);
        double quantile = Double.parseDouble(System.getProperty("bench.quantile", "0.95"));
        List<LabelledText> all = PublicDatasets.banking77(csv);
        List<String> intents = new ArrayList<>(new TreeSet<>(all.stream().map(LabelledText::label).toList()));
        Collections.shuffle(intents, new Random(seed));
        Set<String> outOfScope = new HashSet<>(intents.subList(0, heldOut));
        List<String> labels = new ArrayList<>(new TreeSet<>(intents.subList(heldOut, intents.size())));

        List<Row> rows = new ArrayList<>();
        Random split = new Random(seed);
        for (LabelledText t : all) {
            String part;
            if (outOfScope.contains(t.label())) {
                part = "oos";
            } else {
                double u = split.nextDouble();
                part = u < 0.8 ? TrainingColumns.TRAIN : u < 0.9 ? TrainingColumns.VALIDATION : TrainingColumns.TEST;
            }
            rows.add(RowFactory.create((long) rows.size(), t.text(), outOfScope.contains(t.label()) ? null
                    : t.label(), part));
        }
        SparkSession spark = SparkSession.builder().master(master).appName("cxml-bench-oos")
                .config("spark.ui.enabled", "false").config("spark.driver.bindAddress", "127.0.0.1")
                .config("spark.driver.host", "127.0.0.1").config("spark.sql.shuffle.partitions", "2")
                .getOrCreate();
        BaseEncoder base = BaseEncoder.open(folder, Integer.getInteger("bench.maxTokens", 128), Map.of());
        String col = EmbeddingStage.columnFor(base);
        StructType schema = new StructType().add(TrainingColumns.ROW_ID, DataTypes.LongType)
                .add(TrainingColumns.TEXT, DataTypes.StringType).add(TrainingColumns.LABEL, DataTypes.StringType)
                .add(TrainingColumns.SPLIT, DataTypes.StringType);
        long start = System.nanoTime();
        Dataset<Row> embedded = new EmbeddingStage().setInputCol(TrainingColumns.TEXT).setEncoder(base)
                .setOutputPrefix(col).transform(spark.createDataFrame(rows, schema)
                        .repartition(spark.sparkContext().defaultParallelism()))
                .persist(StorageLevel.MEMORY_AND_DISK());
        long count = embedded.count();
        double embedSeconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("oos: embedded %d texts with %s in %.1f s%n", count, base, embedSeconds);

        Path work = Files.createTempDirectory("cxml-bench-oos-");
        String uri = work.resolve("head").toString();
        start = System.nanoTime();
        EmbeddingHeadTrainer.train(embedded.where(embedded.col(TrainingColumns.LABEL).isNotNull()), col, labels,
                new HeadOptions(base, 0.001, 200, 1e-6, 256), uri,
                spark.sparkContext().hadoopConfiguration());
        double trainSeconds = (System.nanoTime() - start) / 1e9;
        Judged validation = judge(embedded, "validation", uri, col, labels);
        Judged inScope = judge(embedded, TrainingColumns.TEST, uri, col, labels);
        Judged oos = judge(embedded, "oos", uri, col, labels);
        double temperature = Calibration.fitTemperature(validation.probabilities, validation.gold);
        ClassifierSpec spec = ModelSource.readSpec(uri, spark.sparkContext().hadoopConfiguration())
                .withTemperature(temperature);
        double calibrated = ExecutorEvaluation.confidenceThreshold(embedded.where(embedded.col(TrainingColumns.SPLIT)
                .equalTo(TrainingColumns.VALIDATION)), new ExecutorEvaluation.Scoring(ModelSource.of(uri, "head",
                spark.sparkContext().hadoopConfiguration()), spec, 256, DevicePreference.CPU), quantile);
        double stored = Math.max(TODAY_THRESHOLD, calibrated);

        Map<String, Object> out = new LinkedHashMap<>();
        out.put("mode", "oos");
        out.put("dataset", "banking77 train.csv, " + heldOut + " intents held out as out-of-scope (seed " + seed
                + ")");
        out.put("heldOutIntents", new TreeSet<>(outOfScope));
        out.put("encoder", base.toString());
        out.put("master", master);
        out.put("trainRows", embedded.where(embedded.col(TrainingColumns.SPLIT).equalTo(TrainingColumns.TRAIN))
                .count());
        out.put("validationRows", validation.gold.length);
        out.put("inScopeTestRows", inScope.gold.length);
        out.put("outOfScopeTestRows", oos.gold.length);
        out.put("quantile", quantile);
        out.put("temperature", temperature);
        out.put("calibratedConfidenceThreshold", calibrated);
        out.put("embedSeconds", embedSeconds);
        out.put("trainSeconds", trainSeconds);
        Map<String, Object> methods = new LinkedHashMap<>();
        methods.put("none", measure(inScope, oos, temperature, 0));
        methods.put("confidence < " + TODAY_THRESHOLD + " (unknown-threshold)", measure(inScope, oos, temperature,
                TODAY_THRESHOLD));
        methods.put(String.format("confidence < %.3f (the version's: %s in-scope quantile)", stored, quantile),
                measure(inScope, oos, temperature, stored));
        out.put("methods", methods);
        methods.forEach((name, m) -> System.out.printf("oos: %-45s %s%n", name, m));
        embedded.unpersist();
        spark.stop();
        System.out.println(LINE.writeValueAsString(out));
    }

    /** One part's probabilities (temperature 1) and gold indexes (-1: out of scope). */
    private record Judged(float[][] probabilities, int[] gold) {}

    private static Judged judge(Dataset<Row> embedded, String part, String uri, String col, List<String> labels) {
        TextClassifierStage stage = new TextClassifierStage().setInputCol(TrainingColumns.TEXT).setModelUri(uri)
                .setModelLabel("head").setOutputPrefix("head").setCalibrated(false)
                .setProbabilitiesCol(PROBABILITIES);
        List<Row> scored = stage.transform(embedded.where(embedded.col(TrainingColumns.SPLIT).equalTo(part)))
                .select(TrainingColumns.LABEL, PROBABILITIES).collectAsList();
        float[][] p = new float[scored.size()][];
        int[] gold = new int[scored.size()];
        for (int i = 0; i < p.length; i++) {
            Row r = scored.get(i);
            p[i] = EmbeddingStore.vector(r, 1);
            gold[i] = r.isNullAt(0) ? -1 : labels.indexOf(r.getString(0));
        }
        return new Judged(p, gold);
    }

    private static double[] confidence(float[][] probabilities, double temperature) {
        double[] out = new double[probabilities.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = Calibration.scaled(probabilities[i], temperature, argmax(probabilities[i]));
        }
        return out;
    }

    private static Map<String, Object> measure(Judged inScope, Judged oos, double temperature, double threshold) {
        double[] inConfidence = confidence(inScope.probabilities, temperature);
        double[] oosConfidence = confidence(oos.probabilities, temperature);
        int correct = 0;
        int rejected = 0;
        for (int i = 0; i < inConfidence.length; i++) {
            boolean reject = inConfidence[i] < threshold;
            rejected += reject ? 1 : 0;
            correct += !reject && argmax(inScope.probabilities[i]) == inScope.gold[i] ? 1 : 0;
        }
        int caught = 0;
        for (int i = 0; i < oosConfidence.length; i++) {
            caught += oosConfidence[i] < threshold ? 1 : 0;
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("inScopeAccuracy", correct / (double) inConfidence.length);
        m.put("outOfScopeRecall", caught / (double) oosConfidence.length);
        m.put("falseRejectionRate", rejected / (double) inConfidence.length);
        return m;
    }

    private static int argmax(float[] p) {
        int best = 0;
        for (int c = 1; c < p.length; c++) {
            best = p[c] > p[best] ? c : best;
        }
        return best;
    }
}
