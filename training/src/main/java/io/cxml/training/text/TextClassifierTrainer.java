package io.cxml.training.text;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.Trainer;
import ai.djl.training.TrainingConfig;
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
import io.cxml.training.data.LabelledText;
import io.cxml.training.eval.TrainingSummary;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Trains a text classifier from scratch with DJL on one device: featurizes every example once, then runs
 * {@link EpochLoop} (seeded, shuffled mini-batch Adam epochs, validation accuracy after each epoch, the best epoch's
 * weights kept, stopping after {@link TrainingOptions#patience()} epochs without improvement). Writes a model directory
 * that {@link TextClassifier#load} reads.
 */
public final class TextClassifierTrainer {
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
        EpochLoop.Examples data = EpochLoop.Examples.of(encoder.featurizer(), train, validation, labels);
        return EpochLoop.fit(new FromScratch(encoder, labels, options, data.trainIds().length), data,
                new EpochLoop.Settings(encoder.spec().kind(), options.epochs(), options.batchSize(),
                        options.batchSize() * 4, options.patience(), options.seed()),
                device, outputDir);
    }

    /**
     * An encoder and softmax head trained from scratch with Adam at a fixed learning rate, the embedding table
     * initialized uniformly in &plusmn;1/dim. The hashed n-gram encoder's table is updated row-sparse (only the rows a
     * batch touches, {@link RowSparseAdam}) unless {@link TrainingOptions#rowSparse()} is off. Each epoch shuffles the
     * previous epoch's order again and cuts it into consecutive batches; validation is scored in file order.
     */
    private static final class FromScratch implements EpochLoop.Method {
        private final TextEncoder encoder;
        private final int classes;
        private final TrainingOptions options;
        private final ClassifierSpec spec;
        private final boolean rowSparse;
        private final int[] order;

        FromScratch(TextEncoder encoder, List<String> labels, TrainingOptions options, int trainExamples) {
            this.encoder = encoder;
            this.classes = labels.size();
            this.options = options;
            this.spec = new ClassifierSpec(encoder.spec(), labels, 1.0, 0.0);
            this.rowSparse = options.rowSparse() && encoder instanceof HashedNgramEncoder;
            this.order = EpochLoop.inFileOrder(trainExamples);
        }

        @Override
        public Block block() {
            return rowSparse ? ClassifierBlocks.build(((HashedNgramEncoder) encoder).newRowSparseBlock(), classes)
                    : ClassifierBlocks.build(encoder, classes);
        }

        @Override
        public TrainingConfig config(Device device) {
            return new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                    .optOptimizer(Optimizer.adam()
                            .optLearningRateTracker(Tracker.fixed(options.learningRate()))
                            .build())
                    .optDevices(new Device[] {device})
                    .optInitializer(new UniformInitializer(1f / options.dim()),
                            p -> MeanPooledEmbedding.EMBEDDING.equals(p.getName()));
        }

        @Override
        public EpochLoop.Updates start(Model model, Trainer trainer) {
            if (!rowSparse) {
                return (manager, rows) -> {
                    NDList inputs = PaddedBatch.of(manager, rows);
                    return () -> inputs;
                };
            }
            NDManager sparseState = model.getNDManager().newSubManager();
            RowSparseAdam sparse = new RowSparseAdam(table(model), sparseState, options.learningRate());
            int[] slot = new int[encoder.featurizer().vocabularySize()];
            Arrays.fill(slot, -1);
            return new RowSparseUpdates(sparse, slot, sparseState);
        }

        @Override
        public List<int[]> batches(int[][] trainIds, Random random) {
            EpochLoop.shuffle(order, random);
            List<int[]> batches = new ArrayList<>();
            for (int start = 0; start < order.length; start += options.batchSize()) {
                batches.add(Arrays.copyOfRange(order, start, Math.min(order.length, start + options.batchSize())));
            }
            return batches;
        }

        @Override
        public int[] validationOrder(int[][] validIds) {
            return EpochLoop.inFileOrder(validIds.length);
        }

        @Override
        public void save(Model model, Path dir) {
            EpochLoop.save(model, spec, dir);
        }
    }

    /**
     * Row-sparse Adam on the embedding table: a batch's token ids are remapped to the table rows it touches, those rows
     * are gathered as an extra input, and after the trainer's step (the rest of the model) their gradient updates only
     * them.
     */
    private record RowSparseUpdates(RowSparseAdam sparse, int[] slot, NDManager sparseState)
            implements EpochLoop.Updates {
        @Override
        public EpochLoop.Step step(NDManager manager, List<int[]> rows) {
            RowSparseAdam.Batch remapped = RowSparseAdam.Batch.of(rows, slot);
            NDList padded = PaddedBatch.of(manager, remapped.local());
            NDArray tableRows = manager.create(remapped.rows());
            NDArray gathered = sparse.gather(manager, tableRows);
            NDList inputs = new NDList(padded.get(0), padded.get(1), gathered);
            return new EpochLoop.Step() {
                private NDArray rowGradient;

                @Override
                public NDList inputs() {
                    return inputs;
                }

                @Override
                public void gradientsReady() {
                    rowGradient = gathered.getGradient().duplicate();
                }

                @Override
                public void afterUpdate() {
                    sparse.update(tableRows, gathered.stopGradient(), rowGradient);
                }
            };
        }

        @Override
        public void close() {
            sparseState.close();
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
}
