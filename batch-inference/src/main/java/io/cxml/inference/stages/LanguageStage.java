package io.cxml.inference.stages;

import io.cxml.language.LanguageDetector;
import io.cxml.language.LanguageOptions;
import java.util.Arrays;
import java.util.Iterator;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.ml.Transformer;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.param.StringArrayParam;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWritable;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Detects the language of a text column on the executors (Lingua restricted to the configured languages, one
 * detector per executor JVM). Adds {@code <prefix>} (ISO 639-1 code, {@code und} when it cannot tell) and
 * {@code <prefix>_confidence}.
 */
public final class LanguageStage extends Transformer implements DefaultParamsWritable {
    private static final long serialVersionUID = 1L;

    private final String uid;
    private Param<String> inputCol;
    private Param<String> outputPrefix;
    private StringArrayParam languages;

    /** A stage with a random uid. */
    public LanguageStage() {
        this("cxmlLanguage_" + java.util.UUID.randomUUID().toString().substring(24));
    }

    /**
     * @param uid the stage's uid
     */
    public LanguageStage(String uid) {
        this.uid = uid;
        inputCol = new Param<>(this, "inputCol", "text column");
        outputPrefix = new Param<>(this, "outputPrefix", "prefix of the output columns",
                (String s) -> s.matches("[a-z][a-z0-9_]*"));
        languages = new StringArrayParam(this, "languages", "ISO 639-1 codes the detector may answer");
        setDefault(inputCol, "text");
        setDefault(outputPrefix, "language");
        setDefault(languages, LanguageOptions.LANGUAGES_DEFAULT.toArray(new String[0]));
    }

    /** @return a reader for saved stages */
    public static MLReader<LanguageStage> read() {
        return new DefaultParamsReader<>();
    }

    /**
     * @param path where a stage was saved
     * @return the stage
     */
    public static LanguageStage load(String path) {
        return read().load(path);
    }

    @Override
    public String uid() {
        return uid;
    }

    /** @return the input column param */
    public Param<String> inputCol() {
        return inputCol;
    }

    /** @return the output prefix param */
    public Param<String> outputPrefix() {
        return outputPrefix;
    }

    /** @return the languages param */
    public StringArrayParam languages() {
        return languages;
    }

    /**
     * @param value the input column
     * @return this
     */
    public LanguageStage setInputCol(String value) {
        set(inputCol, value);
        return this;
    }

    /**
     * @param value the output prefix
     * @return this
     */
    public LanguageStage setOutputPrefix(String value) {
        set(outputPrefix, value);
        return this;
    }

    /**
     * @param value ISO 639-1 codes
     * @return this
     */
    public LanguageStage setLanguages(String... value) {
        new LanguageOptions(Arrays.asList(value)); // fails now, naming the bad code, not on an executor
        set(languages, value);
        return this;
    }

    @Override
    public StructType transformSchema(StructType schema) {
        String in = $(inputCol);
        if (!Arrays.asList(schema.fieldNames()).contains(in)
                || !schema.apply(in).dataType().equals(DataTypes.StringType)) {
            throw new IllegalArgumentException("Cannot detect languages with " + uid + ": input column '" + in
                    + "' is missing or not a string (columns: " + String.join(", ", schema.fieldNames()) + ")");
        }
        String p = $(outputPrefix);
        for (String c : new String[] {p, p + "_confidence"}) {
            if (Arrays.asList(schema.fieldNames()).contains(c)) {
                throw new IllegalArgumentException("Cannot detect languages with " + uid + ": output column '" + c
                        + "' exists already. Set another outputPrefix");
            }
        }
        return schema.add(new StructField(p, DataTypes.StringType, false, Metadata.empty())
                        .withComment("Detected language (ISO 639-1), 'und' when it cannot be told."))
                .add(new StructField(p + "_confidence", DataTypes.DoubleType, false, Metadata.empty())
                        .withComment("Confidence of the detected language."));
    }

    @Override
    public Dataset<Row> transform(Dataset<?> dataset) {
        StructType schema = transformSchema(dataset.schema());
        LanguageOptions options = new LanguageOptions(Arrays.asList($(languages)));
        int textIndex = Arrays.asList(dataset.schema().fieldNames()).indexOf($(inputCol));
        return dataset.toDF().mapPartitions(new Detect(options, textIndex), Encoders.row(schema));
    }

    @Override
    public LanguageStage copy(ParamMap extra) {
        return defaultCopy(extra);
    }

    private record Detect(LanguageOptions options, int textIndex) implements MapPartitionsFunction<Row, Row> {
        @Override
        public Iterator<Row> call(Iterator<Row> rows) {
            LanguageDetector detector = LanguageDetector.forOptions(options);
            return new Iterator<>() {
                @Override
                public boolean hasNext() {
                    return rows.hasNext();
                }

                @Override
                public Row next() {
                    Row r = rows.next();
                    LanguageDetector.Detection d = detector.detect(r.isNullAt(textIndex) ? null : r.getString(textIndex));
                    Object[] values = new Object[r.size() + 2];
                    for (int i = 0; i < r.size(); i++) {
                        values[i] = r.get(i);
                    }
                    values[r.size()] = d.language();
                    values[r.size() + 1] = d.confidence();
                    return RowFactory.create(values);
                }
            };
        }
    }
}
