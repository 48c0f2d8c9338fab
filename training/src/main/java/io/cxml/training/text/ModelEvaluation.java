package io.cxml.training.text;

import io.cxml.runtime.executor.DevicePreference;
import io.cxml.runtime.executor.ModelSource;
import io.cxml.runtime.model.ClassifierSpec;
import io.cxml.storage.StorageFiles;
import io.cxml.training.baseline.TfidfLogisticRegression;
import io.cxml.training.data.TrainingSetSource;
import io.cxml.training.eval.EvaluationReport;
import io.cxml.training.eval.HeldOutDescription;
import io.cxml.training.eval.Metrics;
import io.cxml.training.eval.ReportWriter;
import io.cxml.training.registry.ModelManifest;
import io.cxml.training.registry.ModelRef;
import io.cxml.training.registry.ModelRegistry;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;

/**
 * {@code cxml evaluate}: scores any registered version on any labelled data set on the executors, and the
 * version's saved baseline on the same rows, and writes the same {@code metrics.json} and HTML report as training.
 * Only aggregates reach the driver.
 */
public final class ModelEvaluation {
    private final SparkSession spark;
    private final ModelRegistry registry;

    /**
     * @param spark the session
     * @param registry the registry
     */
    public ModelEvaluation(SparkSession spark, ModelRegistry registry) {
        this.spark = spark;
        this.registry = registry;
    }

    /**
     * What an evaluation measured.
     *
     * @param version the evaluated version ({@code name@version})
     * @param model the model's metrics
     * @param baseline the saved baseline's metrics on the same rows, or null when the version has none
     * @param html the local HTML report
     */
    public record Result(String version, Metrics model, Metrics baseline, Path html) {}

    /**
     * @param ref the model to evaluate
     * @param source the labelled data
     * @param outputDir local folder for metrics.json, report.html and PNGs
     * @param oosLabel gold label of out-of-scope rows, or null
     * @param batchSize texts per predictor call
     * @param device device preference of the scoring tasks
     * @return what was measured
     */
    public Result run(ModelRef ref, TrainingSetSource source, Path outputDir, String oosLabel, int batchSize,
            DevicePreference device) {
        ModelManifest manifest = registry.resolve(ref);
        String version = manifest.name() + "@" + manifest.version();
        Configuration hadoop = spark.sparkContext().hadoopConfiguration();
        String modelUri = registry.modelUri(manifest.name(), manifest.version());
        ModelSource model = ModelSource.of(modelUri, version, hadoop);
        Dataset<Row> rows = source.load(spark).persist(StorageLevel.MEMORY_AND_DISK());
        try {
            if (rows.isEmpty()) {
                throw new IllegalArgumentException("Cannot evaluate " + ref + ": " + source.describe()
                        + " has no labelled rows. Check the path and the text,label columns");
            }
            ClassifierSpec calibrated = ModelSource.readSpec(modelUri, hadoop);
            Metrics metrics = ExecutorEvaluation.evaluate(rows,
                    new ExecutorEvaluation.Scoring(model, calibrated, batchSize, device), oosLabel);

            Metrics baseline = null;
            String baselineUri = registry.versionUri(manifest.name(), manifest.version()) + "/"
                    + TextModelTraining.BASELINE_DIR;
            if (StorageFiles.exists(baselineUri, hadoop)) {
                double t = Double.parseDouble(manifest.params().getOrDefault(TextModelTraining.BASELINE_TEMPERATURE,
                        "1"));
                baseline = ExecutorEvaluation.evaluate(TfidfLogisticRegression.Fitted.load(baselineUri)
                        .transform(rows, calibrated.labels()), TfidfLogisticRegression.PROBABILITIES,
                        calibrated.labels(), t, calibrated.unknownThreshold(), oosLabel);
            }
            Map<String, String> extra = new LinkedHashMap<>();
            extra.put("version", version);
            extra.put("trained on", manifest.data());
            HeldOutDescription.ofFile(spark, source.describe(), rows,
                    registry.versionUri(manifest.name(), manifest.version())).addTo(extra);
            if (baseline == null) {
                extra.put("baseline", "none saved with this version (trained before baselines were saved, or "
                        + "with cxml.training.baseline.features = 0)");
            }
            EvaluationReport report = new EvaluationReport("Evaluation of " + version + " (" + manifest.task()
                    + ")", source.describe(), metrics, baseline, null, 0, extra);
            return new Result(version, metrics, baseline, ReportWriter.write(report, outputDir));
        } finally {
            rows.unpersist();
        }
    }
}
