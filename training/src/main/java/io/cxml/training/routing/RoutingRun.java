package io.cxml.training.routing;

import static org.apache.spark.sql.functions.col;

import io.cxml.features.TrainingColumns;
import io.cxml.runtime.executor.DevicePreference;
import io.cxml.runtime.executor.ModelSource;
import io.cxml.runtime.model.ClassifierSpec;
import io.cxml.runtime.embedding.BaseEncoder;
import io.cxml.runtime.routing.EmbeddingProjection;
import io.cxml.runtime.routing.RoutingColumns;
import io.cxml.runtime.routing.RoutingData;
import io.cxml.runtime.routing.RoutingFeatures;
import io.cxml.runtime.routing.RoutingScorer;
import io.cxml.runtime.routing.RoutingTrainingOptions;
import io.cxml.runtime.stages.EmbeddingStage;
import io.cxml.training.data.DataSplitter;
import io.cxml.training.profile.ReferenceProfiles;
import io.cxml.training.registry.ModelManifest;
import io.cxml.training.registry.ModelRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One routing training run: split by time, add the intent model's probabilities on the executors, train every
 * tenant's model and the global fallback ({@link RoutingTraining}), fit the MLlib baseline, evaluate the version, its
 * champion and both baselines on the same held-out rows ({@link RoutingEvaluation}), write the report and publish
 * the version (manifest last).
 */
public final class RoutingRun {
    private static final Logger LOG = LoggerFactory.getLogger(RoutingRun.class);
    /** Manifest parameter: the intent version whose probabilities the routing models read. */
    public static final String INTENT_MODEL = "intentModel";
    /** Manifest parameter: that version's model directory. */
    public static final String INTENT_MODEL_URI = "intentModelUri";
    /** The manifest's task. */
    public static final String TASK = "routing";

    private RoutingRun() {}

    /**
     * The intent model routing reads.
     *
     * @param label {@code intent@v3}
     * @param source its model directory, checked
     * @param spec its spec
     */
    public record IntentInput(String label, ModelSource source, ClassifierSpec spec) {}

    /**
     * The ticket embedding routing reads beside the intent probabilities: the base encoder's vectors (stored ones
     * first, the rest embedded once) projected on {@code dims} global directions ({@link ProjectionFit}).
     *
     * @param encoder the base encoder
     * @param dims directions kept
     * @param batchSize texts per encoder call for the texts the store lacks
     */
    public record EmbeddingInput(BaseEncoder encoder, int dims, int batchSize) {
        /** Checks the sizes. */
        public EmbeddingInput {
            java.util.Objects.requireNonNull(encoder, "encoder");
            if (dims < 1 || batchSize < 1) {
                throw new IllegalArgumentException("Cannot route on embeddings with " + dims + " directions and "
                        + batchSize + " texts per encoder call: each must be 1 or more");
            }
        }
    }

    /**
     * What to train. Build with {@link #builder()}.
     *
     * @param name registry name
     * @param rows routing rows ({@link RoutingColumns})
     * @param description where they came from
     * @param training training settings
     * @param textBuckets hashed text buckets
     * @param validationFraction validation share
     * @param testFraction held-out share (the newest tickets)
     * @param intent the intent model, or null to route without its probabilities
     * @param embedding the ticket embedding input, or null to route without it
     * @param batchSize texts per intent predictor call
     * @param device device preference of the intent scoring
     * @param gates routing gates (their tolerance marks regressions in the report)
     * @param featureVersions feature view versions the rows were joined with
     * @param runId the run id
     */
    public record Options(String name, Dataset<Row> rows, String description, RoutingTrainingOptions training,
            int textBuckets, double validationFraction, double testFraction, IntentInput intent,
            EmbeddingInput embedding, int batchSize,
            DevicePreference device, RoutingGates gates, Map<String, String> featureVersions, String runId) {
        /**
         * @return a builder; everything but the intent and embedding inputs ({@code optIntent}, {@code optEmbedding},
         *     default none) is required
         */
        public static Builder builder() {
            return new Builder();
        }

        /** @return a builder holding these options */
        public Builder toBuilder() {
            return new Builder().setName(name).setRows(rows).setDescription(description).setTraining(training)
                    .setTextBuckets(textBuckets).setValidationFraction(validationFraction)
                    .setTestFraction(testFraction).optIntent(intent).optEmbedding(embedding).setBatchSize(batchSize)
                    .setDevice(device)
                    .setGates(gates).setFeatureVersions(featureVersions).setRunId(runId);
        }

        /** Builder of {@link Options}: {@code set*} for the required parts, {@code optIntent} for the intent input. */
        public static final class Builder {
            private String name;
            private Dataset<Row> rows;
            private String description;
            private RoutingTrainingOptions training;
            private Integer textBuckets;
            private Double validationFraction;
            private Double testFraction;
            private IntentInput intent;
            private EmbeddingInput embedding;
            private Integer batchSize;
            private DevicePreference device;
            private RoutingGates gates;
            private Map<String, String> featureVersions;
            private String runId;

            private Builder() {}

            /**
             * @param value registry name
             * @return this builder
             */
            public Builder setName(String value) {
                this.name = value;
                return this;
            }

            /**
             * @param value routing rows ({@link RoutingColumns})
             * @return this builder
             */
            public Builder setRows(Dataset<Row> value) {
                this.rows = value;
                return this;
            }

            /**
             * @param value where the rows came from
             * @return this builder
             */
            public Builder setDescription(String value) {
                this.description = value;
                return this;
            }

            /**
             * @param value training settings
             * @return this builder
             */
            public Builder setTraining(RoutingTrainingOptions value) {
                this.training = value;
                return this;
            }

            /**
             * @param value hashed text buckets
             * @return this builder
             */
            public Builder setTextBuckets(int value) {
                this.textBuckets = value;
                return this;
            }

            /**
             * @param value validation share
             * @return this builder
             */
            public Builder setValidationFraction(double value) {
                this.validationFraction = value;
                return this;
            }

            /**
             * @param value held-out share (the newest tickets)
             * @return this builder
             */
            public Builder setTestFraction(double value) {
                this.testFraction = value;
                return this;
            }

            /**
             * @param value the intent model, or null (the default) to route without its probabilities
             * @return this builder
             */
            public Builder optIntent(IntentInput value) {
                this.intent = value;
                return this;
            }

            /**
             * @param value the ticket embedding input, or null (the default) to route without it
             * @return this builder
             */
            public Builder optEmbedding(EmbeddingInput value) {
                this.embedding = value;
                return this;
            }

            /**
             * @param value texts per intent predictor call
             * @return this builder
             */
            public Builder setBatchSize(int value) {
                this.batchSize = value;
                return this;
            }

            /**
             * @param value device preference of the intent scoring
             * @return this builder
             */
            public Builder setDevice(DevicePreference value) {
                this.device = value;
                return this;
            }

            /**
             * @param value routing gates (their tolerance marks regressions in the report)
             * @return this builder
             */
            public Builder setGates(RoutingGates value) {
                this.gates = value;
                return this;
            }

            /**
             * @param value feature view versions the rows were joined with
             * @return this builder
             */
            public Builder setFeatureVersions(Map<String, String> value) {
                this.featureVersions = value;
                return this;
            }

            /**
             * @param value the run id
             * @return this builder
             */
            public Builder setRunId(String value) {
                this.runId = value;
                return this;
            }

            /**
             * @return the options
             * @throws IllegalArgumentException when a required part is not set
             */
            public Options build() {
                check(name != null, "the name is not set", "Call setName(\"routing\")");
                check(rows != null, "the rows are not set", "Call setRows(rows)");
                check(training != null, "the training settings are not set",
                        "Call setTraining(RoutingTrainingOptions.DEFAULT) or the configured ones");
                check(textBuckets != null, "the text buckets are not set", "Call setTextBuckets(4096)");
                check(validationFraction != null && testFraction != null, "the split fractions are not set",
                        "Call setValidationFraction(..) and setTestFraction(..)");
                check(batchSize != null, "the intent batch size is not set", "Call setBatchSize(256)");
                return new Options(name, rows, description, training, textBuckets, validationFraction, testFraction,
                        intent, embedding, batchSize, device, gates, featureVersions, runId);
            }

            private static void check(boolean ok, String reason, String fix) {
                if (!ok) {
                    throw new IllegalArgumentException("Cannot build routing run options: " + reason + ". " + fix);
                }
            }
        }
    }

    /**
     * What the run produced.
     *
     * @param manifest the published version
     * @param metrics its held-out metrics
     * @param trained training facts
     * @param reportUri the report's URI
     */
    public record Outcome(ModelManifest manifest, RoutingMetrics metrics, RoutingTraining.Trained trained,
            String reportUri) {}

    /**
     * @param spark the session
     * @param registry the registry
     * @param o what to train
     * @return the outcome
     */
    public static Outcome run(SparkSession spark, ModelRegistry registry, Options o) {
        Configuration hadoop = spark.sparkContext().hadoopConfiguration();
        Dataset<Row> split = new DataSplitter(o.validationFraction(), o.testFraction(), o.training().seed())
                .split(o.rows());
        // The vectors first: an intent head on the same encoder then reads them too (one encoder pass).
        Dataset<Row> withVectors = o.embedding() == null ? split : EmbeddingStage.withVectors(split,
                TrainingColumns.TEXT, o.embedding().encoder(), o.embedding().batchSize(), o.device());
        Dataset<Row> rows = (o.intent() == null ? withVectors : RoutingIntent.add(withVectors, o.intent().source(),
                o.batchSize(), o.device()))
                .persist(StorageLevel.MEMORY_AND_DISK());
        Path work = null;
        try {
            work = Files.createTempDirectory("cxml-routing-");
            EmbeddingProjection projection = o.embedding() == null ? null : ProjectionFit.fit(rows, o.training(),
                    o.embedding().encoder(), o.embedding().dims());
            RoutingFeatures features = new RoutingFeatures(o.intent() == null ? java.util.List.of()
                    : o.intent().spec().labels(), o.textBuckets(), 16, 64,
                    RoutingColumns.present(rows.schema(), RoutingData.NUMERIC), projection);
            String version = registry.allocateVersion(o.name(), o.runId());
            String label = o.name() + "@" + version;
            String modelUri = registry.modelUri(o.name(), version);
            RoutingTraining.Trained trained = RoutingTraining.train(rows, features, o.training(), modelUri, hadoop);

            long start = System.nanoTime();
            Dataset<Row> fit = RoutingTraining.recent(rows.where(col(TrainingColumns.SPLIT).isin(TrainingColumns.TRAIN,
                    TrainingColumns.VALIDATION).and(col(TrainingColumns.LABEL).isNotNull())), o.training());
            GlobalLrBaseline baseline = GlobalLrBaseline.fit(RoutingTraining.globalSample(fit, o.training(),
                    trained.fitRows()), features);
            baseline.save(registry.versionUri(o.name(), version) + "/" + GlobalLrBaseline.DIR);
            double baselineSeconds = (System.nanoTime() - start) / 1e9;

            boolean hasTest = !rows.where(col(TrainingColumns.SPLIT).equalTo(TrainingColumns.TEST)).isEmpty();
            Dataset<Row> heldOut = rows.where(col(TrainingColumns.SPLIT).equalTo(hasTest ? TrainingColumns.TEST
                    : TrainingColumns.VALIDATION));
            String champion = registry.aliases(o.name()).champion();
            ModelSource championSource = champion == null ? null : RoutingScorer.source(registry.modelUri(o.name(),
                    champion), o.name() + "@" + champion, hadoop);
            IntentInput championIntent = champion == null ? null : registry.readManifest(o.name(), champion)
                    .map(m -> intentOf(m, hadoop)).orElse(null);
            RoutingEvaluation.Inputs inputs = o.intent() != null
                    ? new RoutingEvaluation.Inputs(heldOut, o.intent().spec().labels())
                    : RoutingEvaluation.withIntent(heldOut, null, championIntent, o.batchSize(), o.device());
            ModelSource source = RoutingScorer.source(modelUri, label, hadoop);
            start = System.nanoTime();
            String heldOutDescription = (hasTest ? "held-out test window" : "validation window (no test split)")
                    + " of " + o.description();
            RoutingEvaluation.Evaluated evaluated = RoutingEvaluation.evaluate(inputs, source, championSource,
                    baseline, heldOutDescription, Map.of(ReferenceProfiles.FACT_MODEL, label, "source",
                    o.description(), "rows", "held-out window"));
            RoutingMetrics metrics = evaluated.metrics();
            // The version's reference profile (drift monitoring of cxml monitor drift --model routing@...).
            ReferenceProfiles.write(evaluated.profile(), registry.versionUri(o.name(), version), hadoop);
            double evaluationSeconds = (System.nanoTime() - start) / 1e9;
            LOG.info("routing {}: top-1 {} top-3 {} (most frequent team {}, global MLlib LR {}) on {} tickets",
                    label, RoutingReport.pct(metrics.overall.getTop1()), RoutingReport.pct(metrics.overall.getTop3()),
                    RoutingReport.pct(metrics.overall.getMostFrequent()),
                    RoutingReport.pct(metrics.overall.getGlobalLr()), metrics.overall.examples);

            Map<String, String> facts = new LinkedHashMap<>();
            facts.put("version", label);
            facts.put("data", o.description());
            facts.put("tenant models", String.valueOf(trained.index().tenants.size()));
            facts.put("tenants on the global model", String.valueOf(trained.index().fallback.size()));
            facts.put("fit rows", trained.fitRows() + " (" + trained.droppedByLookback() + " older rows left out by "
                    + "teams absent from the tenant's last " + o.training().lookbackDays()
                    + " days, or beyond the per-tenant cap)");
            facts.put("training seconds", String.format("%.1f", trained.seconds()));
            facts.put("baseline seconds", String.format("%.1f", baselineSeconds));
            facts.put("evaluation seconds", String.format("%.1f", evaluationSeconds));
            facts.put("intent input", o.intent() == null ? "none" : o.intent().label());
            facts.put("embedding input", projection == null ? "none" : projection.dims() + " principal directions of "
                    + projection.encoder() + " (" + String.format("%.1f", 100 * projection.explainedVariance())
                    + "% of the variance)");
            facts.put("options", o.training().toString());
            Path reportDir = work.resolve("report");
            RoutingReport.write(metrics, facts, o.gates().tenantTolerance(), reportDir);
            ModelManifest manifest = new ModelManifest(o.name(), version, TASK, Instant.now(),
                    params(o, features), o.description(), o.featureVersions(), codeVersion(), summary(metrics, false),
                    summary(metrics, true), o.runId());
            registry.publish(manifest, reportDir);
            String reportUri = registry.versionUri(o.name(), version) + "/" + ModelRegistry.REPORT_DIR + "/"
                    + RoutingReport.REPORT_FILE;
            LOG.info("published {}; report {}", label, reportUri);
            return new Outcome(manifest, metrics, trained, reportUri);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot train routing: " + e.getMessage(), e);
        } finally {
            rows.unpersist();
            split.unpersist();
            if (work != null) {
                deleteQuietly(work);
            }
        }
    }

    /**
     * The intent input a routing version was trained with, from its manifest.
     *
     * @param version a routing version
     * @param hadoop Hadoop configuration
     * @return its intent input, or null when it routes without one
     */
    public static IntentInput intentOf(ModelManifest version, Configuration hadoop) {
        String uri = version.params().get(INTENT_MODEL_URI);
        if (uri == null) {
            return null;
        }
        String label = version.params().getOrDefault(INTENT_MODEL, uri);
        return new IntentInput(label, ModelSource.of(uri, label, hadoop), ModelSource.readSpec(uri, hadoop));
    }

    private static Map<String, String> params(Options o, RoutingFeatures f) {
        Map<String, String> p = new TreeMap<>();
        RoutingTrainingOptions t = o.training();
        p.put("epochs", String.valueOf(t.epochs()));
        p.put("batchSize", String.valueOf(t.batchSize()));
        p.put("learningRate", String.valueOf(t.learningRate()));
        p.put("weightDecay", String.valueOf(t.weightDecay()));
        p.put("seed", String.valueOf(t.seed()));
        p.put("minTenantExamples", String.valueOf(t.minTenantExamples()));
        p.put("maxTenantExamples", String.valueOf(t.maxTenantExamples()));
        p.put("lookbackDays", String.valueOf(t.lookbackDays()));
        p.put("globalExamples", String.valueOf(t.globalExamples()));
        p.put("textBuckets", String.valueOf(f.textBuckets()));
        p.put("numericFeatures", String.join(",", f.numericColumns()));
        if (f.embedding() != null) {
            p.put("embeddingDims", String.valueOf(f.embedding().dims()));
            p.put("encoderPath", f.embedding().encoder().location());
            p.put("encoderChecksum", f.embedding().encoder().checksum());
        }
        if (o.intent() != null) {
            p.put(INTENT_MODEL, o.intent().label());
            p.put(INTENT_MODEL_URI, o.intent().source().uri());
        }
        return p;
    }

    /**
     * @param m routing metrics
     * @param baseline true for the global MLlib baseline's figures
     * @return the manifest's headline metrics (accuracy = top-1)
     */
    public static ModelManifest.MetricsSummary summary(RoutingMetrics m, boolean baseline) {
        Map<String, ModelManifest.Slice> langs = new TreeMap<>();
        m.perLanguage.forEach((k, v) -> langs.put(k, new ModelManifest.Slice((int) v.examples,
                orZero(baseline ? v.getGlobalLr() : v.getTop1()))));
        return new ModelManifest.MetricsSummary((int) m.overall.examples, orZero(baseline ? m.overall.getGlobalLr()
                : m.overall.getTop1()), baseline ? Double.NaN : m.macroF1, baseline ? Double.NaN : m.ece, langs);
    }

    private static double orZero(Double v) {
        return v == null ? 0 : v;
    }

    static String codeVersion() {
        String v = RoutingRun.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    private static void deleteQuietly(Path dir) {
        try (var walk = Files.walk(dir)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            LOG.warn("could not delete temporary folder {}: {}", dir, e.getMessage());
        }
    }
}
