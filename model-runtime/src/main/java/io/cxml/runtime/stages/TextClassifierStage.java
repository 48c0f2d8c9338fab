package io.cxml.runtime.stages;

import io.cxml.runtime.embedding.BaseEncoder;
import io.cxml.runtime.embedding.EmbeddingHead;
import io.cxml.runtime.embedding.EmbeddingStore;
import io.cxml.runtime.executor.DevicePreference;
import io.cxml.runtime.executor.ModelCache;
import io.cxml.runtime.executor.ModelSource;
import io.cxml.runtime.executor.TaskScoring;
import io.cxml.runtime.model.ClassifierSpec;
import io.cxml.runtime.model.Prediction;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.ml.param.BooleanParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Scores a text column with a registered text classifier (intent or sentiment) on the executors. Adds
 * {@code <prefix>} (top label), {@code <prefix>_confidence} (calibrated), {@code <prefix>_top_k} (JSON list of the
 * top labels and probabilities) and {@code <prefix>_routed} (the label, or {@code unknown} below the model's
 * confidence threshold), and, when {@code probabilitiesCol} is set, the full probability vector in the model's label
 * order (what routing reads). A null text gives null outputs.
 *
 * <p>Inside: the driver checks the model directory and reads its calibration before any data is read; each executor
 * JVM copies the files once to a local cache and loads the weights once per device ({@code ModelCache}); each task
 * has its own predictor, fed {@code batchSize} texts at a time, on the task's GPU when Spark assigned one.
 */
public final class TextClassifierStage extends TextColumnStage<TextClassifierStage> {
    private static final long serialVersionUID = 1L;

    private Param<String> modelUri;
    private Param<String> modelLabel;
    private IntParam batchSize;
    private IntParam topK;
    private Param<String> device;
    private Param<String> probabilitiesCol;
    private BooleanParam calibrated;
    private Param<String> encoderLocation;

    /** A stage with a random uid. */
    public TextClassifierStage() {
        this("cxmlTextClassifier_" + java.util.UUID.randomUUID().toString().substring(24));
    }

    /**
     * @param uid the stage's uid (used when loading a saved stage)
     */
    public TextClassifierStage(String uid) {
        super(uid, "intent");
        modelUri = new Param<>(this, "modelUri", "model directory of a registry version (local or s3a://)");
        modelLabel = new Param<>(this, "modelLabel", "readable model version, e.g. intent@v3 (logs, reports)");
        batchSize = new IntParam(this, "batchSize", "texts per predictor call", ParamValidators.gtEq(1));
        topK = new IntParam(this, "topK", "labels listed in <prefix>_top_k", ParamValidators.gtEq(1));
        device = new Param<>(this, "device", "auto (the task's GPU when assigned, else CPU), cpu or gpu",
                (String s) -> Arrays.asList("auto", "cpu", "gpu").contains(s));
        probabilitiesCol = new Param<>(this, "probabilitiesCol",
                "column for the full probability vector (array of float), '' for none");
        calibrated = new BooleanParam(this, "calibrated", "predict with the model's calibration temperature (true) "
                + "or at temperature 1, the raw probabilities that evaluation folds and calibrates itself (false)");
        encoderLocation = new Param<>(this, "encoderLocation", "for a head on embeddings: where executors find its "
                + "base encoder now, '' for the location recorded when it was trained (the checksum must match)");
        setDefault(encoderLocation, "");
        setDefault(probabilitiesCol, "");
        setDefault(calibrated, true);
        setDefault(modelLabel, "");
        setDefault(batchSize, 256);
        setDefault(topK, 3);
        setDefault(device, "auto");
    }

    /** @return a reader for saved stages ({@code TextClassifierStage.load(path)}, PipelineModel.load) */
    public static MLReader<TextClassifierStage> read() {
        return new DefaultParamsReader<>();
    }

    /**
     * @param path where a stage was saved
     * @return the stage
     */
    public static TextClassifierStage load(String path) {
        return read().load(path);
    }

    /** @return the model directory param */
    public Param<String> modelUri() {
        return modelUri;
    }

    /** @return the model label param */
    public Param<String> modelLabel() {
        return modelLabel;
    }

    /** @return the batch size param */
    public IntParam batchSize() {
        return batchSize;
    }

    /** @return the top-k param */
    public IntParam topK() {
        return topK;
    }

    /** @return the device param */
    public Param<String> device() {
        return device;
    }

    /**
     * @param value the model directory
     * @return this
     */
    public TextClassifierStage setModelUri(String value) {
        set(modelUri, value);
        return this;
    }

    /**
     * @param value the readable version
     * @return this
     */
    public TextClassifierStage setModelLabel(String value) {
        set(modelLabel, value);
        return this;
    }

    /**
     * @param value texts per predictor call
     * @return this
     */
    public TextClassifierStage setBatchSize(int value) {
        set(batchSize, value);
        return this;
    }

    /**
     * @param value labels listed per prediction
     * @return this
     */
    public TextClassifierStage setTopK(int value) {
        set(topK, value);
        return this;
    }

    /**
     * @param value auto, cpu or gpu
     * @return this
     */
    public TextClassifierStage setDevice(String value) {
        set(device, value);
        return this;
    }

    /**
     * The typed form of {@link #setDevice(String)}: the param stays a string for Spark ML persistence.
     *
     * @param value where the stage scores
     * @return this
     */
    public TextClassifierStage setDevice(DevicePreference value) {
        return setDevice(value.name().toLowerCase(Locale.ROOT));
    }

    /** @return the probabilities column param */
    public Param<String> probabilitiesCol() {
        return probabilitiesCol;
    }

    /**
     * @param value column for the full probability vector, or "" for none
     * @return this
     */
    public TextClassifierStage setProbabilitiesCol(String value) {
        set(probabilitiesCol, value);
        return this;
    }

    /** @return the calibration param */
    public BooleanParam calibrated() {
        return calibrated;
    }

    /**
     * @param value false to predict at temperature 1 (raw probabilities), true (default) with the model's calibration
     * @return this
     */
    public TextClassifierStage setCalibrated(boolean value) {
        set(calibrated, value);
        return this;
    }

    /** @return the head's encoder location param */
    public Param<String> encoderLocation() {
        return encoderLocation;
    }

    /**
     * @param value where executors find a head's base encoder, or "" for the location recorded in the head
     * @return this
     */
    public TextClassifierStage setEncoderLocation(String value) {
        set(encoderLocation, value);
        return this;
    }

    /** @return the names of the columns this stage adds, in order */
    public List<String> outputColumns() {
        String p = $(outputPrefix());
        List<String> out = new ArrayList<>(List.of(p, p + "_confidence", p + "_top_k", p + "_routed"));
        if (!$(probabilitiesCol).isEmpty()) {
            out.add($(probabilitiesCol));
        }
        return out;
    }

    @Override
    public StructType transformSchema(StructType schema) {
        if (!isDefined(modelUri)) {
            throw new IllegalArgumentException("Cannot score with " + uid() + ": modelUri is not set. Set it to a "
                    + "registry version's model directory, e.g. data/models/intent/v3/model");
        }
        checkColumns(schema, "score", outputColumns());
        StructType out = schema;
        String label = $(modelLabel).isEmpty() ? $(modelUri) : $(modelLabel);
        out = out.add(new StructField(outputColumns().get(0), DataTypes.StringType, true,
                org.apache.spark.sql.types.Metadata.empty()).withComment("Most probable label (" + label + ")."));
        out = out.add(new StructField(outputColumns().get(1), DataTypes.DoubleType, true,
                org.apache.spark.sql.types.Metadata.empty()).withComment("Calibrated probability of the label."));
        out = out.add(new StructField(outputColumns().get(2), DataTypes.StringType, true,
                org.apache.spark.sql.types.Metadata.empty()).withComment(
                        "Top labels as JSON [{\"label\":..,\"p\":..}], best first."));
        out = out.add(new StructField(outputColumns().get(3), DataTypes.StringType, true,
                org.apache.spark.sql.types.Metadata.empty()).withComment(
                        "The label, or 'unknown' when the confidence is below the model's threshold."));
        if (!$(probabilitiesCol).isEmpty()) {
            out = out.add(new StructField(outputColumns().get(4), DataTypes.createArrayType(DataTypes.FloatType, false),
                    true, org.apache.spark.sql.types.Metadata.empty()).withComment(
                            "Probability of every label, in the model's label order."));
        }
        return out;
    }

    @Override
    public Dataset<Row> transform(Dataset<?> dataset) {
        StructType schema = transformSchema(dataset.schema());
        Configuration hadoop = dataset.sparkSession().sparkContext().hadoopConfiguration();
        String label = $(modelLabel).isEmpty() ? $(modelUri) : $(modelLabel);
        ModelSource source = ModelSource.of($(modelUri), label, hadoop);
        ClassifierSpec spec = ModelSource.readSpec($(modelUri), hadoop);
        if (!(Boolean) $(calibrated)) {
            spec = spec.withTemperature(1.0);
        }
        if (EmbeddingHead.isHead(spec)) {
            return transformHead(dataset.toDF(), schema, source, spec);
        }
        int textIndex = dataset.schema().fieldIndex($(inputCol()));
        return AppendColumns.apply(dataset, schema, (Integer) $(batchSize), new Classify(source, spec,
                (Integer) $(topK), DevicePreference.valueOf($(device).toUpperCase(Locale.ROOT)), textIndex,
                !$(probabilitiesCol).isEmpty()));
    }

    /**
     * A head on embeddings reads the vector of its base encoder's column ({@link EmbeddingStage#columnFor}) when an
     * earlier stage put it there (one encoder pass for every head of a pipeline); otherwise it takes the session's
     * stored vectors ({@link EmbeddingStore}), embeds the rest and drops the column again.
     */
    private Dataset<Row> transformHead(Dataset<Row> in, StructType schema, ModelSource source, ClassifierSpec spec) {
        BaseEncoder base = BaseEncoder.fromParams(spec.encoder().params());
        if (!$(encoderLocation).isEmpty()) {
            base = base.at($(encoderLocation));
        }
        String vectors = EmbeddingStage.columnFor(base);
        boolean given = java.util.Arrays.asList(in.columns()).contains(vectors);
        Dataset<Row> rows = EmbeddingStage.withVectors(in, $(inputCol()), base, (Integer) $(batchSize),
                DevicePreference.valueOf($(device).toUpperCase(Locale.ROOT)));
        StructType withOutputs = rows.schema();
        for (StructField f : schema.fields()) {
            if (!java.util.Arrays.asList(withOutputs.fieldNames()).contains(f.name())) {
                withOutputs = withOutputs.add(f);
            }
        }
        Dataset<Row> scored = AppendColumns.apply(rows, withOutputs, (Integer) $(batchSize), new HeadScore(source,
                spec, (Integer) $(topK), rows.schema().fieldIndex(vectors), rows.schema().fieldIndex($(inputCol())),
                !$(probabilitiesCol).isEmpty()));
        return given ? scored : scored.drop(vectors, vectors + EmbeddingStage.TRUNCATED_SUFFIX);
    }

    /**
     * The executor side of a head: the JVM's copy of its weights, applied row by row to the stored vectors (and to
     * the text's n-grams for a hybrid head).
     */
    private record HeadScore(ModelSource source, ClassifierSpec spec, int topK, int embeddingIndex, int textIndex,
            boolean probabilities) implements AppendColumns.Scorer {
        @Override
        public AppendColumns.Batch open() {
            EmbeddingHead head = ModelCache.head(source);
            TopKJson json = new TopKJson("label");
            return AppendColumns.Batch.eachRow(r -> {
                Object[] v = new Object[probabilities ? 5 : 4];
                if (!r.isNullAt(embeddingIndex)) {
                    Prediction p = head.predict(EmbeddingStore.vector(r, embeddingIndex), r.getString(textIndex),
                            spec, topK);
                    v[0] = p.label();
                    v[1] = (double) p.confidence();
                    v[2] = json.of(p);
                    v[3] = p.routedLabel();
                    if (probabilities) {
                        v[4] = EmbeddingStore.boxed(p.probabilities());
                    }
                }
                return v;
            });
        }
    }

    /**
     * The executor side: the task's predictor (opened on the first batch that has a text), the batch's texts
     * predicted together, null texts left null.
     */
    private record Classify(ModelSource source, ClassifierSpec spec, int topK, DevicePreference device, int textIndex,
            boolean probabilities) implements AppendColumns.Scorer {
        @Override
        public AppendColumns.Batch open() {
            TaskScoring[] task = new TaskScoring[1];
            TopKJson json = new TopKJson("label");
            return rows -> {
                List<String> texts = new ArrayList<>(rows.size());
                for (Row r : rows) {
                    if (!r.isNullAt(textIndex)) {
                        texts.add(r.getString(textIndex));
                    }
                }
                if (task[0] == null && !texts.isEmpty()) {
                    task[0] = TaskScoring.open(source, spec, topK, device);
                }
                List<Prediction> predictions = texts.isEmpty() ? List.of() : task[0].predict(texts);
                List<Object[]> out = new ArrayList<>(rows.size());
                int next = 0;
                for (Row r : rows) {
                    Object[] v = new Object[probabilities ? 5 : 4];
                    if (!r.isNullAt(textIndex)) {
                        Prediction p = predictions.get(next++);
                        v[0] = p.label();
                        v[1] = (double) p.confidence();
                        v[2] = json.of(p);
                        v[3] = p.routedLabel();
                        if (probabilities) {
                            v[4] = EmbeddingStore.boxed(p.probabilities());
                        }
                    }
                    out.add(v);
                }
                return out;
            };
        }

    }
}
