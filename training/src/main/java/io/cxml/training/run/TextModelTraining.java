package io.cxml.training.run;

import ai.djl.Device;
import io.cxml.training.baseline.TfidfLogisticRegression;
import io.cxml.training.data.DataSplitter;
import io.cxml.training.data.TrainingColumns;
import io.cxml.training.eval.Calibration;
import io.cxml.training.eval.EvaluationReport;
import io.cxml.training.eval.Evaluator;
import io.cxml.training.eval.Metrics;
import io.cxml.training.eval.ReportWriter;
import io.cxml.training.eval.Scored;
import io.cxml.training.model.ClassifierSpec;
import io.cxml.training.model.Prediction;
import io.cxml.training.model.TextClassifier;
import io.cxml.training.registry.ModelManifest;
import io.cxml.training.registry.ModelRegistry;
import io.cxml.training.train.SparkTaskTrainer;
import io.cxml.training.train.TrainingOptions;
import io.cxml.training.train.TrainingSummary;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One training run: load and split the data (Spark), train the DJL model in a Spark task (GPU when the task has
 * one), fit the temperature on the validation window, evaluate model and baseline on the held-out window, write the
 * report, and publish the version (manifest last).
 */
public final class TextModelTraining {
    private static final Logger LOG = LoggerFactory.getLogger(TextModelTraining.class);

    private final SparkSession spark;
    private final ModelRegistry registry;

    /**
     * @param spark the session
     * @param registry where versions are published
     */
    public TextModelTraining(SparkSession spark, ModelRegistry registry) {
        this.spark = spark;
        this.registry = registry;
    }

    /**
     * @param options what to train
     * @return the registered version and its report
     */
    public TrainOutcome run(TrainRunOptions options) {
        TrainingOptions training = options.training();
        Dataset<Row> split = new DataSplitter(options.validationFraction(), options.testFraction(), training.seed())
                .split(options.source().load(spark));
        Path work = null;
        try {
            work = Files.createTempDirectory("cxml-train-");
            Dataset<Row> train = split.where(functions.col(TrainingColumns.SPLIT).equalTo(TrainingColumns.TRAIN));
            List<String> labels = train.select(TrainingColumns.LABEL).distinct().orderBy(TrainingColumns.LABEL)
                    .as(org.apache.spark.sql.Encoders.STRING()).collectAsList();
            Map<String, Long> counts = counts(split);
            LOG.info("training set from {}: {} (labels: {})", options.source().describe(), counts, labels.size());
            if (labels.size() < 2 || counts.getOrDefault(TrainingColumns.TEST, 0L) == 0) {
                throw new IllegalArgumentException("Cannot train " + options.name() + ": the training split has "
                        + labels.size() + " label(s) and the test split " + counts.getOrDefault(
                                TrainingColumns.TEST, 0L) + " rows. Widen the data window or check the labels");
            }
            String version = registry.allocateVersion(options.name(), options.runId());
            String modelUri = registry.modelUri(options.name(), version);
            Configuration hadoop = spark.sparkContext().hadoopConfiguration();
            TrainingSummary summary = SparkTaskTrainer.train(split, labels, training, modelUri, hadoop);
            LOG.info("trained {}@{} on {}: best epoch {}, {} examples/s", options.name(), version,
                    summary.device(), summary.bestEpoch(), String.format("%.0f", summary.examplesPerSecond()));

            List<Row> validation = rows(split, TrainingColumns.VALIDATION);
            List<Row> test = rows(split, TrainingColumns.TEST);
            Path localModel = registry.fetchModel(options.name(), version, work.resolve("model"));
            float[][] validProbs;
            float[][] testProbs;
            try (TextClassifier classifier = TextClassifier.load(localModel, Device.cpu(), 3,
                    s -> s.withTemperature(1.0))) {
                validProbs = probabilities(classifier, validation);
                testProbs = probabilities(classifier, test);
            }
            double temperature = Calibration.fitTemperature(validProbs,
                    Evaluator.goldIndexes(labels, column(validation, TrainingColumns.LABEL)));
            ClassifierSpec spec = TextClassifier.readSpec(localModel).withTemperature(temperature)
                    .withUnknownThreshold(options.unknownThreshold());
            TextClassifier.writeSpec(localModel, spec);
            upload(hadoop, localModel.resolve(TextClassifier.SPEC_FILE), modelUri + "/" + TextClassifier.SPEC_FILE);
            Metrics model = Evaluator.evaluate(scored(labels, test, testProbs), temperature,
                    options.unknownThreshold());

            Metrics baseline = null;
            double baselineSeconds = 0;
            if (options.baselineFeatures() > 0) {
                long start = System.nanoTime();
                Dataset<Row> scoring = split.where(functions.col(TrainingColumns.SPLIT)
                        .isin(TrainingColumns.VALIDATION, TrainingColumns.TEST));
                float[][] probs = new TfidfLogisticRegression(options.baselineFeatures(), 100, 1e-4)
                        .fitAndPredict(train, scoring, labels);
                baselineSeconds = (System.nanoTime() - start) / 1e9;
                List<Row> scoringRows = rows(scoring, null);
                List<Row> bValid = new ArrayList<>();
                List<Row> bTest = new ArrayList<>();
                List<float[]> pValid = new ArrayList<>();
                List<float[]> pTest = new ArrayList<>();
                for (int i = 0; i < scoringRows.size(); i++) {
                    boolean isTest = TrainingColumns.TEST.equals(scoringRows.get(i).getAs(TrainingColumns.SPLIT));
                    (isTest ? bTest : bValid).add(scoringRows.get(i));
                    (isTest ? pTest : pValid).add(probs[i]);
                }
                double bT = Calibration.fitTemperature(pValid.toArray(new float[0][]),
                        Evaluator.goldIndexes(labels, column(bValid, TrainingColumns.LABEL)));
                baseline = Evaluator.evaluate(scored(labels, bTest, pTest.toArray(new float[0][])), bT,
                        options.unknownThreshold());
                LOG.info("baseline (TF-IDF + LR): accuracy {} macro-F1 {} in {} s", pct(baseline.accuracy()),
                        pct(baseline.macroF1()), String.format("%.1f", baselineSeconds));
            }
            LOG.info("model {}@{}: accuracy {} macro-F1 {} ECE {} -> {} (T={})", options.name(), version,
                    pct(model.accuracy()), pct(model.macroF1()), pct(model.calibration().eceBefore()),
                    pct(model.calibration().eceAfter()), String.format("%.2f", temperature));

            Map<String, String> extra = new LinkedHashMap<>();
            extra.put("version", options.name() + "@" + version);
            extra.put("device", summary.device());
            extra.put("training examples/s", String.format("%.0f", summary.examplesPerSecond()));
            extra.put("training seconds", String.format("%.1f", summary.seconds()));
            extra.put("baseline seconds", String.format("%.1f", baselineSeconds));
            extra.put("split", counts.toString() + (timeBased(split) ? " (time-based)" : " (seeded random)"));
            extra.put("options", training.toString());
            EvaluationReport report = new EvaluationReport(options.name() + "@" + version + " (" + options.task()
                    + ")", options.source().describe(), model, baseline, summary, baselineSeconds, extra);
            Path reportDir = work.resolve("report");
            Path html = ReportWriter.write(report, reportDir);
            ModelManifest manifest = new ModelManifest(options.name(), version, options.task(), Instant.now(),
                    params(training, options), options.source().describe() + "; split " + counts,
                    options.featureVersions(), codeVersion(), summary(model), baseline == null ? null
                            : summary(baseline), options.runId());
            registry.publish(manifest, reportDir);
            String reportUri = registry.versionUri(options.name(), version) + "/" + ModelRegistry.REPORT_DIR + "/"
                    + ReportWriter.REPORT_FILE;
            LOG.info("published {}@{}; report {}", options.name(), version, reportUri);
            return new TrainOutcome(manifest, report, reportUri, html);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot train " + options.name() + ": " + e.getMessage(), e);
        } finally {
            split.unpersist();
            if (work != null) {
                deleteQuietly(work);
            }
        }
    }

    static Map<String, String> params(TrainingOptions t, TrainRunOptions o) {
        Map<String, String> p = new TreeMap<>();
        p.put("buckets", String.valueOf(t.featurizer().buckets()));
        p.put("wordNgrams", String.valueOf(t.featurizer().wordNgrams()));
        p.put("charNgrams", t.featurizer().charMinN() + "-" + t.featurizer().charMaxN());
        p.put("dim", String.valueOf(t.dim()));
        p.put("epochs", String.valueOf(t.epochs()));
        p.put("batchSize", String.valueOf(t.batchSize()));
        p.put("learningRate", String.valueOf(t.learningRate()));
        p.put("seed", String.valueOf(t.seed()));
        p.put("patience", String.valueOf(t.patience()));
        p.put("device", t.device().name());
        p.put("unknownThreshold", String.valueOf(o.unknownThreshold()));
        return p;
    }

    /**
     * @param m full metrics
     * @return the manifest's headline metrics
     */
    public static ModelManifest.MetricsSummary summary(Metrics m) {
        Map<String, ModelManifest.Slice> langs = new TreeMap<>();
        m.perLanguage().forEach((k, v) -> langs.put(k, new ModelManifest.Slice(v.examples(), v.accuracy())));
        return new ModelManifest.MetricsSummary(m.examples(), m.accuracy(), m.macroF1(),
                m.calibration().eceAfter(), langs);
    }

    static float[][] probabilities(TextClassifier classifier, List<Row> rows) {
        List<Prediction> predictions = classifier.predict(column(rows, TrainingColumns.TEXT));
        float[][] out = new float[predictions.size()][];
        for (int i = 0; i < out.length; i++) {
            out[i] = predictions.get(i).probabilities();
        }
        return out;
    }

    static Scored scored(List<String> labels, List<Row> rows, float[][] probs) {
        return new Scored(labels, column(rows, TrainingColumns.LABEL), probs, column(rows, TrainingColumns.LANGUAGE),
                column(rows, TrainingColumns.TENANT));
    }

    static List<String> column(List<Row> rows, String name) {
        List<String> out = new ArrayList<>(rows.size());
        for (Row row : rows) {
            Object v = row.getAs(name);
            out.add(v == null ? null : v.toString());
        }
        return out;
    }

    private static List<Row> rows(Dataset<Row> split, String which) {
        Dataset<Row> selected = which == null ? split : split.where(functions.col(TrainingColumns.SPLIT).equalTo(which));
        return selected.orderBy(TrainingColumns.ROW_ID).collectAsList();
    }

    private static Map<String, Long> counts(Dataset<Row> split) {
        Map<String, Long> out = new TreeMap<>();
        for (Row r : split.groupBy(TrainingColumns.SPLIT).count().collectAsList()) {
            out.put(r.getString(0), r.getLong(1));
        }
        return out;
    }

    private static boolean timeBased(Dataset<Row> split) {
        return split.where(functions.col(TrainingColumns.EVENT_TIME).isNull()).isEmpty();
    }

    private static void upload(Configuration hadoop, Path local, String uri) throws IOException {
        org.apache.hadoop.fs.Path target = new org.apache.hadoop.fs.Path(uri);
        FileSystem fs = target.getFileSystem(hadoop);
        fs.copyFromLocalFile(false, true, new org.apache.hadoop.fs.Path(local.toUri()), target);
    }

    static String codeVersion() {
        String v = TextModelTraining.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    private static String pct(double v) {
        return String.format("%.2f%%", 100 * v);
    }

    static void deleteQuietly(Path dir) {
        try (var walk = Files.walk(dir)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            LOG.warn("could not delete temporary folder {}: {}", dir, e.getMessage());
        }
    }
}
