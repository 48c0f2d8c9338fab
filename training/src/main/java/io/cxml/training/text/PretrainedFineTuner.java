package io.cxml.training.text;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.Trainer;
import ai.djl.training.TrainingConfig;
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
import io.cxml.training.data.LabelledText;
import io.cxml.training.eval.TrainingSummary;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Fine-tunes a pretrained encoder with a softmax head end to end on one device: AdamW with linear warm-up and linear
 * decay ({@link WarmupLinearDecay}), global gradient-norm clipping, texts truncated to the maximum sequence length,
 * dynamic padding with length bucketing (shuffled, then sorted by length within pools of 50 batches, batches in
 * shuffled order), optionally frozen lower layers, seeded, through the same {@link EpochLoop} as
 * {@link TextClassifierTrainer} (validation accuracy after each epoch keeps the best epoch and stops early). Writes a
 * model directory that {@link TextClassifier} loads like any other (spec, parameters, tokenizer).
 */
public final class PretrainedFineTuner {
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
        EpochLoop.Examples data = EpochLoop.Examples.of(encoder.featurizer(), train, validation, labels);
        return EpochLoop.fit(new FineTuning(encoder, labels, ft, data.trainIds().length), data,
                new EpochLoop.Settings("fine-tune", ft.epochs(), ft.batchSize(), ft.batchSize() * 2,
                        options.patience(), options.seed()),
                device, outputDir);
    }

    /**
     * The pretrained encoder's weights and a new softmax head, AdamW with linear warm-up and decay over all steps,
     * the lower layers frozen, gradients clipped to a global norm; length-bucketed batches; validation scored sorted
     * by length.
     */
    private static final class FineTuning implements EpochLoop.Method {
        private final PretrainedEncoder encoder;
        private final int classes;
        private final FineTuneOptions ft;
        private final ClassifierSpec spec;
        private final int warmup;
        private final int totalSteps;
        private TransformerEncoderBlock encoderBlock;

        FineTuning(PretrainedEncoder encoder, List<String> labels, FineTuneOptions ft, int trainExamples) {
            this.encoder = encoder;
            this.classes = labels.size();
            this.ft = ft;
            this.spec = new ClassifierSpec(encoder.spec(), labels, 1.0, 0.0);
            int stepsPerEpoch = (trainExamples + ft.batchSize() - 1) / ft.batchSize();
            this.totalSteps = stepsPerEpoch * ft.epochs();
            this.warmup = Math.round(ft.warmupFraction() * totalSteps);
        }

        @Override
        public Block block() {
            encoderBlock = encoder.newBlock();
            encoder.loadPretrained(encoderBlock);
            return ClassifierBlocks.build(encoderBlock, classes);
        }

        @Override
        public TrainingConfig config(Device device) {
            return new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                    .optOptimizer(AdamW.builder()
                            .optLearningRateTracker(new WarmupLinearDecay(ft.learningRate(), warmup, totalSteps))
                            .optWeightDecays(ft.weightDecay())
                            .build())
                    .optDevices(new Device[] {device});
        }

        @Override
        public EpochLoop.Updates start(Model model, Trainer trainer) {
            encoderBlock.freezeLower(ft.frozenLayers());
            return (manager, rows) -> {
                NDList inputs = PaddedBatch.of(manager, rows);
                return new EpochLoop.Step() {
                    @Override
                    public NDList inputs() {
                        return inputs;
                    }

                    @Override
                    public void beforeUpdate() {
                        if (ft.clipNorm() > 0) {
                            clipGlobalNorm(model, manager, ft.clipNorm());
                        }
                    }
                };
            };
        }

        @Override
        public List<int[]> batches(int[][] trainIds, Random random) {
            return bucketedBatches(trainIds, ft.batchSize(), random);
        }

        @Override
        public int[] validationOrder(int[][] validIds) {
            return EpochLoop.byLength(validIds);
        }

        @Override
        public void save(Model model, Path dir) {
            EpochLoop.save(model, spec, dir);
            encoder.writeFiles(dir);
        }
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
        int[] order = EpochLoop.inFileOrder(ids.length);
        EpochLoop.shuffle(order, random);
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
}
