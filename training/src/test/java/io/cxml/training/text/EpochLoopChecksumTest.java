package io.cxml.training.text;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import io.cxml.runtime.executor.DevicePreference;
import io.cxml.runtime.text.FeaturizerConfig;
import io.cxml.runtime.text.pretrained.TestEncoders;
import io.cxml.training.TestData;
import io.cxml.training.data.LabelledText;
import io.cxml.training.eval.EpochStats;
import io.cxml.training.eval.TrainingSummary;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pins the training loop bit for bit: a tiny fixed data set and seed must give exactly the saved parameter files
 * (every epoch that was kept, so early stopping counts too), the saved tokenizer, and the per-epoch losses and
 * validation accuracies that the loop gave before the hashed trainer and the fine-tuner were moved onto one shared
 * epoch loop. The expected SHA-256s were computed on the code before that change (commit f386757, CPU, PyTorch
 * engine, three JVMs agreeing); a change that reorders random draws, batches or floating point operations changes
 * them. {@code classifier.json} is left out: its encoder parameters come from a {@code Map.of}, whose iteration order
 * (so the file's key order) changes from one JVM to the next.
 */
class EpochLoopChecksumTest {
    @TempDir
    Path tmp;

    private static List<List<LabelledText>> trainAndValidation(int classes, int perClass) {
        List<LabelledText> all = TestData.banking77(classes, perClass);
        List<LabelledText> train = new ArrayList<>();
        List<LabelledText> validation = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
            (i % 4 == 0 ? validation : train).add(all.get(i));
        }
        return List.of(train, validation);
    }

    private static List<String> labels(List<LabelledText> examples) {
        return examples.stream().map(LabelledText::label).distinct().sorted().toList();
    }

    private static TrainingOptions hashed() {
        return TrainingOptions.builder()
                .optFeaturizer(new FeaturizerConfig(1 << 12, 2, 3, 5, 256))
                .optDim(16).optEpochs(4).optBatchSize(8).optLearningRate(0.02f).optSeed(13).optPatience(2)
                .build();
    }

    @Test
    void rowSparseHashedTrainingIsBitIdentical() {
        var data = trainAndValidation(5, 16);
        Path dir = tmp.resolve("row-sparse");
        TrainingSummary summary = TextClassifierTrainer.train(data.get(0), data.get(1), labels(data.get(0)),
                hashed(), Device.cpu(), dir);
        assertThat(checksum(dir, summary)).isEqualTo("c857f1e2d08f8b5b419eabf007dd632ae788eb2b8cd0dbac41fc2b63d6a390e0");
    }

    @Test
    void denseHashedTrainingIsBitIdentical() {
        var data = trainAndValidation(5, 16);
        Path dir = tmp.resolve("dense");
        TrainingSummary summary = TextClassifierTrainer.train(data.get(0), data.get(1), labels(data.get(0)),
                hashed().toBuilder().optRowSparse(false).build(), Device.cpu(), dir);
        assertThat(checksum(dir, summary)).isEqualTo("c81b406c7e192f884165a68993390ab3869a341e35eb4a11d55430d3c19be5a5");
    }

    /**
     * The fine-tuning path through the same loop. Off by default: on the code before the change one run in five of
     * this (in a fresh JVM) already gave other losses than the others, so the expected value is the usual outcome, not
     * a guarantee. Run it with {@code -Dcxml.checksum.pretrained=true}.
     */
    @Test
    @EnabledIfSystemProperty(named = "cxml.checksum.pretrained", matches = "true")
    void pretrainedFineTuningIsBitIdentical() {
        var data = trainAndValidation(4, 12);
        Path dir = tmp.resolve("fine-tuned");
        TrainingOptions options = TrainingOptions.builder().optSeed(7).optPatience(2).optDevice(DevicePreference.CPU)
                .optPretrained(FineTuneOptions.builder().setPath(TestEncoders.tinyXlmr().toString()).setMaxSeqLength(32)
                        .setEpochs(3).setBatchSize(8).setLearningRate(3e-3f).setWarmupFraction(0.1f)
                        .setWeightDecay(0.01f).setClipNorm(1.0f).setFrozenLayers(1).build())
                .build();
        TrainingSummary summary = PretrainedFineTuner.train(data.get(0), data.get(1), labels(data.get(0)), options,
                Device.cpu(), dir, Map.of());
        assertThat(checksum(dir, summary))
                .isEqualTo("56e2e6cbae90a318079736418ddfe43bb8c05bc45ecc924c147e3331da98fe00");
    }

    /**
     * SHA-256 over the saved files but the spec (sorted by name: name, bytes), then the best epoch and every epoch's
     * loss and validation accuracy bits.
     */
    static String checksum(Path dir, TrainingSummary summary) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            List<Path> files;
            try (Stream<Path> walk = Files.walk(dir)) {
                files = walk.filter(Files::isRegularFile)
                        .filter(f -> !f.getFileName().toString().equals("classifier.json")).sorted().toList();
            }
            for (Path file : files) {
                sha.update(dir.relativize(file).toString().getBytes(StandardCharsets.UTF_8));
                sha.update(Files.readAllBytes(file));
            }
            StringBuilder metrics = new StringBuilder("best=" + summary.bestEpoch());
            for (EpochStats e : summary.epochs()) {
                metrics.append(';').append(e.epoch()).append(':')
                        .append(Long.toHexString(Double.doubleToRawLongBits(e.trainLoss()))).append(':')
                        .append(Long.toHexString(Double.doubleToRawLongBits(e.validationAccuracy())));
            }
            sha.update(metrics.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(sha.digest());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
