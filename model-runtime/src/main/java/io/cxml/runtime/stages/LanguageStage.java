package io.cxml.runtime.stages;

import io.cxml.language.LanguageDetector;
import io.cxml.language.LanguageOptions;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.ml.param.StringArrayParam;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Detects the language of a text column on the executors (Lingua restricted to the configured languages, one
 * detector per executor JVM). Adds {@code <prefix>} (ISO 639-1 code, {@code und} when it cannot tell) and
 * {@code <prefix>_confidence}.
 */
public final class LanguageStage extends TextColumnStage<LanguageStage> {
    private static final long serialVersionUID = 1L;

    private final StringArrayParam languages;

    /** A stage with a random uid. */
    public LanguageStage() {
        this("cxmlLanguage_" + java.util.UUID.randomUUID().toString().substring(24));
    }

    /**
     * @param uid the stage's uid
     */
    public LanguageStage(String uid) {
        super(uid, "language");
        languages = new StringArrayParam(this, "languages", "ISO 639-1 codes the detector may answer");
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

    /** @return the languages param */
    public StringArrayParam languages() {
        return languages;
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

    /** @return the names of the columns this stage adds, in order */
    public List<String> outputColumns() {
        return List.of($(outputPrefix()), $(outputPrefix()) + "_confidence");
    }

    @Override
    public StructType transformSchema(StructType schema) {
        checkColumns(schema, "detect languages", outputColumns());
        return schema.add(new StructField(outputColumns().get(0), DataTypes.StringType, false, Metadata.empty())
                        .withComment("Detected language (ISO 639-1), 'und' when it cannot be told."))
                .add(new StructField(outputColumns().get(1), DataTypes.DoubleType, false, Metadata.empty())
                        .withComment("Confidence of the detected language."));
    }

    @Override
    public Dataset<Row> transform(Dataset<?> dataset) {
        StructType schema = transformSchema(dataset.schema());
        LanguageOptions options = new LanguageOptions(Arrays.asList($(languages)));
        int textIndex = dataset.schema().fieldIndex($(inputCol()));
        return AppendColumns.apply(dataset, schema, 256, new Detect(options, textIndex));
    }

    /** The executor side: the JVM's detector for the languages, one detection per row. */
    private record Detect(LanguageOptions options, int textIndex) implements AppendColumns.Scorer {
        @Override
        public AppendColumns.Batch open() {
            LanguageDetector detector = LanguageDetector.forOptions(options);
            return AppendColumns.Batch.eachRow(r -> {
                LanguageDetector.Detection d = detector.detect(r.isNullAt(textIndex) ? null : r.getString(textIndex));
                return new Object[] {d.language(), d.confidence()};
            });
        }
    }
}
