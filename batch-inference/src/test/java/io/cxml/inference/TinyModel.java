package io.cxml.inference;

import ai.djl.Device;
import io.cxml.runtime.text.FeaturizerConfig;
import io.cxml.testing.LocalSpark;
import io.cxml.training.data.LabelledText;
import io.cxml.training.data.PublicDatasets;
import io.cxml.training.text.TextClassifierTrainer;
import io.cxml.training.text.TrainingOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A small real intent model for the scoring tests: 5 BANKING77 intents, trained in seconds. */
public final class TinyModel {
    private TinyModel() {}

    /**
     * @param dir where the model directory goes
     * @param heldOut filled with sentences the model did not train on
     * @return the model directory
     */
    public static Path train(Path dir, List<LabelledText> heldOut) {
        Map<String, List<LabelledText>> byLabel = new LinkedHashMap<>();
        for (LabelledText e : PublicDatasets.banking77(
                LocalSpark.datasetsDir().resolve("banking77/banking_data/train.csv"))) {
            List<LabelledText> list = byLabel.computeIfAbsent(e.label(), k -> new ArrayList<>());
            if (list.size() < 50) {
                list.add(e);
            }
        }
        List<LabelledText> train = new ArrayList<>();
        List<LabelledText> validation = new ArrayList<>();
        byLabel.values().stream().limit(5).forEach(list -> {
            train.addAll(list.subList(0, 36));
            validation.addAll(list.subList(36, 42));
            heldOut.addAll(list.subList(42, 50));
        });
        List<String> labels = train.stream().map(LabelledText::label).distinct().sorted().toList();
        TextClassifierTrainer.train(train, validation, labels, TrainingOptions.builder()
                .optFeaturizer(new FeaturizerConfig(1 << 12, 2, 3, 5, 256)).optDim(16).optEpochs(4)
                .optBatchSize(16).optLearningRate(0.02f).optSeed(5).build(), Device.cpu(), dir);
        return dir;
    }
}
