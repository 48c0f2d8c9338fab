package io.cxml.language;

import static org.apache.spark.sql.functions.udf;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Language detection as a Spark column. The function ships only the serializable {@link LanguageOptions}; each
 * executor JVM builds its Lingua detector once, on first use, through {@link LanguageDetector#forOptions}.
 */
public final class LanguageColumns {
    private LanguageColumns() {}

    /** Field of the result struct: ISO 639-1 code or {@link LanguageDetector#UNKNOWN}. */
    public static final String LANGUAGE = "language";
    /** Field of the result struct: confidence in [0, 1]. */
    public static final String CONFIDENCE = "confidence";

    /** Type of the column {@link #detect} returns. */
    public static final StructType RESULT =
            new StructType()
                    .add(LANGUAGE, DataTypes.StringType, false)
                    .add(CONFIDENCE, DataTypes.DoubleType, false);

    /**
     * @param text a string column
     * @param options the languages
     * @return a struct column {@code {language, confidence}}, never null
     */
    public static Column detect(Column text, LanguageOptions options) {
        return udfFor(options).apply(text);
    }

    /**
     * @param options the languages
     * @return the deterministic detection function, to register or apply
     */
    public static UserDefinedFunction udfFor(LanguageOptions options) {
        return udf(new Detect(options), RESULT).asNonNullable();
    }

    /** The function body: serializable, holds only the options. */
    private static final class Detect implements UDF1<String, Row> {
        private static final long serialVersionUID = 1L;
        private final LanguageOptions options;

        Detect(LanguageOptions options) {
            this.options = options;
        }

        @Override
        public Row call(String text) {
            LanguageDetector.Detection d = LanguageDetector.forOptions(options).detect(text);
            return RowFactory.create(d.language(), d.confidence());
        }
    }
}
