package io.cxml.training.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import io.cxml.runtime.executor.DevicePreference;
import io.cxml.runtime.model.ClassifierBlocks;
import io.cxml.runtime.model.Prediction;
import io.cxml.runtime.model.TextClassifier;
import io.cxml.runtime.text.pretrained.PretrainedEncoder;
import io.cxml.runtime.text.pretrained.PretrainedFolder;
import io.cxml.runtime.text.pretrained.TestEncoders;
import io.cxml.runtime.text.pretrained.TransformerEncoderBlock;
import io.cxml.training.TestData;
import io.cxml.training.data.LabelledText;
import io.cxml.training.eval.TrainingSummary;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Fine-tuning the tiny XLM-R on a small real BANKING77 sample learns, and the saved model reloads exactly. */
class PretrainedFineTunerTest {
    private static final int CLASSES = 4;

    @TempDir
    Path dir;

    @Test
    void learnsAndRoundTrips() {
        List<LabelledText> all = TestData.banking77(CLASSES, 50);
        List<LabelledText> train = new ArrayList<>();
        List<LabelledText> validation = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
            (i % 5 == 0 ? validation : train).add(all.get(i));
        }
        List<String> labels = all.stream().map(LabelledText::label).distinct().sorted().toList();
        Path tiny = TestEncoders.tinyXlmr();
        TrainingOptions options = TrainingOptions.builder().optSeed(7).optPatience(10).optDevice(DevicePreference.CPU)
                .optPretrained(FineTuneOptions.builder().setPath(tiny.toString()).setMaxSeqLength(48).setEpochs(10)
                        .setBatchSize(16).setLearningRate(3e-3f).setWarmupFraction(0.1f).setWeightDecay(0.01f)
                        .setClipNorm(1.0f).setFrozenLayers(0).build())
                .build();
        Path model = dir.resolve("model");
        TrainingSummary summary = PretrainedFineTuner.train(train, validation, labels, options, Device.cpu(), model,
                Map.of());

        double firstLoss = summary.epochs().get(0).trainLoss();
        double lastLoss = summary.epochs().get(summary.epochs().size() - 1).trainLoss();
        assertTrue(lastLoss < firstLoss * 0.8, "loss falls: " + firstLoss + " -> " + lastLoss);
        double best = summary.epochs().get(summary.bestEpoch() - 1).validationAccuracy();
        assertTrue(best > 1.0 / CLASSES + 0.15, "validation accuracy above chance (0.25): " + best);

        List<String> texts = validation.stream().map(LabelledText::text).toList();
        try (TextClassifier first = TextClassifier.load(model, Device.cpu(), 2, s -> s);
                TextClassifier second = TextClassifier.load(model, Device.cpu(), 2, s -> s)) {
            assertEquals(PretrainedEncoder.KIND, first.spec().encoder().kind());
            assertEquals(PretrainedFolder.open(tiny).checksum(), first.spec().encoder().params().get("baseChecksum"));
            List<Prediction> a = first.predict(texts);
            List<Prediction> b = second.predict(texts);
            int correct = 0;
            for (int i = 0; i < texts.size(); i++) {
                assertArrayEquals(a.get(i).probabilities(), b.get(i).probabilities(), 1e-6f);
                assertEquals(a.get(i).probabilities()[labels.indexOf(a.get(i).label())], a.get(i).confidence());
                correct += a.get(i).label().equals(validation.get(i).label()) ? 1 : 0;
            }
            assertEquals(best, correct / (double) texts.size(), 1e-9, "the saved model is the best epoch's");
            assertEquals(a.get(3).label(), first.predict(texts.get(3)).label(), "single and batched agree");
        }
    }

    @Test
    void startsFromThePretrainedWeightsAndKeepsFrozenLayersFixed() throws Exception {
        List<LabelledText> all = TestData.banking77(CLASSES, 12);
        List<String> labels = all.stream().map(LabelledText::label).distinct().sorted().toList();
        Path tiny = TestEncoders.tinyXlmr();
        for (int frozen : new int[] {2, 0}) {
            TrainingOptions options = TrainingOptions.builder().optSeed(7).optDevice(DevicePreference.CPU)
                    .optPretrained(FineTuneOptions.builder().setPath(tiny.toString()).setMaxSeqLength(32).setEpochs(1)
                            .setBatchSize(8).setLearningRate(3e-3f).setWarmupFraction(0f).setWeightDecay(0f)
                            .setClipNorm(1.0f).setFrozenLayers(frozen).build())
                    .build();
            Path model = dir.resolve("frozen-" + frozen);
            PretrainedFineTuner.train(all, List.of(), labels, options, Device.cpu(), model, Map.of());
            PretrainedFolder folder = PretrainedFolder.open(tiny);
            try (Model pretrained = Model.newInstance("pretrained");
                    Model saved = Model.newInstance(TextClassifier.MODEL_NAME)) {
                PretrainedEncoder encoder = PretrainedEncoder.forClassification(folder, 32);
                TransformerEncoderBlock reference = encoder.newBlock();
                encoder.loadPretrained(reference);
                reference.initialize(pretrained.getNDManager(), DataType.FLOAT32, new Shape(1, 2), new Shape(1, 2));
                saved.setBlock(ClassifierBlocks.build(encoder.newBlock(), labels.size()));
                saved.load(model, TextClassifier.MODEL_NAME);
                Block savedEncoder = saved.getBlock().getChildren().get(0).getValue();
                var want = reference.getParameters();
                var got = savedEncoder.getParameters();
                assertEquals(want.size(), got.size());
                int changed = 0;
                for (int i = 0; i < want.size(); i++) {
                    changed += want.get(i).getValue().getArray().contentEquals(got.get(i).getValue().getArray()) ? 0 : 1;
                }
                if (frozen == 2) {
                    assertEquals(0, changed, "all layers and the embeddings are frozen");
                } else {
                    assertEquals(want.size(), changed, "every encoder parameter is fine-tuned");
                }
            }
        }
    }

    @Test
    void bucketsBatchesByLength() {
        int[][] ids = new int[100][];
        Random lengths = new Random(1);
        for (int i = 0; i < ids.length; i++) {
            ids[i] = new int[1 + lengths.nextInt(60)];
        }
        List<int[]> batches = PretrainedFineTuner.bucketedBatches(ids, 10, new Random(3));
        assertEquals(10, batches.size());
        boolean[] seen = new boolean[ids.length];
        int padded = 0;
        for (int[] batch : batches) {
            int max = 0;
            for (int i : batch) {
                assertTrue(!seen[i], "each example once");
                seen[i] = true;
                max = Math.max(max, ids[i].length);
            }
            for (int i : batch) {
                padded += max - ids[i].length;
            }
        }
        assertTrue(padded < 100 * 6, "length bucketing keeps padding low: " + padded);
        assertEquals(batches.stream().map(b -> b[0]).toList(),
                PretrainedFineTuner.bucketedBatches(ids, 10, new Random(3)).stream().map(b -> b[0]).toList(),
                "seeded");
    }
}
