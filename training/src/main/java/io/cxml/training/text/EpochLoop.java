package io.cxml.training.text;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.TrainingConfig;
import io.cxml.runtime.model.ClassifierSpec;
import io.cxml.runtime.model.TextClassifier;
import io.cxml.runtime.text.PaddedBatch;
import io.cxml.runtime.text.TextFeaturizer;
import io.cxml.training.data.LabelledText;
import io.cxml.training.eval.EpochStats;
import io.cxml.training.eval.TrainingSummary;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one epoch loop that trains every text classifier on one device, whatever its encoder: seeds the engine, builds
 * the model and trainer, then per epoch draws the epoch's batches from one seeded {@link Random}, runs forward,
 * backward and the optimizer step on each, measures validation accuracy, saves the model when validation improved
 * (every epoch when there is no validation set), stops after {@link Settings#patience()} epochs without improvement,
 * and records {@link EpochStats}. What differs between encoders plugs in as a {@link Method}: the block, the
 * optimizer, what happens around a batch's update, how an epoch is cut into batches, the order validation is scored
 * in, and what is saved ({@link TextClassifierTrainer}: hashed or any encoder trained from scratch with Adam, row-sparse
 * for the hashed one; {@link PretrainedFineTuner}: a pretrained encoder fine-tuned with AdamW).
 */
public final class EpochLoop {
    private static final Logger LOG = LoggerFactory.getLogger(EpochLoop.class);

    private EpochLoop() {}

    /**
     * The loop's settings.
     *
     * @param name what is trained, for the log ({@code epoch} lines start with it)
     * @param epochs epochs at most
     * @param batchSize examples per training batch (also the shape the parameters are initialized with)
     * @param validationChunk validation examples scored at once
     * @param patience epochs without validation improvement before stopping
     * @param seed seeds the engine and the batch order
     */
    public record Settings(String name, int epochs, int batchSize, int validationChunk, int patience, long seed) {}

    /**
     * Featurized examples: token ids and label indexes (-1: a validation label the model does not have), training and
     * validation, in the order of the lists they came from.
     */
    public record Examples(int[][] trainIds, int[] trainLabels, int[][] validIds, int[] validLabels) {
        /**
         * @param featurizer the encoder's featurizer
         * @param train training examples (every label must be in {@code labels})
         * @param validation validation examples (a label not in {@code labels} never counts as correct)
         * @param labels output labels
         * @return the featurized examples
         */
        public static Examples of(TextFeaturizer featurizer, List<LabelledText> train, List<LabelledText> validation,
                List<String> labels) {
            Map<String, Integer> index = new HashMap<>();
            for (int i = 0; i < labels.size(); i++) {
                index.put(labels.get(i), i);
            }
            int[][] trainIds = featurize(featurizer, train);
            int[] trainLabels = labelIndexes(train, index, true);
            int[][] validIds = featurize(featurizer, validation);
            int[] validLabels = labelIndexes(validation, index, false);
            return new Examples(trainIds, trainLabels, validIds, validLabels);
        }
    }

    /** What one way of training plugs into the loop. One instance trains one model. */
    public interface Method {
        /** @return the model's block; called once, after the engine is seeded, before the trainer exists */
        Block block();

        /**
         * @param device where to train
         * @return loss, optimizer and initializers
         */
        TrainingConfig config(Device device);

        /**
         * Called once the parameters are initialized, before the first batch is drawn.
         *
         * @param model the model
         * @param trainer its trainer
         * @return how each batch is fed and updated; closed when training ends
         */
        Updates start(Model model, Trainer trainer);

        /**
         * @param trainIds token ids per training example
         * @param random the loop's seeded source (the only one)
         * @return this epoch's batches of example indexes, in training order
         */
        List<int[]> batches(int[][] trainIds, Random random);

        /**
         * @param validIds token ids per validation example
         * @return the order validation examples are scored in, cut into {@link Settings#validationChunk()} chunks
         */
        int[] validationOrder(int[][] validIds);

        /**
         * Writes the model directory; called after each epoch that is the best so far.
         *
         * @param model the model
         * @param dir model directory
         */
        void save(Model model, Path dir);
    }

    /** Feeds and updates batches for one training run. */
    public interface Updates extends AutoCloseable {
        /**
         * @param manager the batch's manager (closed after its update)
         * @param rows token ids of the batch's examples
         * @return the batch's inputs and hooks
         */
        Step step(NDManager manager, List<int[]> rows);

        @Override
        default void close() {}
    }

    /** One batch: its inputs, and hooks around backward and the optimizer step. */
    public interface Step {
        /** @return the model's inputs */
        NDList inputs();

        /** Inside the gradient collector, right after backward and the loss read-back. */
        default void gradientsReady() {}

        /** After the gradient collector closed, before the trainer's optimizer step. */
        default void beforeUpdate() {}

        /** After the trainer's optimizer step. */
        default void afterUpdate() {}
    }

    /**
     * Trains.
     *
     * @param method what differs between encoders
     * @param data featurized examples (training must not be empty)
     * @param settings epochs, batch size, patience, seed
     * @param device where to train
     * @param outputDir model directory to write
     * @return what happened
     */
    public static TrainingSummary fit(Method method, Examples data, Settings settings, Device device,
            Path outputDir) {
        int[][] trainIds = data.trainIds();
        int[][] validIds = data.validIds();
        Engine.getEngine(TextClassifier.ENGINE).setRandomSeed((int) settings.seed());
        long started = System.nanoTime();
        List<EpochStats> history = new ArrayList<>();
        double best = -1;
        int bestEpoch = 0;
        long trainNanos = 0;
        long examples = 0;
        try (Model model = Model.newInstance(TextClassifier.MODEL_NAME, device, TextClassifier.ENGINE)) {
            model.setBlock(method.block());
            try (Trainer trainer = model.newTrainer(method.config(device))) {
                trainer.initialize(new Shape(settings.batchSize(), 8), new Shape(settings.batchSize(), 8));
                try (Updates updates = method.start(model, trainer)) {
                    Random random = new Random(settings.seed());
                    int[] validOrder = method.validationOrder(validIds);
                    int stale = 0;
                    for (int epoch = 1; epoch <= settings.epochs(); epoch++) {
                        long epochStart = System.nanoTime();
                        List<int[]> batches = method.batches(trainIds, random);
                        double lossSum = 0;
                        for (int[] batch : batches) {
                            lossSum += step(trainer, updates, trainIds, data.trainLabels(), batch);
                        }
                        long epochTrain = System.nanoTime() - epochStart;
                        trainNanos += epochTrain;
                        examples += trainIds.length;
                        double accuracy = validIds.length == 0 ? Double.NaN
                                : accuracy(trainer, validIds, data.validLabels(), validOrder,
                                        settings.validationChunk());
                        double seconds = (System.nanoTime() - epochStart) / 1e9;
                        double rate = trainIds.length / (epochTrain / 1e9);
                        EpochStats stats = new EpochStats(epoch, lossSum / batches.size(), accuracy, rate, seconds);
                        history.add(stats);
                        LOG.info("{} epoch {}/{}: loss {} validation accuracy {} ({} examples/s, {} s, device {})",
                                settings.name(), epoch, settings.epochs(), String.format("%.4f", stats.trainLoss()),
                                String.format("%.4f", accuracy), String.format("%.1f", rate),
                                String.format("%.1f", seconds), device);
                        if (validIds.length == 0 || accuracy > best + 1e-9) {
                            best = accuracy;
                            bestEpoch = epoch;
                            stale = 0;
                            method.save(model, outputDir);
                        } else if (++stale >= settings.patience()) {
                            LOG.info("early stopping after epoch {}: no validation improvement for {} epochs;"
                                    + " keeping epoch {} (validation accuracy {})", epoch, stale, bestEpoch,
                                    String.format("%.4f", best));
                            break;
                        }
                    }
                }
            }
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        return new TrainingSummary(device.toString(), history, bestEpoch, trainIds.length, validIds.length,
                examples / Math.max(1e-9, trainNanos / 1e9), seconds);
    }

    private static double step(Trainer trainer, Updates updates, int[][] ids, int[] labels, int[] batch) {
        try (NDManager manager = trainer.getManager().newSubManager()) {
            List<int[]> rows = new ArrayList<>(batch.length);
            long[] y = new long[batch.length];
            for (int i = 0; i < batch.length; i++) {
                rows.add(ids[batch[i]]);
                y[i] = labels[batch[i]];
            }
            Step step = updates.step(manager, rows);
            NDList targets = new NDList(manager.create(y));
            float loss;
            try (GradientCollector collector = trainer.newGradientCollector()) {
                NDList predictions = trainer.forward(step.inputs(), targets);
                NDArray lossValue = trainer.getLoss().evaluate(targets, predictions);
                collector.backward(lossValue);
                loss = lossValue.getFloat();
                step.gradientsReady();
            }
            step.beforeUpdate();
            trainer.step();
            step.afterUpdate();
            return loss;
        }
    }

    private static double accuracy(Trainer trainer, int[][] ids, int[] labels, int[] order, int chunk) {
        int correct = 0;
        for (int start = 0; start < ids.length; start += chunk) {
            int end = Math.min(ids.length, start + chunk);
            try (NDManager batch = trainer.getManager().newSubManager()) {
                List<int[]> rows = new ArrayList<>(end - start);
                for (int i = start; i < end; i++) {
                    rows.add(ids[order[i]]);
                }
                long[] predicted = trainer.evaluate(PaddedBatch.of(batch, rows)).singletonOrThrow().argMax(1)
                        .toLongArray();
                for (int i = start; i < end; i++) {
                    if (predicted[i - start] == labels[order[i]]) {
                        correct++;
                    }
                }
            }
        }
        return correct / (double) ids.length;
    }

    /**
     * @param n how many
     * @return {@code 0, 1, ..., n - 1}
     */
    static int[] inFileOrder(int n) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        return order;
    }

    /**
     * @param ids token ids per example
     * @return example indexes sorted by length, ties in file order
     */
    static int[] byLength(int[][] ids) {
        Integer[] order = new Integer[ids.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.comparingInt(i -> ids[i].length));
        int[] out = new int[order.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = order[i];
        }
        return out;
    }

    /** Fisher-Yates, from the last element down, one {@code nextInt} per element. */
    static void shuffle(int[] order, Random random) {
        for (int i = order.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int tmp = order[i];
            order[i] = order[j];
            order[j] = tmp;
        }
    }

    /** Writes the spec and the parameters ({@link TextClassifier#load} reads them). */
    static void save(Model model, ClassifierSpec spec, Path dir) {
        try {
            TextClassifier.writeSpec(dir, spec);
            model.save(dir, TextClassifier.MODEL_NAME);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot save model to " + dir + ": " + e.getMessage()
                    + ". Check that the directory is writable and has space", e);
        }
    }

    private static int[][] featurize(TextFeaturizer featurizer, List<LabelledText> examples) {
        int[][] ids = new int[examples.size()][];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = featurizer.featurize(examples.get(i).text());
        }
        return ids;
    }

    private static int[] labelIndexes(List<LabelledText> examples, Map<String, Integer> index, boolean strict) {
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
}
