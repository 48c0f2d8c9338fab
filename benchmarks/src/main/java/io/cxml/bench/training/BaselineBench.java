package io.cxml.bench.training;

import io.cxml.features.TrainingColumns;
import io.cxml.training.baseline.BaselineSettings;
import io.cxml.training.baseline.TfidfLogisticRegression;
import io.cxml.training.data.LabelledText;
import io.cxml.training.data.PublicDatasets;
import io.cxml.training.data.Splits;
import io.cxml.training.eval.ReportWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.classification.LogisticRegression;
import org.apache.spark.ml.feature.HashingTF;
import org.apache.spark.ml.feature.IDF;
import org.apache.spark.ml.feature.NGram;
import org.apache.spark.ml.feature.RegexTokenizer;
import org.apache.spark.ml.feature.SQLTransformer;
import org.apache.spark.ml.feature.StringIndexer;
import org.apache.spark.ml.feature.StringIndexerModel;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Tunes and measures the TF-IDF + logistic-regression baseline on BANKING77 ({@code train.csv} carved as in
 * {@link ModelBench}: stratified by intent, seed 7, 80 % train, 10 % validation, 10 % test). Every candidate is fitted
 * on the train carve and compared on the <b>validation</b> carve only; the test carve is scored once, for the untuned
 * pipeline (exactly as it was before tuning: 2^16 features, L2 1e-4, standardized, 100 iterations, no feature
 * selection) and for the configured defaults ({@link BaselineSettings#DEFAULT}). All fits run one after the other in
 * the same JVM and Spark session ({@code local[2]}), so on a shared machine read the time ratios, not the seconds.
 * Writes {@code bench-results/baseline-banking77-<time>.json}. Usage: {@code BaselineBench [dataDir]}; system
 * properties {@code bench.seed} (7) and {@code bench.grid} ({@code full}, the default; {@code speed}: iterations and
 * min-doc-freq at the default regularization; or {@code none}: only before and
 * after).
 */
public final class BaselineBench {
    private static final StructType ROWS = new StructType().add(TrainingColumns.TEXT, DataTypes.StringType)
            .add(TrainingColumns.LABEL, DataTypes.StringType);

    private BaselineBench() {}

    /**
     * @param args {@code [dataDir]}, default {@code datasets}
     * @throws Exception on failure
     */
    public static void main(String[] args) throws Exception {
        Path shared = Path.of(args.length > 0 ? args[0] : "datasets");
        long seed = Long.getLong("bench.seed", 7);
        Splits.Parts parts = Splits.stratified(PublicDatasets.banking77(
                shared.resolve("banking77/banking_data/train.csv")), 0.1, 0.1, seed);
        SparkSession spark = SparkSession.builder().master("local[2]").appName("cxml-baseline-bench")
                .config("spark.ui.enabled", "false").config("spark.driver.bindAddress", "127.0.0.1")
                .config("spark.driver.host", "127.0.0.1").config("spark.sql.shuffle.partitions", "2")
                .getOrCreate();
        Dataset<Row> train = frame(spark, parts.train()).cache();
        Dataset<Row> validation = frame(spark, parts.validation()).cache();
        Dataset<Row> test = frame(spark, parts.test()).cache();
        System.out.printf("banking77 carve: train %d, validation %d, test %d (seed %d)%n", train.count(),
                validation.count(), test.count(), seed);
        List<String> labels = parts.train().stream().map(LabelledText::label).distinct().sorted().toList();

        // Warm-up (JIT, Spark's first jobs), not measured.
        new TfidfLogisticRegression(new BaselineSettings(1 << 12, 1, true, 1e-4, 0, 5, 1e-6, false))
                .fit(train.limit(500));

        Map<String, Object> out = new LinkedHashMap<>();
        out.put("dataset", "banking77 train.csv carve 80/10/10, stratified, seed " + seed);
        out.put("startedAt", Instant.now().toString());
        out.put("loadAverageAtStart", loadAverage());
        out.put("cpus", Runtime.getRuntime().availableProcessors());

        List<Map<String, Object>> grid = new ArrayList<>();
        if (!"none".equals(System.getProperty("bench.grid", "full"))) {
            BaselineSettings base = BaselineSettings.DEFAULT;
            List<BaselineSettings> candidates = new ArrayList<>();
            if ("speed".equals(System.getProperty("bench.grid"))) {
                // Cost levers at the chosen regularization: fewer optimizer iterations, fewer features (words seen
                // in fewer than min-doc-freq training texts dropped).
                int[][] minDfAndIterations = {{1, 30}, {1, 20}, {2, 30}, {2, 25}, {2, 20}, {3, 30}, {3, 20}, {1, 30}};
                for (int[] c : minDfAndIterations) {
                    candidates.add(new BaselineSettings(base.features(), c[0], base.normalize(), base.regParam(),
                            base.elasticNet(), c[1], base.tol(), base.standardization()));
                }
            } else {
                // A small grid: the machine is shared (docs/models.md#baseline gives the figures of the run).
                for (double reg : new double[] {3e-5, 1e-4, 3e-4}) {
                    candidates.add(base.withNormalize(true).withRegularization(reg, false));
                }
                candidates.add(base.withNormalize(false).withRegularization(1e-3, false));
            }
            BaselineSettings best = null;
            double bestAccuracy = -1;
            for (BaselineSettings candidate : candidates) {
                long start = System.nanoTime();
                TfidfLogisticRegression.Fitted fitted = new TfidfLogisticRegression(candidate).fit(train);
                double seconds = (System.nanoTime() - start) / 1e9;
                double[] v = score(fitted, validation, labels);
                Map<String, Object> row = new LinkedHashMap<>(candidate.params());
                row.put("validationAccuracy", v[0]);
                row.put("validationMacroF1", v[1]);
                row.put("fitSeconds", seconds);
                grid.add(row);
                System.out.printf("candidate %-120s validation accuracy %.4f macro-F1 %.4f fit %.1f s%n",
                        candidate.describe(), v[0], v[1], seconds);
                if (v[0] > bestAccuracy) {
                    bestAccuracy = v[0];
                    best = candidate;
                }
            }
            out.put("grid", grid);
            out.put("bestOnValidation", best.params());
            out.put("defaultIsBestOnValidation", best.equals(BaselineSettings.DEFAULT));
        }

        long start = System.nanoTime();
        PipelineModel untuned = untunedPipeline().fit(train);
        double beforeSeconds = (System.nanoTime() - start) / 1e9;
        double[] beforeValidation = scoreUntuned(untuned, validation);
        double[] beforeTest = scoreUntuned(untuned, test);

        start = System.nanoTime();
        TfidfLogisticRegression.Fitted tuned = TfidfLogisticRegression.defaults().fit(train);
        double afterSeconds = (System.nanoTime() - start) / 1e9;
        double[] afterValidation = score(tuned, validation, labels);
        double[] afterTest = score(tuned, test, labels);

        out.put("before", result("untuned pipeline (2^16 features, L2 1e-4, standardized, 100 iterations, all "
                + "hashed features)", beforeSeconds, beforeValidation, beforeTest));
        out.put("after", result(BaselineSettings.DEFAULT.describe(), afterSeconds, afterValidation, afterTest));
        out.put("afterSettings", BaselineSettings.DEFAULT.params());
        out.put("fitTimeRatioBeforeOverAfter", beforeSeconds / afterSeconds);
        out.put("loadAverageAtEnd", loadAverage());
        System.out.printf("%nbefore: validation accuracy %.4f macro-F1 %.4f, test accuracy %.4f, fit %.1f s%n",
                beforeValidation[0], beforeValidation[1], beforeTest[0], beforeSeconds);
        System.out.printf("after:  validation accuracy %.4f macro-F1 %.4f, test accuracy %.4f, fit %.1f s (%s)%n",
                afterValidation[0], afterValidation[1], afterTest[0], afterSeconds, BaselineSettings.DEFAULT
                        .describe());
        System.out.printf("fit time before / after: %.2f%n", beforeSeconds / afterSeconds);
        Path results = Path.of("bench-results");
        Files.createDirectories(results);
        Path json = results.resolve("baseline-banking77-" + Instant.now().toString().replace(":", "") + ".json");
        ReportWriter.JSON.writeValue(json.toFile(), out);
        System.out.println("wrote " + json.toAbsolutePath());
        spark.stop();
    }

    private static Map<String, Object> result(String what, double seconds, double[] validation, double[] test) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("settings", what);
        r.put("fitSeconds", seconds);
        r.put("validationAccuracy", validation[0]);
        r.put("validationMacroF1", validation[1]);
        r.put("testAccuracy", test[0]);
        r.put("testMacroF1", test[1]);
        return r;
    }

    /** The baseline exactly as it was before tuning (commit b0671d9), the "before" competitor. */
    private static Pipeline untunedPipeline() {
        return new Pipeline().setStages(new PipelineStage[] {
            new RegexTokenizer().setInputCol(TrainingColumns.TEXT).setOutputCol("w")
                    .setPattern("[^\\p{L}\\p{M}\\p{N}]+").setToLowercase(true),
            new NGram().setN(2).setInputCol("w").setOutputCol("b"),
            new SQLTransformer().setStatement("SELECT *, concat(w, b) AS terms FROM __THIS__"),
            new HashingTF().setInputCol("terms").setOutputCol("tf").setNumFeatures(1 << 16),
            new IDF().setInputCol("tf").setOutputCol("features"),
            new StringIndexer().setInputCol(TrainingColumns.LABEL).setOutputCol("y").setHandleInvalid("keep"),
            new LogisticRegression().setFeaturesCol("features").setLabelCol("y").setFamily("multinomial")
                    .setMaxIter(100).setRegParam(1e-4)});
    }

    private static double[] scoreUntuned(PipelineModel model, Dataset<Row> rows) {
        String[] indexed = ((StringIndexerModel) model.stages()[5]).labelsArray()[0];
        List<String[]> pairs = new ArrayList<>();
        for (Row r : model.transform(rows).select(TrainingColumns.LABEL, "prediction").collectAsList()) {
            pairs.add(new String[] {r.getString(0), indexed[(int) r.getDouble(1)]});
        }
        return accuracyAndMacroF1(pairs);
    }

    private static double[] score(TfidfLogisticRegression.Fitted fitted, Dataset<Row> rows, List<String> labels) {
        List<String[]> pairs = new ArrayList<>();
        for (Row r : fitted.transform(rows, labels).select(TrainingColumns.LABEL,
                TfidfLogisticRegression.PROBABILITIES).collectAsList()) {
            List<Float> p = r.getList(1);
            int best = 0;
            for (int i = 1; i < p.size(); i++) {
                if (p.get(i) > p.get(best)) {
                    best = i;
                }
            }
            pairs.add(new String[] {r.getString(0), labels.get(best)});
        }
        return accuracyAndMacroF1(pairs);
    }

    /** @return accuracy and macro-F1 over the gold labels of (gold, predicted) pairs */
    static double[] accuracyAndMacroF1(List<String[]> pairs) {
        Map<String, int[]> counts = new HashMap<>(); // label -> tp, fp, fn
        int correct = 0;
        for (String[] p : pairs) {
            counts.computeIfAbsent(p[0], k -> new int[3]);
            counts.computeIfAbsent(p[1], k -> new int[3]);
            if (p[0].equals(p[1])) {
                correct++;
                counts.get(p[0])[0]++;
            } else {
                counts.get(p[1])[1]++;
                counts.get(p[0])[2]++;
            }
        }
        double f1 = 0;
        int classes = 0;
        for (Map.Entry<String, int[]> e : counts.entrySet()) {
            int[] c = e.getValue();
            if (c[0] + c[2] == 0) {
                continue; // not a gold label of these rows
            }
            classes++;
            f1 += c[0] == 0 ? 0 : 2.0 * c[0] / (2.0 * c[0] + c[1] + c[2]);
        }
        return new double[] {(double) correct / pairs.size(), f1 / classes};
    }

    private static Dataset<Row> frame(SparkSession spark, List<LabelledText> examples) {
        List<Row> rows = new ArrayList<>();
        for (LabelledText e : examples) {
            rows.add(RowFactory.create(e.text(), e.label()));
        }
        return spark.createDataFrame(rows, ROWS).repartition(2);
    }

    private static double loadAverage() {
        return java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }
}
