package io.cxml.inference.stages;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import io.cxml.inference.TinyModel;
import io.cxml.runtime.executor.ModelCache;
import io.cxml.runtime.model.Prediction;
import io.cxml.runtime.model.TextClassifier;
import io.cxml.runtime.stages.LanguageStage;
import io.cxml.runtime.stages.TextClassifierStage;
import io.cxml.testing.LocalSpark;
import io.cxml.training.data.LabelledText;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.Transformer;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The scoring stages on real Spark with a real (small) DJL model trained on BANKING77 sentences. */
class TextClassifierStageTest {
    @TempDir
    static Path tmp;

    private static Path model;
    private static List<LabelledText> held;

    @BeforeAll
    static void train() {
        held = new ArrayList<>();
        model = TinyModel.train(tmp.resolve("model"), held);
    }

    private static Dataset<Row> texts(SparkSession spark, List<String> texts) {
        return spark.createDataset(texts, Encoders.STRING()).toDF("text").repartition(4);
    }

    @Test
    void scoresOnTheExecutorsLikeTheSingleProcessClassifierAndLoadsTheModelOnce() {
        SparkSession spark = LocalSpark.get();
        List<String> input = held.stream().map(LabelledText::text).toList();
        TextClassifierStage stage = new TextClassifierStage().setModelUri(model.toUri().toString())
                .setModelLabel("intent@test").setBatchSize(7);

        List<Row> rows = stage.transform(texts(spark, input)).collectAsList();
        stage.transform(texts(spark, input)).count();

        assertThat(rows).hasSize(input.size());
        List<Prediction> expected;
        try (TextClassifier classifier = TextClassifier.load(model)) {
            expected = classifier.predict(input);
        }
        Map<String, String> byText = new LinkedHashMap<>();
        for (int i = 0; i < input.size(); i++) {
            byText.put(input.get(i), expected.get(i).label());
        }
        for (Row r : rows) {
            assertThat(r.getString(r.fieldIndex("intent"))).isEqualTo(byText.get(r.getString(0)));
            assertThat(r.getDouble(r.fieldIndex("intent_confidence"))).isBetween(0.0, 1.0);
            assertThat(r.getString(r.fieldIndex("intent_top_k"))).startsWith("[{\"label\":");
        }
        assertThat(ModelCache.loads()).as("one load per model version and device in this JVM, whatever the tasks")
                .containsEntry("intent@test @ " + Device.cpu(), 1);
    }

    @Test
    void aPipelineOfStagesSavesLoadsAndGivesTheSameScores() throws Exception {
        SparkSession spark = LocalSpark.get();
        PipelineModel pipeline = new PipelineModel("cxmlTest", new Transformer[] {
            new LanguageStage().setLanguages("en", "de"),
            new TextClassifierStage().setModelUri(model.toUri().toString()).setTopK(2)});
        Path saved = tmp.resolve("pipeline");
        pipeline.write().overwrite().save(saved.toString());
        PipelineModel loaded = PipelineModel.load(saved.toString());
        List<String> input = held.stream().map(LabelledText::text).limit(20).toList();

        List<Row> a = pipeline.transform(texts(spark, input)).orderBy("text").collectAsList();
        List<Row> b = loaded.transform(texts(spark, input)).orderBy("text").collectAsList();

        assertThat(b).isEqualTo(a);
        assertThat(loaded.stages()[1].uid()).isEqualTo(pipeline.stages()[1].uid());
        assertThat(a.get(0).getString(a.get(0).fieldIndex("language"))).isEqualTo("en");
    }

    @Test
    void badSettingsFailBeforeAnyDataIsRead() {
        SparkSession spark = LocalSpark.get();
        Dataset<Row> data = texts(spark, List.of("hello"));
        assertThatThrownBy(() -> new TextClassifierStage().transformSchema(data.schema()))
                .hasMessageContaining("modelUri is not set");
        assertThatThrownBy(() -> new TextClassifierStage().setModelUri(model.toString()).setInputCol("body")
                .transformSchema(data.schema())).hasMessageContaining("input column 'body' is missing");
        assertThatThrownBy(() -> new TextClassifierStage().setModelUri(tmp.resolve("nope").toString())
                .transform(data)).hasMessageContaining("does not exist");
        assertThatThrownBy(() -> new TextClassifierStage().setOutputPrefix("Bad Prefix"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new LanguageStage().setLanguages("en", "xx"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
