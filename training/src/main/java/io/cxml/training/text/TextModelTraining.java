package io.cxml.training.text;

import io.cxml.runtime.embedding.EmbeddingHead;
import io.cxml.runtime.embedding.EmbeddingStore;
import io.cxml.runtime.executor.DevicePreference;
import io.cxml.runtime.stages.EmbeddingStage;
import io.cxml.features.TrainingColumns;
import io.cxml.runtime.executor.ModelSource;
import io.cxml.runtime.model.ClassifierSpec;
import io.cxml.runtime.model.TextClassifier;
import io.cxml.training.baseline.TfidfLogisticRegression;
import io.cxml.training.data.DataSplitter;
import io.cxml.training.data.LabelStats;
import io.cxml.training.eval.EvaluationReport;
import io.cxml.training.eval.HeldOutDescription;
import io.cxml.training.eval.Metrics;
import io.cxml.training.eval.ReportWriter;
import io.cxml.training.eval.TrainingSummary;
import io.cxml.training.profile.ReferenceProfiles;
import io.cxml.training.registry.ModelManifest;
import io.cxml.training.registry.ModelRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
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
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One training run: load and split the data (Spark), train the DJL model in a Spark task (GPU when the task has
 * one), fit the temperature on the validation window and evaluate model and baseline on the held-out window, both
 * scored on the executors ({@link ExecutorEvaluation}: only counts reach the driver), write the report, and publish
 * the version (manifest last).
 */
public final class TextModelTraining {
    private static final Logger LOG = LoggerFactory.getLogger(TextModelTraining.class);
    /** Folder of a version holding the fitted baseline (a Spark ML pipeline), read by {@code cxml evaluate}. */
    public static final String BASELINE_DIR = "baseline";
    /** Manifest parameter: the baseline's fitted temperature. */
    public static final String BASELINE_TEMPERATURE = "baselineTemperature";
    /** Name of the hashed n-gram model in a head's report. */
    public static final String HASHED_COMPARISON = "hashed n-grams";
    /** Folder of a version where the comparison model lives while it is scored. */
    private static final String COMPARISON_DIR = "comparison-hashed";

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
        Dataset<Row> rows = options.source().load(spark);
        boolean carriedSplit = java.util.Arrays.asList(rows.columns()).contains(TrainingColumns.SPLIT);
        Dataset<Row> split = new DataSplitter(options.split(), training.seed()).split(rows);
        Path work = null;
        try {
            work = Files.createTempDirectory("cxml-train-");
            Dataset<Row> train = split.where(functions.col(TrainingColumns.SPLIT).equalTo(TrainingColumns.TRAIN));
            List<String> labels = train.select(TrainingColumns.LABEL).distinct().orderBy(TrainingColumns.LABEL)
                    .as(org.apache.spark.sql.Encoders.STRING()).collectAsList();
            Map<String, Long> counts = counts(split);
            LOG.info("training set from {}: {} (labels: {})", options.source().describe(), counts, labels.size());
            boolean noTestCarve = !carriedSplit && options.split().test() == 0;
            long heldOutRows = counts.getOrDefault(TrainingColumns.TEST, 0L)
                    + (noTestCarve ? counts.getOrDefault(TrainingColumns.VALIDATION, 0L) : 0);
            if (labels.size() < 2 || heldOutRows == 0) {
                throw new IllegalArgumentException("Cannot train " + options.name() + ": the training split has "
                        + labels.size() + " label(s) and the held-out split " + heldOutRows
                        + " rows. Widen the data window or check the labels");
            }
            LabelStats labelStats = options.source().labelStats(spark);
            LOG.info("labels: {}", labelStats.facts());
            HeldOutDescription heldOut = HeldOutDescription.ofSplit(split, options.source().weakLabelRule());
            LOG.info("held-out set: {}", HeldOutDescription.lines(heldOutFacts(heldOut)));
            String version = registry.allocateVersion(options.name(), options.runId());
            String modelUri = registry.modelUri(options.name(), version);
            Configuration hadoop = spark.sparkContext().hadoopConfiguration();
            TrainingSummary summary;
            if (training.head() != null) {
                // Every row is embedded once (or read from the store) and kept: the head, its calibration, the
                // evaluation and the reference profile all read the column.
                split = withEmbeddings(split, training.head(), training.device());
                summary = EmbeddingHeadTrainer.train(split, EmbeddingStage.columnFor(training.head().encoder()),
                        labels, training.head(), modelUri, hadoop);
            } else {
                summary = SparkTaskTrainer.train(split, labels, training, modelUri, hadoop);
            }
            HeldOutDescription.writeTrainingFingerprints(train, registry.versionUri(options.name(), version));
            LOG.info("trained {}@{} on {}: best epoch {}, {} examples/s", options.name(), version,
                    summary.device(), summary.bestEpoch(), String.format("%.0f", summary.examplesPerSecond()));

            // Validation and test rows are scored on the executors; only counts come back.
            Dataset<Row> validation = split.where(functions.col(TrainingColumns.SPLIT)
                    .equalTo(TrainingColumns.VALIDATION));
            boolean hasTest = counts.getOrDefault(TrainingColumns.TEST, 0L) > 0;
            Dataset<Row> evaluated = hasTest
                    ? split.where(functions.col(TrainingColumns.SPLIT).equalTo(TrainingColumns.TEST)) : validation;
            Path localModel = Files.createDirectories(work.resolve("model"));
            ClassifierSpec trained = ModelSource.readSpec(modelUri, hadoop);
            ModelSource source = ModelSource.of(modelUri, options.name() + "@" + version, hadoop);
            ExecutorEvaluation.Scoring scoring = new ExecutorEvaluation.Scoring(source, trained,
                    options.scoringBatchSize(), training.device());
            double temperature = ExecutorEvaluation.fitTemperature(validation, scoring);
            ClassifierSpec spec = trained.withTemperature(temperature).withUnknownThreshold(options.unknownThreshold());
            if (training.head() != null) {
                spec = withOutOfScopeThreshold(spec, validation, source, options, training);
            }
            TextClassifier.writeSpec(localModel, spec);
            upload(hadoop, localModel.resolve(TextClassifier.SPEC_FILE), modelUri + "/" + TextClassifier.SPEC_FILE);
            Metrics model = ExecutorEvaluation.evaluate(evaluated, new ExecutorEvaluation.Scoring(source, spec,
                    options.scoringBatchSize(), training.device()), options.outOfScopeLabel());
            Metrics modelVsTruth = againstTruth(evaluated, new ExecutorEvaluation.Scoring(source, spec,
                    options.scoringBatchSize(), training.device()), options.outOfScopeLabel());

            Map<String, Metrics> comparisons = new LinkedHashMap<>();
            if (training.head() != null) {
                comparisons.put(HASHED_COMPARISON, hashedComparison(split, labels, training, options, version,
                        validation, evaluated, hadoop));
            }

            Metrics baseline = null;
            double baselineSeconds = 0;
            double baselineFitSeconds = 0;
            double baselineTemperature = 1;
            if (options.baseline() != null) {
                long start = System.nanoTime();
                TfidfLogisticRegression.Fitted fitted = new TfidfLogisticRegression(options.baseline()).fit(train);
                baselineFitSeconds = (System.nanoTime() - start) / 1e9;
                fitted.save(registry.versionUri(options.name(), version) + "/" + BASELINE_DIR);
                Dataset<Row> scored = fitted.transform(split.where(functions.col(TrainingColumns.SPLIT)
                        .isin(TrainingColumns.VALIDATION, TrainingColumns.TEST)), labels)
                        .persist(StorageLevel.MEMORY_AND_DISK());
                try {
                    String probabilities = TfidfLogisticRegression.PROBABILITIES;
                    baselineTemperature = ExecutorEvaluation.fitTemperature(scored.where(functions.col(TrainingColumns.SPLIT)
                            .equalTo(TrainingColumns.VALIDATION)), probabilities, labels);
                    baseline = ExecutorEvaluation.evaluate(scored.where(functions.col(TrainingColumns.SPLIT)
                            .equalTo(hasTest ? TrainingColumns.TEST : TrainingColumns.VALIDATION)), probabilities,
                            labels, baselineTemperature, options.unknownThreshold(), options.outOfScopeLabel());
                } finally {
                    scored.unpersist();
                }
                baselineSeconds = (System.nanoTime() - start) / 1e9;
                LOG.info("baseline (TF-IDF + LR): accuracy {} macro-F1 {}, fitted in {} s (model: {} s), {} s with "
                        + "saving and scoring", pct(baseline.accuracy()), pct(baseline.macroF1()),
                        String.format("%.1f", baselineFitSeconds), String.format("%.1f", summary.seconds()),
                        String.format("%.1f", baselineSeconds));
            }
            LOG.info("model {}@{}: accuracy {} macro-F1 {} ECE {} -> {} (T={})", options.name(), version,
                    pct(model.accuracy()), pct(model.macroF1()), pct(model.calibration().eceBefore()),
                    pct(model.calibration().eceAfter()), String.format("%.2f", temperature));

            Map<String, String> extra = heldOutFacts(heldOut);
            extra.putAll(labelStats.facts());
            extra.put(LabelStats.KEY_ACCURACY_VS_LABELS, String.format("%.4f (%,d held-out rows)", model.accuracy(),
                    model.examples()));
            if (modelVsTruth != null) {
                extra.put(LabelStats.KEY_ACCURACY_VS_TRUTH, String.format("%.4f (%,d held-out rows)", modelVsTruth.accuracy(),
                        modelVsTruth.examples()));
            }
            extra.put("version", options.name() + "@" + version);
            extra.put("device", summary.device());
            extra.put("training examples/s", String.format("%.0f", summary.examplesPerSecond()));
            extra.put("training seconds", String.format("%.1f", summary.seconds()));
            extra.put("baseline fit seconds", String.format("%.1f", baselineFitSeconds));
            extra.put("baseline seconds", String.format("%.1f", baselineSeconds));
            extra.put("baseline settings", options.baseline() == null ? "none (cxml.training.baseline.features = 0)"
                    : options.baseline().describe());
            extra.put("split", counts.toString() + (carriedSplit ? " (kept from the training set)"
                    : timeBased(split) ? " (time-based)" : " (seeded random)"));
            if (!hasTest) {
                extra.put(HeldOutDescription.KEY_SET, "validation carve (no test split: --test-share 0; evaluate "
                        + "on another file with cxml evaluate)");
            }
            extra.put("options", training.toString());
            comparisons.forEach((name, c) -> extra.put(name + " (same split)", String.format(
                    "accuracy %.4f, macro-F1 %.4f", c.accuracy(), c.macroF1())));
            EvaluationReport report = new EvaluationReport(options.name() + "@" + version + " (" + options.task()
                    + ")", options.source().describe(), model, baseline, summary, baselineSeconds, extra,
                    comparisons);
            Path reportDir = work.resolve("report");
            Path html = ReportWriter.write(report, reportDir);
            Map<String, String> params = params(training, options);
            if (baseline != null) {
                params.putAll(options.baseline().params());
                params.put(BASELINE_TEMPERATURE, String.valueOf(baselineTemperature));
            }
            ModelManifest manifest = new ModelManifest(options.name(), version, options.task(), Instant.now(),
                    params, options.source().describe() + "; split " + counts,
                    options.featureVersions(), codeVersion(), summary(model), baseline == null ? null
                            : summary(baseline), options.runId());
            // The version's reference profile (drift monitoring): its held-out window as it scores it.
            ReferenceProfiles.write(ReferenceProfiles.ofHeldOut(evaluated, source, options.scoringBatchSize(),
                    training.device(), registry.layout(), Map.of(ReferenceProfiles.FACT_MODEL, options.name() + "@"
                    + version, "source", options.source().describe(), "rows", "held-out window")),
                    registry.versionUri(options.name(), version), hadoop);
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

    /**
     * A head's confidence threshold is at least the calibrated confidence that keeps {@code oos-quantile} of the
     * in-scope validation tickets: a request of a kind the head was never taught gets a flat softmax more often than
     * a known one, and this catches it at a known false-rejection rate, with no out-of-scope example to calibrate on
     * (docs/embeddings.md).
     */
    private static ClassifierSpec withOutOfScopeThreshold(ClassifierSpec spec, Dataset<Row> validation,
            ModelSource source, TrainRunOptions options, TrainingOptions training) {
        Dataset<Row> inScope = options.outOfScopeLabel() == null ? validation
                : validation.where(functions.col(TrainingColumns.LABEL).notEqual(options.outOfScopeLabel()));
        double calibrated = ExecutorEvaluation.confidenceThreshold(inScope, new ExecutorEvaluation.Scoring(source,
                spec, options.scoringBatchSize(), training.device()), training.head().oosQuantile());
        LOG.info("head: out of scope below confidence {} (keeps {} of in-scope validation tickets; the configured "
                + "threshold is {})", String.format("%.4f", calibrated), training.head().oosQuantile(),
                options.unknownThreshold());
        return spec.withUnknownThreshold(Math.max(options.unknownThreshold(), calibrated));
    }

    /**
     * The hashed n-gram model trained on the same split and evaluated on the same rows as a head, calibrated the same
     * way: the comparison every head's report carries. Its files are deleted after scoring.
     */
    private Metrics hashedComparison(Dataset<Row> split, List<String> labels, TrainingOptions training,
            TrainRunOptions options, String version, Dataset<Row> validation, Dataset<Row> evaluated,
            Configuration hadoop) {
        long start = System.nanoTime();
        String uri = registry.versionUri(options.name(), version) + "/" + COMPARISON_DIR;
        try {
            SparkTaskTrainer.train(split, labels, training.toBuilder().optHead(null).build(), uri, hadoop);
            ModelSource source = ModelSource.of(uri, options.name() + "@" + version + " (" + HASHED_COMPARISON + ")",
                    hadoop);
            ClassifierSpec spec = ModelSource.readSpec(uri, hadoop);
            double t = ExecutorEvaluation.fitTemperature(validation, new ExecutorEvaluation.Scoring(source, spec,
                    options.scoringBatchSize(), training.device()));
            Metrics m = ExecutorEvaluation.evaluate(evaluated, new ExecutorEvaluation.Scoring(source,
                    spec.withTemperature(t).withUnknownThreshold(options.unknownThreshold()),
                    options.scoringBatchSize(), training.device()), options.outOfScopeLabel());
            LOG.info("{} (comparison, same split): accuracy {} macro-F1 {} in {} s", HASHED_COMPARISON,
                    pct(m.accuracy()), pct(m.macroF1()), String.format("%.1f", (System.nanoTime() - start) / 1e9));
            return m;
        } finally {
            io.cxml.storage.StorageFiles.deleteIfExists(uri, hadoop);
        }
    }

    /**
     * The model's metrics on the held-out rows against the hidden truth instead of their labels, when the source
     * carries one (generated data): how far label noise moves the measured accuracy.
     *
     * @return the metrics, or null when no held-out row has a truth
     */
    private static Metrics againstTruth(Dataset<Row> evaluated, ExecutorEvaluation.Scoring scoring, String oos) {
        if (!java.util.Arrays.asList(evaluated.columns()).contains(TrainingColumns.TRUTH)) {
            return null;
        }
        Dataset<Row> truth = evaluated.where(functions.col(TrainingColumns.TRUTH).isNotNull())
                .withColumn(TrainingColumns.LABEL, functions.col(TrainingColumns.TRUTH));
        return truth.isEmpty() ? null : ExecutorEvaluation.evaluate(truth, scoring, oos);
    }

    private static Dataset<Row> withEmbeddings(Dataset<Row> split, HeadOptions head, DevicePreference device) {
        EmbeddingStage embed = new EmbeddingStage().setInputCol(TrainingColumns.TEXT).setEncoder(head.encoder())
                .setOutputPrefix(EmbeddingStage.columnFor(head.encoder())).setBatchSize(head.embeddingBatchSize())
                .setDevice(device);
        EmbeddingStage.Counts counts = embed.countWith(split.sparkSession().sparkContext());
        Dataset<Row> out = embed.transform(EmbeddingStore.attach(split, TrainingColumns.TEXT, head.encoder(),
                        embed.embeddingCol(), embed.truncatedCol()))
                .persist(StorageLevel.MEMORY_AND_DISK());
        long rows = out.count();
        split.unpersist();
        LOG.info("embeddings of {} rows by {}: {} computed, the rest read from the store ({} truncated)", rows,
                head.encoder(), counts.embedded().value(), counts.truncated().value());
        return out;
    }

    private static Map<String, String> heldOutFacts(HeldOutDescription heldOut) {
        Map<String, String> facts = new LinkedHashMap<>();
        heldOut.addTo(facts);
        return facts;
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
        if (t.head() != null) {
            // The base encoder's name, location and checksum are in the version's classifier.json.
            p.put("encoder", EmbeddingHead.KIND);
            p.put("encoderPath", t.head().encoder().location());
            p.put("encoderMaxTokens", String.valueOf(t.head().encoder().maxTokens()));
            p.put("headRegParams", String.valueOf(t.head().regParams()));
            p.put("headMaxIter", String.valueOf(t.head().maxIter()));
            if (t.head().ngrams() != null) {
                p.put("headNgramBuckets", String.valueOf(t.head().ngrams().buckets()));
                p.put("headNgramRegParams", String.valueOf(t.head().ngramRegParams()));
            }
        }
        if (t.pretrained() != null) {
            // The base model's name and checksum are in the version's classifier.json (encoder params).
            p.put("encoder", "pretrained");
            p.put("encoderPath", t.pretrained().path());
            p.put("encoderMaxSeqLength", String.valueOf(t.pretrained().maxSeqLength()));
            p.put("encoderEpochs", String.valueOf(t.pretrained().epochs()));
            p.put("encoderLearningRate", String.valueOf(t.pretrained().learningRate()));
            p.put("encoderFrozenLayers", String.valueOf(t.pretrained().frozenLayers()));
        }
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
