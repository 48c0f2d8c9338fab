package io.cxml.runtime.stages;

import java.util.Arrays;
import org.apache.spark.ml.Transformer;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.DefaultParamsWritable;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * What cxml's stages share: a uid, a string input column, a prefix for the columns they add, the schema checks made
 * before any data is read, and the row append of the executor side.
 *
 * @param <S> the concrete stage (setters return it)
 */
public abstract class TextColumnStage<S extends TextColumnStage<S>> extends Transformer
        implements DefaultParamsWritable {
    private static final long serialVersionUID = 1L;

    private final String uid;
    private final Param<String> inputCol;
    private final Param<String> outputPrefix;

    /**
     * @param uid the stage's uid
     * @param defaultPrefix the default output prefix
     */
    protected TextColumnStage(String uid, String defaultPrefix) {
        this.uid = uid;
        inputCol = new Param<>(this, "inputCol", "text column");
        outputPrefix = new Param<>(this, "outputPrefix", "prefix of the output columns, e.g. " + defaultPrefix,
                (String s) -> s.matches("[a-z][a-z0-9_]*"));
        setDefault(inputCol, "text");
        setDefault(outputPrefix, defaultPrefix);
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

    /**
     * @param value the input column
     * @return this
     */
    public S setInputCol(String value) {
        set(inputCol, value);
        return self();
    }

    /**
     * @param value the output prefix
     * @return this
     */
    public S setOutputPrefix(String value) {
        set(outputPrefix, value);
        return self();
    }

    @SuppressWarnings("unchecked")
    private S self() {
        return (S) this;
    }

    @Override
    public S copy(ParamMap extra) {
        return defaultCopy(extra);
    }

    /**
     * Checks that the input column is a string column and that none of {@code outputs} exists yet.
     *
     * @param schema the input schema
     * @param what what the stage does, for the message (e.g. "score")
     * @param outputs the columns the stage adds
     * @return the index of the input column
     */
    protected int checkColumns(StructType schema, String what, Iterable<String> outputs) {
        String in = $(inputCol);
        if (!Arrays.asList(schema.fieldNames()).contains(in)) {
            throw new IllegalArgumentException("Cannot " + what + " with " + uid + ": input column '" + in
                    + "' is missing (columns: " + String.join(", ", schema.fieldNames()) + "). Set inputCol");
        }
        if (!schema.apply(in).dataType().equals(DataTypes.StringType)) {
            throw new IllegalArgumentException("Cannot " + what + " with " + uid + ": input column '" + in + "' is "
                    + schema.apply(in).dataType().simpleString() + ", not string");
        }
        for (String c : outputs) {
            if (Arrays.asList(schema.fieldNames()).contains(c)) {
                throw new IllegalArgumentException("Cannot " + what + " with " + uid + ": output column '" + c
                        + "' exists already. Set another outputPrefix");
            }
        }
        return schema.fieldIndex(in);
    }
}
