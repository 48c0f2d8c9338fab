package io.cxml.runtime.stages;

import ai.djl.Device;
import io.cxml.runtime.embedding.BaseEncoder;
import io.cxml.runtime.embedding.EmbeddingStore;
import io.cxml.runtime.executor.DevicePreference;
import io.cxml.runtime.executor.DeviceSelector;
import io.cxml.runtime.executor.ModelCache;
import io.cxml.runtime.text.pretrained.SentenceEmbedder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.SparkContext;
import org.apache.spark.TaskContext;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.util.LongAccumulator;

/**
 * Embeds a text column with a frozen pretrained base encoder on the executors: {@code <prefix>} (the sentence
 * embedding as the folder defines it: its prompt, pooling and normalization; array of float) and
 * {@code <prefix>_truncated} (whether the text had more tokens than {@code maxTokens} and was cut). Texts are
 * lowercased first, the normalization of the {@code ticket_text} view, so a vector stored for a ticket equals the one
 * computed for its text anywhere else. A null or blank text gives null outputs.
 *
 * <p>When the input already has the output columns (vectors read back from the {@code ticket_embedding} view), only
 * the rows whose vector is null are embedded: one encoder pass per ticket, whoever reads it. Inside: each executor
 * JVM loads the encoder once per device and its tasks share it; a task embeds {@code batchSize} rows at a time,
 * ordered by length and padded per chunk, on the task's GPU when Spark assigned one.
 */
public final class EmbeddingStage extends TextColumnStage<EmbeddingStage> {
    private static final long serialVersionUID = 1L;
    /** Default output column. */
    public static final String EMBEDDING = EmbeddingStore.EMBEDDING;
    /** Suffix of the truncation flag column. */
    public static final String TRUNCATED_SUFFIX = "_truncated";
    private static final String NEW = "_new";
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(EmbeddingStage.class);

    private Param<String> encoderLocation;
    private Param<String> encoderName;
    private Param<String> encoderChecksum;
    private IntParam maxTokens;
    private IntParam batchSize;
    private Param<String> device;
    private transient Counts counts;

    /** A stage with a random uid. */
    public EmbeddingStage() {
        this("cxmlEmbedding_" + java.util.UUID.randomUUID().toString().substring(24));
    }

    /**
     * @param uid the stage's uid (used when loading a saved stage)
     */
    public EmbeddingStage(String uid) {
        super(uid, EMBEDDING);
        encoderLocation = new Param<>(this, "encoderLocation", "the base encoder's Hugging Face folder (local or "
                + "s3a://, readable by every executor)");
        encoderName = new Param<>(this, "encoderName", "the base encoder's name (logs)");
        encoderChecksum = new Param<>(this, "encoderChecksum", "SHA-256 of the folder's files: executors refuse "
                + "another encoder");
        maxTokens = new IntParam(this, "maxTokens", "most tokens per text (longer texts are truncated)",
                ParamValidators.gtEq(2));
        batchSize = new IntParam(this, "batchSize", "rows per encoder call inside a task", ParamValidators.gtEq(1));
        device = new Param<>(this, "device", "auto (the task's GPU when assigned, else CPU), cpu or gpu",
                (String s) -> Arrays.asList("auto", "cpu", "gpu").contains(s));
        setDefault(encoderName, "");
        setDefault(batchSize, 256);
        setDefault(device, "auto");
    }

    /** @return a reader for saved stages */
    public static MLReader<EmbeddingStage> read() {
        return new DefaultParamsReader<>();
    }

    /** @return the encoder folder param */
    public Param<String> encoderLocation() {
        return encoderLocation;
    }

    /** @return the encoder name param */
    public Param<String> encoderName() {
        return encoderName;
    }

    /** @return the encoder checksum param */
    public Param<String> encoderChecksum() {
        return encoderChecksum;
    }

    /** @return the token limit param */
    public IntParam maxTokens() {
        return maxTokens;
    }

    /** @return the rows-per-call param */
    public IntParam batchSize() {
        return batchSize;
    }

    /** @return the device param */
    public Param<String> device() {
        return device;
    }

    /**
     * @param base the base encoder (location, checksum, token limit)
     * @return this
     */
    public EmbeddingStage setEncoder(BaseEncoder base) {
        set(encoderLocation, base.location());
        set(encoderName, base.name());
        set(encoderChecksum, base.checksum());
        set(maxTokens, base.maxTokens());
        return this;
    }

    /** @return the base encoder the stage embeds with */
    public BaseEncoder encoder() {
        if (!isDefined(encoderLocation) || !isDefined(encoderChecksum) || !isDefined(maxTokens)) {
            throw new IllegalArgumentException("Cannot embed with " + uid() + ": no base encoder. Call setEncoder");
        }
        return new BaseEncoder($(encoderLocation), $(encoderName), $(encoderChecksum), (Integer) $(maxTokens));
    }

    /**
     * @param value rows per encoder call
     * @return this
     */
    public EmbeddingStage setBatchSize(int value) {
        set(batchSize, value);
        return this;
    }

    /**
     * @param value where the stage embeds
     * @return this
     */
    public EmbeddingStage setDevice(DevicePreference value) {
        set(device, value.name().toLowerCase(Locale.ROOT));
        return this;
    }

    /**
     * Counts the texts this stage's next transform embeds and truncates (accumulators: a re-run task counts again).
     *
     * @param spark the session's context
     * @return the counters, read after an action on the result
     */
    public Counts countWith(SparkContext spark) {
        counts = new Counts(spark.longAccumulator("cxml.embedded"), spark.longAccumulator("cxml.truncated"));
        return counts;
    }

    /**
     * @param base an encoder
     * @return the column its vectors go to in a pipeline, so that every head on that encoder (and token limit) finds
     *     them
     */
    public static String columnFor(BaseEncoder base) {
        return base.column();
    }

    /**
     * For selects that narrow rows before a head scores them: the given columns plus every embedding column already
     * there ({@link #columnFor}), so the head reads the vectors instead of embedding the texts again.
     *
     * @param rows the rows
     * @param columns the columns wanted
     * @return those columns and the rows' embedding columns
     */
    public static Column[] keepingEmbeddings(Dataset<?> rows, String... columns) {
        List<Column> out = new ArrayList<>();
        for (String c : columns) {
            out.add(functions.col(c));
        }
        for (String c : rows.columns()) {
            if (c.startsWith(EMBEDDING + "_") && !Arrays.asList(columns).contains(c)) {
                out.add(functions.col(c));
            }
        }
        return out.toArray(new Column[0]);
    }

    /**
     * The rows with the encoder's vector column ({@link #columnFor}): unchanged when an earlier stage put it there,
     * else the session's stored vectors ({@link EmbeddingStore}) and the rest embedded on the executors.
     *
     * @param rows the rows
     * @param textCol their text column
     * @param base the encoder
     * @param batchSize rows per encoder call
     * @param device device preference
     * @return the rows with the vector column and its truncation flag
     */
    public static Dataset<Row> withVectors(Dataset<Row> rows, String textCol, BaseEncoder base, int batchSize,
            DevicePreference device) {
        EmbeddingStage embed = new EmbeddingStage().setInputCol(textCol).setEncoder(base)
                .setOutputPrefix(columnFor(base)).setBatchSize(batchSize).setDevice(device);
        if (Arrays.asList(rows.columns()).contains(embed.embeddingCol())) {
            return rows;
        }
        return embed.transform(EmbeddingStore.attach(rows, textCol, base, embed.embeddingCol(),
                embed.truncatedCol()));
    }

    /** @return the embedding column */
    public String embeddingCol() {
        return $(outputPrefix());
    }

    /** @return the truncation flag column */
    public String truncatedCol() {
        return $(outputPrefix()) + TRUNCATED_SUFFIX;
    }

    @Override
    public StructType transformSchema(StructType schema) {
        encoder();
        String in = $(inputCol());
        if (!Arrays.asList(schema.fieldNames()).contains(in)
                || !schema.apply(in).dataType().equals(DataTypes.StringType)) {
            throw new IllegalArgumentException("Cannot embed with " + uid() + ": input column '" + in + "' is missing"
                    + " or not a string (columns: " + String.join(", ", schema.fieldNames()) + "). Set inputCol");
        }
        StructType out = schema;
        out = withColumn(out, embeddingCol(), DataTypes.createArrayType(DataTypes.FloatType),
                "Sentence embedding of the lowercased text by " + encoder() + ".");
        out = withColumn(out, truncatedCol(), DataTypes.BooleanType,
                "Whether the text had more than " + $(maxTokens) + " tokens and was truncated.");
        return out;
    }

    private static StructType withColumn(StructType schema, String name, DataType type, String comment) {
        if (Arrays.asList(schema.fieldNames()).contains(name)) {
            if (!schema.apply(name).dataType().simpleString().equals(type.simpleString())) {
                throw new IllegalArgumentException("Cannot embed into column '" + name + "': it exists as "
                        + schema.apply(name).dataType().simpleString() + ", not " + type.simpleString());
            }
            return schema;
        }
        return schema.add(new StructField(name, type, true, Metadata.empty()).withComment(comment));
    }

    @Override
    public Dataset<Row> transform(Dataset<?> dataset) {
        StructType target = transformSchema(dataset.schema());
        List<String> have = Arrays.asList(dataset.schema().fieldNames());
        Dataset<Row> in = dataset.toDF();
        if (!have.contains(embeddingCol())) {
            in = in.withColumn(embeddingCol(), functions.lit(null).cast(target.apply(embeddingCol()).dataType()));
        }
        if (!have.contains(truncatedCol())) {
            in = in.withColumn(truncatedCol(), functions.lit(null).cast(DataTypes.BooleanType));
        }
        StructType schema = in.schema()
                .add(embeddingCol() + NEW, DataTypes.createArrayType(DataTypes.FloatType), true)
                .add(truncatedCol() + NEW, DataTypes.BooleanType, true);
        Map<String, String> hadoop = new HashMap<>();
        dataset.sparkSession().sparkContext().hadoopConfiguration().forEach(e -> hadoop.put(e.getKey(),
                e.getValue()));
        Embed embed = new Embed(encoder(), DevicePreference.valueOf($(device).toUpperCase(Locale.ROOT)), hadoop,
                in.schema().fieldIndex($(inputCol())), in.schema().fieldIndex(embeddingCol()),
                counts == null ? null : counts.embedded, counts == null ? null : counts.truncated);
        counts = null;
        Dataset<Row> appended = AppendColumns.apply(in, schema, (Integer) $(batchSize), embed);
        Column stored = functions.col(embeddingCol());
        List<Column> out = new ArrayList<>();
        for (String c : in.columns()) {
            if (c.equals(embeddingCol())) {
                out.add(functions.when(stored.isNotNull(), stored).otherwise(functions.col(c + NEW)).as(c));
            } else if (c.equals(truncatedCol())) {
                out.add(functions.when(stored.isNotNull(), functions.col(c))
                        .otherwise(functions.col(c + NEW)).as(c));
            } else {
                out.add(functions.col(c));
            }
        }
        return appended.select(out.toArray(new Column[0]));
    }

    /** Counters of one transform. */
    public record Counts(LongAccumulator embedded, LongAccumulator truncated) {}

    /**
     * The executor side: the rows without a vector and with a text are embedded together by the JVM's shared
     * encoder; the others get nulls (their stored vector is kept by the select that follows).
     */
    private record Embed(BaseEncoder base, DevicePreference device, Map<String, String> hadoop, int textIndex,
            int storedIndex, LongAccumulator embedded, LongAccumulator truncated)
            implements AppendColumns.Scorer {
        @Override
        public AppendColumns.Batch open() {
            SentenceEmbedder[] encoder = new SentenceEmbedder[1];
            long[] progress = {0, 2000}; // texts embedded by this task, next count to log at
            long started = System.nanoTime();
            return rows -> {
                List<String> texts = new ArrayList<>();
                int[] at = new int[rows.size()];
                for (int i = 0; i < rows.size(); i++) {
                    Row r = rows.get(i);
                    at[i] = -1;
                    if (r.isNullAt(storedIndex) && !r.isNullAt(textIndex) && !r.getString(textIndex).isBlank()) {
                        at[i] = texts.size();
                        texts.add(normalize(r.getString(textIndex)));
                    }
                }
                float[][] vectors = new float[0][];
                boolean[] cut = new boolean[0];
                if (!texts.isEmpty()) {
                    if (encoder[0] == null) {
                        TaskContext task = TaskContext.get();
                        Device d = DeviceSelector.select(device, task == null ? Map.of() : task.resourcesJMap());
                        encoder[0] = ModelCache.encoder(base, d, hadoop);
                    }
                    SentenceEmbedder.Embedded done = encoder[0].embedAll(texts);
                    vectors = done.vectors();
                    cut = done.truncated();
                    if (LOG.isInfoEnabled() && (progress[0] += texts.size()) >= progress[1]) {
                        TaskContext task = TaskContext.get();
                        LOG.info("embedded {} texts in task {} ({} texts/s)", progress[0],
                                task == null ? "-" : task.taskAttemptId(), String.format("%.0f",
                                        progress[0] / Math.max(1e-9, (System.nanoTime() - started) / 1e9)));
                        progress[1] = progress[0] + 2000;
                    }
                    if (embedded != null) {
                        embedded.add(texts.size());
                    }
                }
                List<Object[]> out = new ArrayList<>(rows.size());
                for (int i = 0; i < rows.size(); i++) {
                    Object[] v = new Object[2];
                    if (at[i] >= 0) {
                        v[0] = EmbeddingStore.boxed(vectors[at[i]]);
                        v[1] = cut[at[i]];
                        if (cut[at[i]] && truncated != null) {
                            truncated.add(1);
                        }
                    }
                    out.add(v);
                }
                return out;
            };
        }
    }

    /**
     * @param text a text
     * @return what the encoder reads of it: the text lowercased, as {@code ticket_text} normalizes it
     */
    public static String normalize(String text) {
        return text.toLowerCase(Locale.ROOT);
    }
}
