package io.cxml.training.text;

import static org.assertj.core.api.Assertions.assertThat;

import io.cxml.features.split.SplitShares;
import io.cxml.runtime.text.FeaturizerConfig;
import io.cxml.storage.StorageLayout;
import io.cxml.testing.LocalSpark;
import io.cxml.training.TestData;
import io.cxml.training.baseline.BaselineSettings;
import io.cxml.training.data.LabelledFileSource;
import io.cxml.training.data.LabelledText;
import io.cxml.training.eval.EvaluationReport;
import io.cxml.training.eval.HeldOutDescription;
import io.cxml.training.eval.ReportWriter;
import io.cxml.training.registry.ModelManifest;
import io.cxml.training.registry.ModelRef;
import io.cxml.training.registry.ModelRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** End to end on real Spark and DJL: labelled CSV -> split -> train in a Spark task -> baseline -> report -> registry. */
class TextModelTrainingTest {
    @TempDir
    Path tmp;

    @Test
    void trainsEvaluatesAndRegistersAVersionThenEvaluatesItOnAnyFile() throws Exception {
        SparkSession spark = LocalSpark.get();
        List<LabelledText> sample = TestData.banking77(6, 50);
        StringBuilder csv = new StringBuilder("text,label,language,tenant\n");
        for (int i = 0; i < sample.size(); i++) {
            csv.append('"').append(sample.get(i).text().replace("\"", "\"\"")).append("\",")
                    .append(sample.get(i).label()).append(",en,").append(i % 2 == 0 ? "acme" : "globex").append('\n');
        }
        Path file = tmp.resolve("labelled.csv");
        Files.writeString(file, csv);
        ModelRegistry registry = new ModelRegistry(StorageLayout.of(tmp.resolve("root").toString()),
                spark.sparkContext().hadoopConfiguration());
        TrainingOptions training = TrainingOptions.builder()
                .optFeaturizer(new FeaturizerConfig(1 << 14, 2, 3, 5, 512))
                .optDim(32).optEpochs(6).optBatchSize(16).optLearningRate(0.02f).optSeed(3).build();

        TrainOutcome outcome = new TextModelTraining(spark, registry).run(TrainRunOptions.builder().setName("intent")
                .setTask("intent").setSource(new LabelledFileSource(file.toString())).setTraining(training)
                .setSplit(new SplitShares(0.15, 0.2)).setUnknownThreshold(0.3)
                .optBaseline(BaselineSettings.DEFAULT.withFeatures(1 << 12))
                .setRunId("test-run").setScoringBatchSize(64).build());

        ModelManifest manifest = outcome.manifest();
        assertThat(manifest.version()).isEqualTo("v1");
        assertThat(registry.resolve(ModelRef.parse("intent@v1")).metrics().accuracy())
                .isEqualTo(manifest.metrics().accuracy());
        double chance = 1.0 / 6;
        assertThat(manifest.metrics().accuracy()).as("model accuracy vs chance %.3f", chance).isGreaterThan(0.6);
        assertThat(manifest.baseline()).isNotNull();
        assertThat(manifest.baseline().accuracy()).isGreaterThan(chance);
        assertThat(manifest.metrics().perLanguage()).containsKey("en");
        EvaluationReport report = outcome.report();
        assertThat(report.model().perTenant()).containsOnlyKeys("acme", "globex");
        assertThat(report.model().examples()).isEqualTo(manifest.metrics().examples())
                .isEqualTo(report.baseline().examples());
        assertThat(report.training().examplesPerSecond()).isPositive();
        // A random split by text hash never puts one text on both sides; the report says what its figures are on.
        assertThat(HeldOutDescription.lines(report.extra())).first().asString()
                .startsWith("held-out set: seeded random split");
        assertThat(report.extra()).containsEntry(HeldOutDescription.KEY_OVERLAP, "0 of "
                + report.model().examples() + " (0.00%)");
        Path versionDir = Path.of(java.net.URI.create(registry.versionUri("intent", "v1")));
        assertThat(versionDir.resolve(ModelRegistry.MANIFEST)).exists();
        assertThat(versionDir.resolve("report/" + ReportWriter.REPORT_FILE)).content().contains("data:image/png");
        assertThat(versionDir.resolve("report/confusion.png")).exists();
        assertThat(versionDir.resolve("report/" + ReportWriter.METRICS_FILE)).exists();

        ModelEvaluation.Result evaluation = new ModelEvaluation(spark, registry).run(ModelRef.parse("intent"),
                new LabelledFileSource(file.toString()), tmp.resolve("eval"), null, 32,
                io.cxml.runtime.executor.DevicePreference.AUTO);
        assertThat(evaluation.html()).exists();
        assertThat(evaluation.baseline()).as("the baseline saved with the version is evaluated beside it")
                .isNotNull();
        assertThat(evaluation.baseline().examples()).isEqualTo(sample.size());
        EvaluationReport again = ReportWriter.read(tmp.resolve("eval").resolve(ReportWriter.METRICS_FILE));
        assertThat(again.model().examples()).isEqualTo(sample.size());
        assertThat(again.model().calibration().temperature()).isEqualTo(report.model().calibration().temperature());
        // Most rows were training rows, which the report flags in its first lines.
        assertThat(HeldOutDescription.lines(again.extra())).first().asString().startsWith("WARNING: ");
        assertThat(evaluation.html()).content().contains("<p class=\"bad\"><b>WARNING: ");
        // Accuracy on the whole file is at least the held-out accuracy minus noise.
        assertThat(again.model().accuracy()).isGreaterThan(manifest.metrics().accuracy() - 0.1);
    }
}
