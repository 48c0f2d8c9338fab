package io.cxml.training.text;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import io.cxml.runtime.model.Prediction;
import io.cxml.runtime.model.TextClassifier;
import io.cxml.runtime.text.FeaturizerConfig;
import io.cxml.training.TestData;
import io.cxml.training.data.LabelledText;
import io.cxml.training.data.Splits;
import io.cxml.training.eval.TrainingSummary;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real DJL training on a small real sample: 8 BANKING77 intents x 60 sentences. */
class TextClassifierTrainerTest {
    /** Stated floor: chance is 1/8 = 12.5%; a working model clears 70% on held-out sentences. */
    private static final double ACCURACY_FLOOR = 0.70;

    private static Splits.Parts parts;
    private static List<String> labels;

    @TempDir
    static Path tmp;

    private static TrainingOptions options() {
        return TrainingOptions.builder()
                .optFeaturizer(new FeaturizerConfig(1 << 14, 2, 3, 5, 512))
                .optDim(32).optEpochs(8).optBatchSize(16).optLearningRate(0.02f).optSeed(7).optPatience(3)
                .build();
    }

    @BeforeAll
    static void data() {
        parts = Splits.stratified(TestData.banking77(8, 60), 0.15, 0.25, 11);
        labels = parts.train().stream().map(LabelledText::label).distinct().sorted().toList();
    }

    @Test
    void reachesASaneAccuracyAndRoundTripsThroughSaveAndLoad() {
        Path dir = tmp.resolve("model-a");
        TrainingSummary summary = TextClassifierTrainer.train(parts.train(), parts.validation(), labels, options(),
                Device.cpu(), dir);

        assertThat(summary.epochs()).isNotEmpty();
        assertThat(summary.bestEpoch()).isBetween(1, summary.epochs().size());
        assertThat(summary.examplesPerSecond()).isPositive();
        assertThat(summary.epochs().get(summary.epochs().size() - 1).trainLoss())
                .isLessThan(summary.epochs().get(0).trainLoss());

        List<String> texts = parts.test().stream().map(LabelledText::text).toList();
        List<Prediction> first;
        try (TextClassifier classifier = TextClassifier.load(dir)) {
            first = classifier.predict(texts);
        }
        long correct = 0;
        for (int i = 0; i < texts.size(); i++) {
            correct += first.get(i).label().equals(parts.test().get(i).label()) ? 1 : 0;
        }
        double accuracy = correct / (double) texts.size();
        assertThat(accuracy).as("held-out accuracy (chance %.3f)", 1.0 / labels.size())
                .isGreaterThan(ACCURACY_FLOOR);

        try (TextClassifier again = TextClassifier.load(dir)) {
            List<Prediction> second = again.predict(texts);
            for (int i = 0; i < texts.size(); i++) {
                assertThat(second.get(i).label()).isEqualTo(first.get(i).label());
                assertThat(second.get(i).probabilities()).containsExactly(first.get(i).probabilities());
            }
        }
        Prediction one = first.get(0);
        assertThat(one.topK()).hasSize(3);
        assertThat(one.topK().get(0).probability()).isEqualTo(one.confidence());
        assertThat(one.topK().get(1).probability()).isLessThanOrEqualTo(one.confidence());
        double sum = 0;
        for (float p : one.probabilities()) {
            sum += p;
        }
        assertThat(sum).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-4));
    }

    @Test
    void denseAdamOverTheWholeTableAlsoLearns() {
        Path dir = tmp.resolve("model-dense");
        TextClassifierTrainer.train(parts.train(), parts.validation(), labels,
                options().toBuilder().optRowSparse(false).build(), Device.cpu(), dir);
        List<String> texts = parts.test().stream().map(LabelledText::text).toList();
        try (TextClassifier classifier = TextClassifier.load(dir)) {
            List<Prediction> predictions = classifier.predict(texts);
            long correct = 0;
            for (int i = 0; i < texts.size(); i++) {
                correct += predictions.get(i).label().equals(parts.test().get(i).label()) ? 1 : 0;
            }
            assertThat(correct / (double) texts.size()).isGreaterThan(ACCURACY_FLOOR);
        }
    }

    @Test
    void isReproducibleWithAFixedSeed() {
        TrainingOptions twoEpochs = options().toBuilder().optEpochs(2).build();
        TrainingSummary a = TextClassifierTrainer.train(parts.train(), parts.validation(), labels, twoEpochs,
                Device.cpu(), tmp.resolve("seed-a"));
        TrainingSummary b = TextClassifierTrainer.train(parts.train(), parts.validation(), labels, twoEpochs,
                Device.cpu(), tmp.resolve("seed-b"));
        for (int e = 0; e < a.epochs().size(); e++) {
            assertThat(b.epochs().get(e).trainLoss()).isEqualTo(a.epochs().get(e).trainLoss());
        }
        List<String> texts = parts.test().stream().map(LabelledText::text).toList();
        try (TextClassifier ca = TextClassifier.load(tmp.resolve("seed-a"));
                TextClassifier cb = TextClassifier.load(tmp.resolve("seed-b"))) {
            List<Prediction> pa = ca.predict(texts);
            List<Prediction> pb = cb.predict(texts);
            for (int i = 0; i < texts.size(); i++) {
                assertThat(pb.get(i).probabilities()).containsExactly(pa.get(i).probabilities());
            }
        }
    }
}
