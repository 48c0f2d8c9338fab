package io.cxml.training.run;

import ai.djl.Device;
import io.cxml.training.data.TrainingColumns;
import io.cxml.training.data.TrainingSetSource;
import io.cxml.training.eval.EvaluationReport;
import io.cxml.training.eval.Evaluator;
import io.cxml.training.eval.HeldOutDescription;
import io.cxml.training.eval.Metrics;
import io.cxml.training.eval.ReportWriter;
import io.cxml.training.model.ClassifierSpec;
import io.cxml.training.model.TextClassifier;
import io.cxml.training.registry.ModelManifest;
import io.cxml.training.registry.ModelRef;
import io.cxml.training.registry.ModelRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * {@code cxml evaluate}: scores any registered version on any labelled data set and writes the same
 * {@code metrics.json} and HTML report as training (without a baseline, which needs training data).
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
     * @param ref the model to evaluate
     * @param source the labelled data
     * @param outputDir local folder for metrics.json, report.html and PNGs
     * @return the path of the HTML report
     */
    public Path run(ModelRef ref, TrainingSetSource source, Path outputDir) {
        ModelManifest manifest = registry.resolve(ref);
        List<Row> rows = source.load(spark).withColumn(TrainingColumns.ROW_ID,
                org.apache.spark.sql.functions.monotonically_increasing_id()).orderBy(TrainingColumns.ROW_ID)
                .collectAsList();
        if (rows.isEmpty()) {
            throw new IllegalArgumentException("Cannot evaluate " + ref + ": " + source.describe()
                    + " has no labelled rows. Check the path and the text,label columns");
        }
        Path work = null;
        try {
            work = Files.createTempDirectory("cxml-eval-");
            Path local = registry.fetchModel(manifest, work.resolve("model"));
            ClassifierSpec spec = TextClassifier.readSpec(local);
            float[][] probs;
            try (TextClassifier classifier = TextClassifier.load(local, Device.cpu(), 3,
                    s -> s.withTemperature(1.0))) {
                probs = TextModelTraining.probabilities(classifier, rows);
            }
            Metrics metrics = Evaluator.evaluate(TextModelTraining.scored(spec.labels(), rows, probs),
                    spec.temperature(), spec.unknownThreshold());
            Map<String, String> extra = new LinkedHashMap<>();
            extra.put("version", manifest.name() + "@" + manifest.version());
            extra.put("trained on", manifest.data());
            HeldOutDescription.ofFile(spark, source.describe(), source.load(spark),
                    registry.versionUri(manifest.name(), manifest.version())).addTo(extra);
            EvaluationReport report = new EvaluationReport("Evaluation of " + manifest.name() + "@"
                    + manifest.version() + " (" + manifest.task() + ")", source.describe(), metrics, null, null, 0,
                    extra);
            return ReportWriter.write(report, outputDir);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot evaluate " + ref + ": " + e.getMessage(), e);
        } finally {
            if (work != null) {
                TextModelTraining.deleteQuietly(work);
            }
        }
    }
}
