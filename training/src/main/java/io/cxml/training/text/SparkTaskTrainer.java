package io.cxml.training.text;

import ai.djl.Device;
import io.cxml.features.TrainingColumns;
import io.cxml.runtime.executor.DeviceSelector;
import io.cxml.runtime.executor.ExecutorSettings;
import io.cxml.training.data.LabelledText;
import io.cxml.training.eval.ReportWriter;
import io.cxml.training.eval.TrainingSummary;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs {@link TextClassifierTrainer} (or {@link PretrainedFineTuner} when a pretrained encoder is configured) inside
 * one Spark task: the prepared training and validation rows are shuffled
 * into a single partition, the task picks its device from its assigned resources ({@link DeviceSelector}: the
 * task's GPU when {@code spark.task.resource.gpu.amount} is set, else the CPU), trains, and copies the model
 * directory to a storage URI (local or S3A). Only the small {@link TrainingSummary} travels back to the driver.
 */
public final class SparkTaskTrainer {
    private static final Logger LOG = LoggerFactory.getLogger(SparkTaskTrainer.class);

    private SparkTaskTrainer() {}

    /**
     * @param split rows with {@link TrainingColumns#SPLIT} (train and validation rows are used)
     * @param labels output labels
     * @param options training settings (device preference included)
     * @param modelUri where the task writes the model directory (must not exist yet)
     * @param hadoop Hadoop configuration for the target file system
     * @return the summary from the task
     */
    public static TrainingSummary train(Dataset<Row> split, List<String> labels, TrainingOptions options,
            String modelUri, Configuration hadoop) {
        Map<String, String> conf = new HashMap<>();
        hadoop.forEach(e -> conf.put(e.getKey(), e.getValue()));
        Dataset<Row> rows = split
                .where(functions.col(TrainingColumns.SPLIT).isin(TrainingColumns.TRAIN, TrainingColumns.VALIDATION))
                .select(TrainingColumns.ROW_ID, TrainingColumns.TEXT, TrainingColumns.LABEL, TrainingColumns.SPLIT)
                .repartition(1)
                .sortWithinPartitions(TrainingColumns.ROW_ID);
        List<String> out = rows.mapPartitions(new TrainTask(new ArrayList<>(labels), options, modelUri, conf),
                Encoders.STRING()).collectAsList();
        if (out.size() != 1) {
            throw new IllegalStateException("Cannot train: expected one training task result, got " + out.size()
                    + ". Check that the training set is not empty");
        }
        try {
            return ReportWriter.JSON.readValue(out.get(0), TrainingSummary.class);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the training task's summary: " + e.getMessage(), e);
        }
    }

    /** The task body; serializable, holds only plain values. */
    static final class TrainTask implements MapPartitionsFunction<Row, String> {
        private static final long serialVersionUID = 1L;
        private final ArrayList<String> labels;
        private final TrainingOptions options;
        private final String modelUri;
        private final Map<String, String> hadoopConf;

        TrainTask(ArrayList<String> labels, TrainingOptions options, String modelUri, Map<String, String> conf) {
            this.labels = labels;
            this.options = options;
            this.modelUri = modelUri;
            this.hadoopConf = new HashMap<>(conf);
        }

        @Override
        public Iterator<String> call(Iterator<Row> input) throws Exception {
            List<LabelledText> train = new ArrayList<>();
            List<LabelledText> validation = new ArrayList<>();
            while (input.hasNext()) {
                Row row = input.next();
                LabelledText example = new LabelledText(row.getAs(TrainingColumns.TEXT),
                        row.getAs(TrainingColumns.LABEL), null, null);
                (TrainingColumns.TRAIN.equals(row.getAs(TrainingColumns.SPLIT)) ? train : validation).add(example);
            }
            if (train.isEmpty()) {
                return Collections.emptyIterator();
            }
            ExecutorSettings.applyForThisExecutor();
            TaskContext task = TaskContext.get();
            Device device = DeviceSelector.select(options.device(),
                    task == null ? Map.of() : task.resourcesJMap());
            LOG.info("training {} examples ({} validation) on {} in Spark task {}", train.size(),
                    validation.size(), device, task == null ? "-" : task.taskAttemptId());
            Path local = Files.createTempDirectory("cxml-model-");
            try {
                TrainingSummary summary = options.pretrained() != null
                        ? PretrainedFineTuner.train(train, validation, labels, options, device, local, hadoopConf)
                        : TextClassifierTrainer.train(train, validation, labels, options, device, local);
                Configuration conf = new Configuration(false);
                hadoopConf.forEach(conf::set);
                org.apache.hadoop.fs.Path target = new org.apache.hadoop.fs.Path(modelUri);
                FileSystem fs = target.getFileSystem(conf);
                fs.mkdirs(target);
                try (var files = Files.list(local)) {
                    for (Path file : files.toList()) {
                        fs.copyFromLocalFile(false, true, new org.apache.hadoop.fs.Path(file.toUri()),
                                new org.apache.hadoop.fs.Path(target, file.getFileName().toString()));
                    }
                }
                return List.of(ReportWriter.JSON.writeValueAsString(summary)).iterator();
            } finally {
                deleteRecursively(local);
            }
        }
    }

    static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var walk = Files.walk(dir)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
