package io.cxml.bench.training;

import ai.djl.Device;
import io.cxml.features.TrainingColumns;
import io.cxml.runtime.model.Prediction;
import io.cxml.runtime.model.TextClassifier;
import io.cxml.runtime.text.FeaturizerConfig;
import io.cxml.training.baseline.BaselineSettings;
import io.cxml.training.baseline.TfidfLogisticRegression;
import io.cxml.training.data.LabelledText;
import io.cxml.training.data.PublicDatasets;
import io.cxml.training.data.Splits;
import io.cxml.training.eval.Calibration;
import io.cxml.training.eval.EvaluationReport;
import io.cxml.training.eval.Evaluator;
import io.cxml.training.eval.Metrics;
import io.cxml.training.eval.ReportWriter;
import io.cxml.training.eval.Scored;
import io.cxml.training.eval.TrainingSummary;
import io.cxml.training.text.TextClassifierTrainer;
import io.cxml.training.text.TrainingOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Model-vs-baseline benchmark on public data; prints the figures and writes {@code bench-results/models-<set>.json}
 * plus an HTML report. Usage: {@code ModelBench banking77|xsid [dataDir]}; settings via system properties
 * {@code bench.buckets, bench.dim, bench.epochs, bench.batch, bench.lr, bench.seed, bench.charMin, bench.charMax,
 * bench.wordNgrams, bench.baseline} (baseline features, 0 = skip); {@code bench.encoder} (a Hugging Face folder: fine-tune
 * it instead of the hashed model, with {@code bench.maxSeq, bench.frozen}), {@code bench.trainLimit} (a seeded
 * subset of the training part, for scaled runs), {@code bench.trainLanguages} (comma-separated languages, e.g.
 * {@code en}: the training and validation parts keep only those, the test part keeps every language, for
 * cross-lingual transfer), {@code bench.tag} (suffix of the output names) and {@code bench.head} (a Hugging Face
 * folder: also train a head on its frozen embeddings, on the same carve, beside the hashed model and the baseline;
 * {@link HeadEvaluation}: {@code bench.headReg} (one reg-param or a comma-separated list, chosen by validation
 * accuracy; default 0.001), {@code bench.headMaxIter} (200), {@code bench.headTol} (1e-6), {@code bench.maxTokens}
 * (128), {@code bench.headBatch} (256)). Spark (the baseline, the head) runs on {@code bench.master} (local[2]).
 *
 * <ul>
 *   <li>banking77: {@code train.csv} split stratified by intent (seeded): 80% train, 10% validation (early stopping,
 *       temperature), 10% held-out test.</li>
 *   <li>xsid: split by sentence id so that a test sentence is unseen in every language: 70% of ids train, 10%
 *       validation, 20% test; every language appears in every part.</li>
 * </ul>
 */
public final class ModelBench {
    private ModelBench() {}

    /**
     * @param args {@code banking77|xsid [dataDir]}
     * @throws Exception on failure
     */
    public static void main(String[] args) throws Exception {
        String set = args.length > 0 ? args[0] : "banking77";
        Path shared = Path.of(args.length > 1 ? args[1] : "datasets");
        long seed = Long.getLong("bench.seed", 7);
        Splits.Parts parts = switch (set) {
            case "banking77" -> Splits.stratified(
                    PublicDatasets.banking77(shared.resolve("banking77/banking_data/train.csv")), 0.1, 0.1, seed);
            case "xsid" -> xsidSplit(PublicDatasets.xsidSentences(shared.resolve("xsid/valid")), seed);
            default -> throw new IllegalArgumentException("Cannot run benchmark '" + set
                    + "': expected banking77 or xsid");
        };
        TrainingOptions options = TrainingOptions.builder()
                .optFeaturizer(new FeaturizerConfig(Integer.getInteger("bench.buckets", 1 << 18),
                        Integer.getInteger("bench.wordNgrams", 2), Integer.getInteger("bench.charMin", 3),
                        Integer.getInteger("bench.charMax", 5), 1024))
                .optDim(Integer.getInteger("bench.dim", 64))
                .optEpochs(Integer.getInteger("bench.epochs", 10))
                .optBatchSize(Integer.getInteger("bench.batch", 32))
                .optLearningRate(Float.parseFloat(System.getProperty("bench.lr", "0.01")))
                .optSeed(seed).optPatience(Integer.getInteger("bench.patience", 2))
                .build();
        List<String> trainLanguages = languages(System.getProperty("bench.trainLanguages", ""));
        if (!trainLanguages.isEmpty()) {
            // Cross-lingual transfer: train and early-stop/calibrate on these languages only; the test part is
            // untouched (all languages, and for xSID split by sentence, so no test sentence is trained on in any
            // language).
            parts = new Splits.Parts(inLanguages(parts.train(), trainLanguages, "training"),
                    inLanguages(parts.validation(), trainLanguages, "validation"), parts.test());
        }
        String encoderPath = System.getProperty("bench.encoder", "");
        int trainLimit = Integer.getInteger("bench.trainLimit", 0);
        if (trainLimit > 0 && trainLimit < parts.train().size()) {
            // Scaled run (a pretrained encoder on a shared CPU): a seeded subset of the training part only; the
            // validation and test parts stay whole, so the held-out figures are comparable across models.
            List<LabelledText> subset = new ArrayList<>(parts.train());
            Collections.shuffle(subset, new Random(seed));
            parts = new Splits.Parts(subset.subList(0, trainLimit), parts.validation(), parts.test());
        }
        if (!encoderPath.isBlank()) {
            options = options.toBuilder().optPretrained(new io.cxml.training.text.FineTuneOptions(encoderPath,
                    Integer.getInteger("bench.maxSeq", 64), Integer.getInteger("bench.epochs", 3),
                    Integer.getInteger("bench.batch", 32), Float.parseFloat(System.getProperty("bench.lr", "1e-4")),
                    0.1f, 0.01f, 1.0f, Integer.getInteger("bench.frozen", 0))).build();
        }
        System.out.printf("%s: train %d, validation %d, test %d%s; %s%n", set, parts.train().size(),
                parts.validation().size(), parts.test().size(), trainLanguages.isEmpty() ? ""
                        : " (train and validation in " + String.join(",", trainLanguages) + " only)", options);
        List<String> labels = parts.train().stream().map(LabelledText::label).distinct().sorted().toList();

        Path work = Files.createTempDirectory("cxml-bench-");
        TrainingSummary summary = options.pretrained() != null
                ? io.cxml.training.text.PretrainedFineTuner.train(parts.train(), parts.validation(), labels, options,
                        Device.cpu(), work, Map.of())
                : TextClassifierTrainer.train(parts.train(), parts.validation(), labels, options, Device.cpu(), work);
        float[][] valid;
        float[][] test;
        double scoringRowsPerSecond;
        try (TextClassifier classifier = TextClassifier.load(work)) {
            valid = probs(classifier, parts.validation());
            long scoringStart = System.nanoTime();
            test = probs(classifier, parts.test());
            scoringRowsPerSecond = parts.test().size() / ((System.nanoTime() - scoringStart) / 1e9);
        }
        double t = Calibration.fitTemperature(valid, Evaluator.goldIndexes(labels, gold(parts.validation())));
        Metrics model = Evaluator.evaluate(scored(labels, parts.test(), test), t, 0.5);

        Metrics baseline = null;
        double baselineSeconds = 0;
        int baselineFeatures = Integer.getInteger("bench.baseline", BaselineSettings.DEFAULT.features());
        String headFolder = System.getProperty("bench.head", "");
        HeadEvaluation.Settings headSettings = headFolder.isBlank() ? null
                : HeadEvaluation.Settings.fromSystemProperties(headFolder);
        SparkSession spark = baselineFeatures > 0 || headSettings != null
                ? SparkSession.builder().master(System.getProperty("bench.master", "local[2]")).appName("cxml-bench")
                        .config("spark.ui.enabled", "false").config("spark.driver.bindAddress", "127.0.0.1")
                        .config("spark.driver.host", "127.0.0.1").config("spark.sql.shuffle.partitions", "2")
                        .getOrCreate()
                : null;
        if (baselineFeatures > 0) {
            long start = System.nanoTime();
            List<LabelledText> scoring = new ArrayList<>(parts.validation());
            scoring.addAll(parts.test());
            float[][] p = new TfidfLogisticRegression(BaselineSettings.DEFAULT.withFeatures(baselineFeatures))
                    .fitAndPredict(frame(spark, parts.train()), frame(spark, scoring), labels);
            baselineSeconds = (System.nanoTime() - start) / 1e9;
            int nValid = parts.validation().size();
            float[][] bValid = java.util.Arrays.copyOfRange(p, 0, nValid);
            float[][] bTest = java.util.Arrays.copyOfRange(p, nValid, p.length);
            double bt = Calibration.fitTemperature(bValid, Evaluator.goldIndexes(labels, gold(parts.validation())));
            baseline = Evaluator.evaluate(scored(labels, parts.test(), bTest), bt, 0.5);
        }
        HeadEvaluation.Result head = null;
        if (headSettings != null) {
            head = HeadEvaluation.run(spark, parts, labels, headSettings, work);
        }
        if (spark != null) {
            spark.stop();
        }

        Map<String, Object> out = new LinkedHashMap<>();
        out.put("dataset", set);
        out.put("split", Map.of("train", parts.train().size(), "validation", parts.validation().size(), "test",
                parts.test().size(), "seed", seed));
        out.put("trainLanguages", trainLanguages.isEmpty() ? "all" : String.join(",", trainLanguages));
        out.put("options", options.toString());
        out.put("cpus", Runtime.getRuntime().availableProcessors());
        out.put("device", summary.device());
        out.put("encoder", options.pretrained() == null ? "hashed-ngram" : options.pretrained().path());
        out.put("scoringRowsPerSecond", scoringRowsPerSecond);
        out.put("model", headline(model, summary.examplesPerSecond(), summary.seconds()));
        out.put("baseline", baseline == null ? null : headline(baseline, Double.NaN, baselineSeconds));
        if (head != null) {
            Map<String, Object> h = headline(head.metrics(), Double.NaN, head.chosen().trainSeconds());
            h.putAll(head.json(headSettings));
            out.put("head", h);
        }
        out.put("epochs", summary.epochs());
        Path results = Path.of("bench-results");
        Files.createDirectories(results);
        String tag = System.getProperty("bench.tag", "");
        Path json = results.resolve("models-" + set + (tag.isBlank() ? "" : "-" + tag) + ".json");
        ReportWriter.JSON.writeValue(json.toFile(), out);
        Map<String, String> extra = new LinkedHashMap<>();
        extra.put("training examples/s", String.format("%.0f", summary.examplesPerSecond()));
        extra.put("options", options.toString());
        if (!trainLanguages.isEmpty()) {
            extra.put("trained on", String.join(",", trainLanguages) + " only (test: every language)");
        }
        if (head != null) {
            Metrics m = head.metrics();
            extra.put("head on embeddings", String.format("accuracy %.4f, macro-F1 %.4f, ECE %.4f -> %.4f (T=%.2f);"
                    + " %s; reg-param %s chosen by validation accuracy %.4f of %s; trained in %.1f s; %d rows embedded"
                    + " in %.1f s", m.accuracy(), m.macroF1(), m.calibration().eceBefore(),
                    m.calibration().eceAfter(), m.calibration().temperature(), head.encoder(),
                    head.chosen().regParam(), head.chosen().validationAccuracy(), headSettings.regParams(),
                    head.chosen().trainSeconds(), head.embeddedRows(), head.embeddingSeconds()));
            if (m.perLanguage().size() > 1) {
                StringBuilder langs = new StringBuilder();
                m.perLanguage().forEach((k, v) -> langs.append(langs.length() == 0 ? "" : ", ")
                        .append(String.format("%s %.3f", k, v.accuracy())));
                extra.put("head per-language accuracy", langs.toString());
            }
        }
        Path html = ReportWriter.write(new EvaluationReport("Benchmark " + set, "carved split of " + set, model,
                baseline, summary, baselineSeconds, extra), results.resolve("models-" + set
                        + (tag.isBlank() ? "" : "-" + tag)));

        System.out.printf("%n== %s (held-out %d examples) ==%n", set, model.examples());
        System.out.printf("model    accuracy %.4f  macro-F1 %.4f  train %.1f s  %.1f examples/s (best epoch %d)"
                + "  scoring %.1f rows/s%n", model.accuracy(), model.macroF1(), summary.seconds(),
                summary.examplesPerSecond(), summary.bestEpoch(), scoringRowsPerSecond);
        if (baseline != null) {
            System.out.printf("baseline accuracy %.4f  macro-F1 %.4f  train %.1f s%n", baseline.accuracy(),
                    baseline.macroF1(), baselineSeconds);
        }
        if (head != null) {
            Metrics m = head.metrics();
            System.out.printf("head     accuracy %.4f  macro-F1 %.4f  train %.1f s  reg-param %s (validation accuracy"
                    + " %.4f, of %s)  embedding %d rows in %.1f s = %.1f rows/s%n", m.accuracy(), m.macroF1(),
                    head.chosen().trainSeconds(), head.chosen().regParam(), head.chosen().validationAccuracy(),
                    headSettings.regParams(), head.embeddedRows(), head.embeddingSeconds(),
                    head.embeddedRows() / head.embeddingSeconds());
        }
        System.out.printf("ECE %.4f -> %.4f (T=%.2f)%n", model.calibration().eceBefore(),
                model.calibration().eceAfter(), model.calibration().temperature());
        if (head != null) {
            System.out.printf("head ECE %.4f -> %.4f (T=%.2f)%n", head.metrics().calibration().eceBefore(),
                    head.metrics().calibration().eceAfter(), head.metrics().calibration().temperature());
        }
        if (model.perLanguage().size() > 1) {
            System.out.println("per-language accuracy (model / baseline" + (head == null ? "" : " / head") + "):");
            for (var e : model.perLanguage().entrySet()) {
                System.out.printf("  %-7s %5d  %.4f / %s%s%n", e.getKey(), e.getValue().examples(),
                        e.getValue().accuracy(), baseline == null ? "-"
                                : String.format("%.4f", baseline.perLanguage().get(e.getKey()).accuracy()),
                        head == null ? "" : String.format(" / %.4f",
                                head.metrics().perLanguage().get(e.getKey()).accuracy()));
            }
        }
        System.out.println("wrote " + json.toAbsolutePath() + " and " + html.toAbsolutePath());
        deleteRecursively(work);
    }

    private static Map<String, Object> headline(Metrics m, double examplesPerSecond, double seconds) {
        Map<String, Object> h = new LinkedHashMap<>();
        h.put("accuracy", m.accuracy());
        h.put("macroF1", m.macroF1());
        h.put("eceBefore", m.calibration().eceBefore());
        h.put("eceAfter", m.calibration().eceAfter());
        h.put("trainSeconds", seconds);
        if (!Double.isNaN(examplesPerSecond)) {
            h.put("examplesPerSecond", examplesPerSecond);
        }
        Map<String, Double> langs = new TreeMap<>();
        m.perLanguage().forEach((k, v) -> langs.put(k, v.accuracy()));
        h.put("perLanguageAccuracy", langs);
        return h;
    }

    static List<String> languages(String spec) {
        return java.util.Arrays.stream(spec.split(",")).map(String::trim).filter(l -> !l.isEmpty()).distinct()
                .toList();
    }

    static List<LabelledText> inLanguages(List<LabelledText> examples, List<String> languages, String part) {
        List<LabelledText> kept = examples.stream().filter(e -> languages.contains(e.language())).toList();
        if (kept.isEmpty()) {
            throw new IllegalArgumentException("Cannot train on languages " + languages + ": the " + part
                    + " part has none of them (it has " + examples.stream().map(LabelledText::language).distinct()
                    .sorted().toList() + ")");
        }
        return kept;
    }

    public static Splits.Parts xsidSplit(List<PublicDatasets.XsidSentence> sentences, long seed) {
        List<String> ids = new ArrayList<>(sentences.stream().map(PublicDatasets.XsidSentence::id).distinct()
                .sorted().toList());
        Collections.shuffle(ids, new Random(seed));
        int nTest = (int) Math.round(ids.size() * 0.2);
        int nValid = (int) Math.round(ids.size() * 0.1);
        Map<String, Integer> part = new TreeMap<>();
        for (int i = 0; i < ids.size(); i++) {
            part.put(ids.get(i), i < nTest ? 2 : i < nTest + nValid ? 1 : 0);
        }
        List<LabelledText> train = new ArrayList<>();
        List<LabelledText> validation = new ArrayList<>();
        List<LabelledText> test = new ArrayList<>();
        for (PublicDatasets.XsidSentence s : sentences) {
            int p = part.get(s.id());
            (p == 2 ? test : p == 1 ? validation : train).add(s.example());
        }
        Collections.shuffle(train, new Random(seed));
        return new Splits.Parts(train, validation, test);
    }

    private static Dataset<Row> frame(SparkSession spark, List<LabelledText> examples) {
        StructType schema = new StructType().add(TrainingColumns.ROW_ID, DataTypes.LongType)
                .add(TrainingColumns.TEXT, DataTypes.StringType).add(TrainingColumns.LABEL, DataTypes.StringType);
        List<Row> rows = new ArrayList<>(examples.size());
        for (int i = 0; i < examples.size(); i++) {
            rows.add(RowFactory.create((long) i, examples.get(i).text(), examples.get(i).label()));
        }
        return spark.createDataFrame(rows, schema);
    }

    private static float[][] probs(TextClassifier classifier, List<LabelledText> examples) {
        List<Prediction> predictions = classifier.predict(examples.stream().map(LabelledText::text).toList());
        float[][] out = new float[predictions.size()][];
        for (int i = 0; i < out.length; i++) {
            out[i] = predictions.get(i).probabilities();
        }
        return out;
    }

    private static List<String> gold(List<LabelledText> examples) {
        return examples.stream().map(LabelledText::label).toList();
    }

    private static Scored scored(List<String> labels, List<LabelledText> examples, float[][] probs) {
        return new Scored(labels, gold(examples), probs, examples.stream().map(LabelledText::language).toList(),
                examples.stream().map(LabelledText::tenant).toList());
    }

    private static void deleteRecursively(Path dir) throws java.io.IOException {
        try (var walk = Files.walk(dir)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
