package io.cxml.training.train;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.AdamW;
import ai.djl.util.Pair;
import io.cxml.runtime.model.ClassifierBlocks;
import io.cxml.runtime.model.ClassifierSpec;
import io.cxml.runtime.model.TextClassifier;
import io.cxml.runtime.text.PaddedBatch;
import io.cxml.runtime.text.pretrained.PretrainedEncoder;
import io.cxml.runtime.text.pretrained.PretrainedFolder;
import io.cxml.runtime.text.pretrained.TransformerEncoderBlock;
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
 * Fine-tunes a pretrained encoder with a softmax head end to end on one device: AdamW with linear warm-up and linear
 * decay ({@link WarmupLinearDecay}), global gradient-norm clipping, texts truncated to the maximum sequence length,
 * dynamic padding with length bucketing (shuffled, then sorted by length within pools of 50 batches, batches in
 * shuffled order), optionally frozen lower layers, seeded. Validation accuracy after each epoch keeps the best
 * epoch and stops early as {@link TextClassifierTrainer} does. Writes a model directory that {@link TextClassifier}
 * loads like any other (spec, parameters, tokenizer).
 */
public final class PretrainedFineTuner {
    private static final Logger LOG = LoggerFactory.getLogger(PretrainedFineTuner.class);
    private static final int POOL_BATCHES = 50;

    private PretrainedFineTuner() {}

    /**
     * @param train training examples
     * @param validation validation examples; may be empty (then the last epoch is kept)
     * @param labels output labels
     * @param options the task's options ({@link TrainingOptions#pretrained()} must be set)
     * @param device where to train
     * @param outputDir model directory to write
     * @param hadoop Hadoop settings to read a remote encoder folder (may be empty)
     * @return what happened
     */
    public static TrainingSummary train(List<LabelledText> train, List<LabelledText> validation, List<String> labels,
            TrainingOptions options, Device device, Path outputDir, Map<String, String> hadoop) {
        FineTuneOptions ft = options.pretrained();
        if (ft == null) {
            throw new IllegalArgumentException("Cannot fine-tune: no pretrained encoder is configured. Set"
                    + " cxml.training.encoder.kind = pretrained and cxml.training.encoder.path");
        }
        if (train.isEmpty()) {
            throw new IllegalArgumentException(
                    "Cannot train: the training set is empty. Check the data window and the label filter");
        }
        PretrainedEncoder encoder = PretrainedEncoder.forClassification(PretrainedFolder.localize(ft.path(), hadoop),
                ft.maxSeqLength());
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < labels.size(); i++) {
            index.put(labels.get(i), i);
        }
        int[][] trainIds = TextClassifierTrainer.featurize(encoder.featurizer(), train);
        int[] trainLabels = TextClassifierTrainer.labelIndexes(train, index, true);
        int[][] validIds = TextClassifierTrainer.featurize(encoder.featurizer(), validation);
        int[] validLabels = TextClassifierTrainer.labelIndexes(validation, index, false);
        ClassifierSpec spec = new ClassifierSpec(encoder.spec(), labels, 1.0, 0.0);
        int stepsPerEpoch = (trainIds.length + ft.batchSize() - 1) / ft.batchSize();
        int totalSteps = stepsPerEpoch * ft.epochs();
        int warmup = Math.round(ft.warmupFraction() * totalSteps);

        Engine.getEngine(TextClassifier.ENGINE).setRandomSeed((int) options.seed());
        long started = System.nanoTime();
        List<EpochStats> history = new ArrayList<>();
        double best = -1;
        int bestEpoch = 0;
        long trainNanos = 0;
        long examples = 0;
        try (Model model = Model.newInstance(TextClassifier.MODEL_NAME, device, TextClassifier.ENGINE)) {
            TransformerEncoderBlock encoderBlock = encoder.newBlock();
            encoder.loadPretrained(encoderBlock);
            model.setBlock(ClassifierBlocks.build(encoderBlock, labels.size()));
            DefaultTrainingConfig config = new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                    .optOptimizer(AdamW.builder()
                            .optLearningRateTracker(new WarmupLinearDecay(ft.learningRate(), warmup, totalSteps))
                            .optWeightDecays(ft.weightDecay())
                            .build())
                    .optDevices(new Device[] {device});
            try (Trainer trainer = model.newTrainer(config)) {
                trainer.initialize(new Shape(ft.batchSize(), 8), new Shape(ft.batchSize(), 8));
                encoderBlock.freezeLower(ft.frozenLayers());
                Random random = new Random(options.seed());
                int stale = 0;
                for (int epoch = 1; epoch <= ft.epochs(); epoch++) {
                    long epochStart = System.nanoTime();
                    List<int[]> batches = bucketedBatches(trainIds, ft.batchSize(), random);
                    double lossSum = 0;
                    for (int[] batch : batches) {
                        lossSum += step(trainer, model, trainIds, trainLabels, batch, ft.clipNorm());
                    }
                    long epochTrain = System.nanoTime() - epochStart;
                    trainNanos += epochTrain;
                    examples += trainIds.length;
                    double accuracy = validIds.length == 0 ? Double.NaN
                            : accuracy(trainer, validIds, validLabels, ft.batchSize() * 2);
                    double seconds = (System.nanoTime() - epochStart) / 1e9;
                    double rate = trainIds.length / (epochTrain / 1e9);
                    EpochStats stats = new EpochStats(epoch, lossSum / batches.size(), accuracy, rate, seconds);
                    history.add(stats);
                    LOG.info("fine-tune epoch {}/{}: loss {} validation accuracy {} ({} examples/s, {} s, device {})",
                            epoch, ft.epochs(), String.format("%.4f", stats.trainLoss()),
                            String.format("%.4f", accuracy), String.format("%.1f", rate),
                            String.format("%.1f", seconds), device);
                    if (validIds.length == 0 || accuracy > best + 1e-9) {
                        best = accuracy;
                        bestEpoch = epoch;
                        stale = 0;
                        TextClassifierTrainer.save(model, spec, outputDir);
                        encoder.writeFiles(outputDir);
                    } else if (++stale >= options.patience()) {
                        LOG.info("early stopping after epoch {}: keeping epoch {} (validation accuracy {})", epoch,
                                bestEpoch, String.format("%.4f", best));
                        break;
                    }
                }
            }
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        return new TrainingSummary(device.toString(), history, bestEpoch, train.size(), validation.size(),
                examples / Math.max(1e-9, trainNanos / 1e9), seconds);
    }

    /**
     * Length bucketing: a seeded shuffle, then each pool of {@value #POOL_BATCHES} batches sorted by length and cut
     * into batches, and the batches shuffled, so a batch pads little and epochs still differ.
     *
     * @param ids token ids per example
     * @param batchSize examples per batch
     * @param random the seeded source
     * @return the epoch's batches of example indexes
     */
    static List<int[]> bucketedBatches(int[][] ids, int batchSize, Random random) {
        int[] order = new int[ids.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        TextClassifierTrainer.shuffle(order, random);
        List<int[]> batches = new ArrayList<>();
        int pool = batchSize * POOL_BATCHES;
        for (int start = 0; start < order.length; start += pool) {
            Integer[] chunk = new Integer[Math.min(pool, order.length - start)];
            for (int i = 0; i < chunk.length; i++) {
                chunk[i] = order[start + i];
            }
            Arrays.sort(chunk, Comparator.comparingInt(i -> ids[i].length));
            for (int b = 0; b < chunk.length; b += batchSize) {
                int[] batch = new int[Math.min(batchSize, chunk.length - b)];
                for (int i = 0; i < batch.length; i++) {
                    batch[i] = chunk[b + i];
                }
                batches.add(batch);
            }
        }
        java.util.Collections.shuffle(batches, random);
        return batches;
    }

    private static double step(Trainer trainer, Model model, int[][] ids, int[] labels, int[] batch,
            float clipNorm) {
        try (NDManager manager = trainer.getManager().newSubManager()) {
            List<int[]> rows = new ArrayList<>(batch.length);
            long[] y = new long[batch.length];
            for (int i = 0; i < batch.length; i++) {
                rows.add(ids[batch[i]]);
                y[i] = labels[batch[i]];
            }
            NDList inputs = PaddedBatch.of(manager, rows);
            NDList targets = new NDList(manager.create(y));
            float loss;
            try (GradientCollector collector = trainer.newGradientCollector()) {
                NDList predictions = trainer.forward(inputs, targets);
                NDArray lossValue = trainer.getLoss().evaluate(targets, predictions);
                collector.backward(lossValue);
                loss = lossValue.getFloat();
            }
            if (clipNorm > 0) {
                clipGlobalNorm(model, manager, clipNorm);
            }
            trainer.step();
            return loss;
        }
    }

    /** Scales all gradients so that their joint L2 norm is at most {@code maxNorm} (as torch's clip_grad_norm_). */
    static void clipGlobalNorm(Model model, NDManager manager, float maxNorm) {
        List<NDArray> gradients = new ArrayList<>();
        NDArray squares = null;
        for (Pair<String, Parameter> entry : model.getBlock().getParameters()) {
            Parameter p = entry.getValue();
            if (!p.requiresGradient() || !p.isInitialized()) {
                continue;
            }
            NDArray g = p.getArray().getGradient();
            g.attach(manager);
            gradients.add(g);
            NDArray s = g.square().sum();
            squares = squares == null ? s : squares.add(s);
        }
        if (squares == null) {
            return;
        }
        float norm = (float) Math.sqrt(squares.getFloat());
        if (norm > maxNorm) {
            float scale = maxNorm / (norm + 1e-6f);
            for (NDArray g : gradients) {
                g.muli(scale);
            }
        }
    }

    private static double accuracy(Trainer trainer, int[][] ids, int[] labels, int chunk) {
        Integer[] order = new Integer[ids.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.comparingInt(i -> ids[i].length));
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
}
