package io.cxml.training.train;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.initializer.UniformInitializer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import io.cxml.runtime.model.ClassifierBlocks;
import io.cxml.runtime.model.ClassifierSpec;
import io.cxml.runtime.model.TextClassifier;
import io.cxml.runtime.text.HashedNgramEncoder;
import io.cxml.runtime.text.MeanPooledEmbedding;
import io.cxml.runtime.text.PaddedBatch;
import io.cxml.runtime.text.TextEncoder;
import io.cxml.runtime.text.TextFeaturizer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains a text classifier with DJL on one device: featurizes every example once, runs seeded, shuffled mini-batch
 * Adam epochs, measures validation accuracy after each epoch, keeps the best epoch's weights and stops after
 * {@link TrainingOptions#patience()} epochs without improvement. Logs epoch, loss, validation accuracy and
 * examples/s. Writes a model directory that {@link TextClassifier#load} reads.
 */
public final class TextClassifierTrainer {
    private static final Logger LOG = LoggerFactory.getLogger(TextClassifierTrainer.class);

    private TextClassifierTrainer() {}

    /**
     * Trains the built-in hashed n-gram encoder with a softmax head.
     *
     * @param train training examples
     * @param validation validation examples (early stopping); may be empty (then the last epoch is kept)
     * @param labels output labels (every training label must be listed)
     * @param options settings
     * @param device where to train
     * @param outputDir model directory to write
     * @return what happened
     */
    public static TrainingSummary train(List<LabelledText> train, List<LabelledText> validation, List<String> labels,
            TrainingOptions options, Device device, Path outputDir) {
        return train(new HashedNgramEncoder(options.featurizer(), options.dim()), train, validation, labels, options,
                device, outputDir);
    }

    /**
     * Trains any encoder with a softmax head.
     *
     * @param encoder the encoder
     * @param train training examples
     * @param validation validation examples; may be empty
     * @param labels output labels
     * @param options settings
     * @param device where to train
     * @param outputDir model directory to write
     * @return what happened
     */
    public static TrainingSummary train(TextEncoder encoder, List<LabelledText> train, List<LabelledText> validation,
            List<String> labels, TrainingOptions options, Device device, Path outputDir) {
        if (train.isEmpty()) {
            throw new IllegalArgumentException(
                    "Cannot train: the training set is empty. Check the data window and the label filter");
        }
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < labels.size(); i++) {
            index.put(labels.get(i), i);
        }
        TextFeaturizer featurizer = encoder.featurizer();
        int[][] trainIds = featurize(featurizer, train);
        int[] trainLabels = labelIndexes(train, index, true);
        int[][] validIds = featurize(featurizer, validation);
        int[] validLabels = labelIndexes(validation, index, false);
        ClassifierSpec spec = new ClassifierSpec(encoder.spec(), labels, 1.0, 0.0);

        Engine.getEngine(TextClassifier.ENGINE).setRandomSeed((int) options.seed());
        long started = System.nanoTime();
        List<EpochStats> history = new ArrayList<>();
        double best = -1;
        int bestEpoch = 0;
        long trainNanos = 0;
        long examples = 0;
        try (Model model = Model.newInstance(TextClassifier.MODEL_NAME, device, TextClassifier.ENGINE)) {
            boolean rowSparse = options.rowSparse() && encoder instanceof HashedNgramEncoder;
            model.setBlock(rowSparse
                    ? ClassifierBlocks.build(((HashedNgramEncoder) encoder).newRowSparseBlock(), labels.size())
                    : ClassifierBlocks.build(encoder, labels.size()));
            DefaultTrainingConfig config = new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                    .optOptimizer(Optimizer.adam()
                            .optLearningRateTracker(Tracker.fixed(options.learningRate()))
                            .build())
                    .optDevices(new Device[] {device})
                    .optInitializer(new UniformInitializer(1f / options.dim()),
                            p -> MeanPooledEmbedding.EMBEDDING.equals(p.getName()));
            try (Trainer trainer = model.newTrainer(config);
                    NDManager sparseState = model.getNDManager().newSubManager()) {
                trainer.initialize(new Shape(options.batchSize(), 8), new Shape(options.batchSize(), 8));
                RowSparseAdam sparse = rowSparse
                        ? new RowSparseAdam(table(model), sparseState, options.learningRate()) : null;
                int[] slot = rowSparse ? new int[featurizer.vocabularySize()] : null;
                if (slot != null) {
                    java.util.Arrays.fill(slot, -1);
                }
                Random random = new Random(options.seed());
                int[] order = new int[trainIds.length];
                for (int i = 0; i < order.length; i++) {
                    order[i] = i;
                }
                int stale = 0;
                for (int epoch = 1; epoch <= options.epochs(); epoch++) {
                    long epochStart = System.nanoTime();
                    shuffle(order, random);
                    double lossSum = 0;
                    int batches = 0;
                    for (int start = 0; start < order.length; start += options.batchSize()) {
                        int end = Math.min(order.length, start + options.batchSize());
                        lossSum += step(trainer, sparse, slot, trainIds, trainLabels, order, start, end);
                        batches++;
                    }
                    long epochTrain = System.nanoTime() - epochStart;
                    trainNanos += epochTrain;
                    examples += order.length;
                    double accuracy = validIds.length == 0 ? Double.NaN
                            : accuracy(trainer, validIds, validLabels, options.batchSize() * 4);
                    double seconds = (System.nanoTime() - epochStart) / 1e9;
                    double rate = order.length / (epochTrain / 1e9);
                    EpochStats stats = new EpochStats(epoch, lossSum / batches, accuracy, rate, seconds);
                    history.add(stats);
                    LOG.info("epoch {}/{}: loss {} validation accuracy {} ({} examples/s, {} s, device {})", epoch,
                            options.epochs(), String.format("%.4f", stats.trainLoss()),
                            String.format("%.4f", accuracy), String.format("%.0f", rate),
                            String.format("%.1f", seconds), device);
                    if (validIds.length == 0 || accuracy > best + 1e-9) {
                        best = accuracy;
                        bestEpoch = epoch;
                        stale = 0;
                        save(model, spec, outputDir);
                    } else if (++stale >= options.patience()) {
                        LOG.info("early stopping after epoch {}: no validation improvement for {} epochs; keeping"
                                + " epoch {} (validation accuracy {})", epoch, stale, bestEpoch,
                                String.format("%.4f", best));
                        break;
                    }
                }
            }
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        return new TrainingSummary(device.toString(), history, bestEpoch, train.size(), validation.size(),
                examples / Math.max(1e-9, trainNanos / 1e9), seconds);
    }

    private static double step(Trainer trainer, RowSparseAdam sparse, int[] slot, int[][] ids, int[] labels,
            int[] order, int start, int end) {
        try (NDManager batch = trainer.getManager().newSubManager()) {
            List<int[]> rows = new ArrayList<>(end - start);
            long[] y = new long[end - start];
            for (int i = start; i < end; i++) {
                rows.add(ids[order[i]]);
                y[i - start] = labels[order[i]];
            }
            NDList inputs;
            NDArray tableRows = null;
            NDArray gathered = null;
            if (sparse != null) {
                RowSparseAdam.Batch remapped = RowSparseAdam.Batch.of(rows, slot);
                NDList padded = PaddedBatch.of(batch, remapped.local());
                tableRows = batch.create(remapped.rows());
                gathered = sparse.gather(batch, tableRows);
                inputs = new NDList(padded.get(0), padded.get(1), gathered);
            } else {
                inputs = PaddedBatch.of(batch, rows);
            }
            NDList targets = new NDList(batch.create(y));
            float loss;
            NDArray rowGradient = null;
            try (GradientCollector collector = trainer.newGradientCollector()) {
                NDList predictions = trainer.forward(inputs, targets);
                NDArray lossValue = trainer.getLoss().evaluate(targets, predictions);
                collector.backward(lossValue);
                loss = lossValue.getFloat();
                if (gathered != null) {
                    rowGradient = gathered.getGradient().duplicate();
                }
            }
            trainer.step();
            if (sparse != null) {
                sparse.update(tableRows, gathered.stopGradient(), rowGradient);
            }
            return loss;
        }
    }

    private static NDArray table(Model model) {
        for (var entry : model.getBlock().getParameters()) {
            if (MeanPooledEmbedding.EMBEDDING.equals(entry.getValue().getName())) {
                return entry.getValue().getArray();
            }
        }
        throw new IllegalStateException("Cannot train row-sparse: the model has no '" + MeanPooledEmbedding.EMBEDDING
                + "' parameter. Turn row-sparse updates off for this encoder");
    }

    private static double accuracy(Trainer trainer, int[][] ids, int[] labels, int chunk) {
        int correct = 0;
        for (int start = 0; start < ids.length; start += chunk) {
            int end = Math.min(ids.length, start + chunk);
            try (NDManager batch = trainer.getManager().newSubManager()) {
                List<int[]> rows = new ArrayList<>(end - start);
                for (int i = start; i < end; i++) {
                    rows.add(ids[i]);
                }
                NDArray logits = trainer.evaluate(PaddedBatch.of(batch, rows)).singletonOrThrow();
                long[] predicted = logits.argMax(1).toLongArray();
                for (int i = start; i < end; i++) {
                    if (predicted[i - start] == labels[i]) {
                        correct++;
                    }
                }
            }
        }
        return correct / (double) ids.length;
    }

    static void save(Model model, ClassifierSpec spec, Path dir) {
        try {
            TextClassifier.writeSpec(dir, spec);
            model.save(dir, TextClassifier.MODEL_NAME);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot save model to " + dir + ": " + e.getMessage()
                    + ". Check that the directory is writable and has space", e);
        }
    }

    static int[][] featurize(TextFeaturizer featurizer, List<LabelledText> examples) {
        int[][] ids = new int[examples.size()][];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = featurizer.featurize(examples.get(i).text());
        }
        return ids;
    }

    static int[] labelIndexes(List<LabelledText> examples, Map<String, Integer> index, boolean strict) {
        int[] out = new int[examples.size()];
        for (int i = 0; i < out.length; i++) {
            Integer label = index.get(examples.get(i).label());
            if (label == null && strict) {
                throw new IllegalArgumentException("Cannot train: label '" + examples.get(i).label()
                        + "' is not in the label list " + index.keySet() + ". Derive labels from the training set");
            }
            out[i] = label == null ? -1 : label;
        }
        return out;
    }

    static void shuffle(int[] order, Random random) {
        for (int i = order.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int tmp = order[i];
            order[i] = order[j];
            order[j] = tmp;
        }
    }
}
