package io.cxml.runtime.routing;

import io.cxml.features.TrainingColumns;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;

/**
 * Columns of routing rows, at training and at scoring: {@link TrainingColumns#TEXT}, {@link TrainingColumns#LABEL}
 * (the team; absent when scoring), {@link TrainingColumns#LANGUAGE}, {@link TrainingColumns#TENANT},
 * {@link TrainingColumns#EVENT_TIME}, {@link #CHANNEL}, {@link #PRIORITY}, optionally {@link #INTENT} (the intent
 * model's probabilities), {@link #TEAM_LOAD}, the numeric features by name and, when the version reads embeddings,
 * the base encoder's vector column ({@link EmbeddingProjection#column()}). {@link #of} resolves them once on the
 * driver so the executors read rows by position.
 *
 * @param text text position
 * @param team team position, -1 when absent
 * @param language language position, -1 when absent
 * @param tenant tenant position, -1 when absent
 * @param channel channel position, -1 when absent
 * @param priority priority position, -1 when absent
 * @param intent intent-probabilities position, -1 when absent
 * @param teamLoad team-load position, -1 when absent
 * @param numeric positions of the numeric features (-1: absent)
 * @param embedding position of the embedding column, -1 when absent
 * @param intentOrder for each intent label the model reads, its position in the row's probabilities (-1: that
 *     intent model lacks it), or null when the row's probabilities are in the model's own label order
 */
public record RoutingColumns(int text, int team, int language, int tenant, int channel, int priority, int intent,
        int teamLoad, int[] numeric, int embedding, int[] intentOrder) implements Serializable {
    private static final long serialVersionUID = 1L;
    /** Channel column. */
    public static final String CHANNEL = "channel";
    /** Priority column. */
    public static final String PRIORITY = "priority";
    /** The intent model's probabilities (array of float, in the intent model's label order). */
    public static final String INTENT = "intent_probabilities";
    /** Open tickets per team of the tenant as of the ticket's creation (map of string to long). */
    public static final String TEAM_LOAD = "team_load";

    /**
     * @param schema the rows' schema
     * @param features the features the model reads (numeric columns, embedding column)
     * @param textColumn the text column
     * @return the positions
     */
    public static RoutingColumns of(StructType schema, RoutingFeatures features, String textColumn) {
        List<String> numericColumns = features.numericColumns();
        List<String> names = Arrays.asList(schema.fieldNames());
        if (!names.contains(textColumn)) {
            throw new IllegalArgumentException("Cannot route: no text column '" + textColumn + "' (columns: "
                    + names + ")");
        }
        int[] numeric = numericColumns.stream().mapToInt(names::indexOf).toArray();
        return new RoutingColumns(names.indexOf(textColumn), names.indexOf(TrainingColumns.LABEL),
                names.indexOf(TrainingColumns.LANGUAGE), names.indexOf(TrainingColumns.TENANT),
                names.indexOf(CHANNEL), names.indexOf(PRIORITY), names.indexOf(INTENT), names.indexOf(TEAM_LOAD),
                numeric, features.embedding() == null ? -1 : names.indexOf(features.embedding().column()), null);
    }

    /**
     * Reads the probabilities by label name: the intent model that scores now may be another version than the one
     * the routing model was trained with (an intent retrain adds or reorders classes), and position alone would then
     * feed one class's probability in place of another's.
     *
     * @param given the labels of the intent model producing the row's probabilities, in its order
     * @param expected the labels the routing model reads ({@link RoutingFeatures#intentLabels()}), in its order
     * @return the positions, remapped; the expected labels the given model lacks read as 0. Unchanged when the labels
     *     agree, or when either side has none (no intent input, or a routing model that reads none)
     */
    public RoutingColumns withIntentLabels(List<String> given, List<String> expected) {
        if (given.isEmpty() || expected.isEmpty() || given.equals(expected)) {
            return this;
        }
        Map<String, Integer> at = new HashMap<>();
        for (int i = 0; i < given.size(); i++) {
            at.put(given.get(i), i);
        }
        int[] order = expected.stream().mapToInt(l -> at.getOrDefault(l, -1)).toArray();
        return new RoutingColumns(text, team, language, tenant, channel, priority, intent, teamLoad, numeric, embedding,
                order);
    }

    /**
     * @param r a row
     * @return the example it holds
     */
    public RoutingExample example(Row r) {
        float[] intentProbabilities = intent >= 0 && !r.isNullAt(intent) ? reorder(floats(r.get(intent))) : null;
        double[] values = new double[numeric.length];
        for (int i = 0; i < numeric.length; i++) {
            int at = numeric[i];
            Object v = at < 0 || r.isNullAt(at) ? null : r.get(at);
            values[i] = v instanceof Number n ? n.doubleValue() : v instanceof Boolean b ? (b ? 1 : 0) : Double.NaN;
        }
        Map<String, Long> load = null;
        if (teamLoad >= 0 && !r.isNullAt(teamLoad)) {
            load = new HashMap<>();
            for (Map.Entry<Object, Object> e : r.<Object, Object>getJavaMap(teamLoad).entrySet()) {
                load.put(String.valueOf(e.getKey()), ((Number) e.getValue()).longValue());
            }
        }
        float[] vector = embedding >= 0 && !r.isNullAt(embedding) ? floats(r.get(embedding)) : null;
        return new RoutingExample(string(r, tenant), string(r, team), string(r, text), string(r, language),
                string(r, channel), string(r, priority), intentProbabilities, values, load, vector);
    }

    private float[] reorder(float[] p) {
        if (intentOrder == null) {
            return p;
        }
        float[] out = new float[intentOrder.length];
        for (int i = 0; i < out.length; i++) {
            int from = intentOrder[i];
            out[i] = from >= 0 && from < p.length ? p[from] : 0f;
        }
        return out;
    }

    /**
     * The value as Spark hands it over: a Seq after a round trip through the encoder, or the array the previous
     * stage put in the row when Spark elides the round trip between two mapPartitions.
     */
    private static float[] floats(Object v) {
        List<?> values = v instanceof scala.collection.Seq<?> seq ? scala.jdk.javaapi.CollectionConverters.asJava(seq)
                : v instanceof Object[] array ? java.util.Arrays.asList(array)
                : v instanceof List<?> list ? list : null;
        if (values == null) {
            if (v instanceof float[] f) {
                return f;
            }
            throw new IllegalArgumentException("Cannot read an array of float column: unexpected "
                    + v.getClass().getName());
        }
        float[] out = new float[values.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = ((Number) values.get(i)).floatValue();
        }
        return out;
    }

    private static String string(Row r, int at) {
        return at < 0 || r.isNullAt(at) ? null : String.valueOf(r.get(at));
    }

    /**
     * @param schema a schema
     * @param candidates numeric feature candidates
     * @return those present in the schema, in order
     */
    public static List<String> present(StructType schema, List<String> candidates) {
        List<String> names = Arrays.asList(schema.fieldNames());
        List<String> out = new ArrayList<>();
        for (String c : candidates) {
            if (names.contains(c)) {
                out.add(c);
            }
        }
        return out;
    }
}
