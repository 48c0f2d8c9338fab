package io.cxml.features;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.last;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.to_json;
import static org.apache.spark.sql.functions.unix_micros;
import static org.apache.spark.sql.functions.when;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.MapType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * As-of join without a join: each label row gets, per entity, the latest feature event whose event time is at or
 * before the label time, or null when that event is older than the TTL.
 *
 * <p>Labels and events are unioned, sorted by (entity, time, events-before-labels, tie-breaker) inside each entity
 * partition, and the whole event (a struct, so values of different events never mix) is carried forward with {@code
 * last(event, ignoreNulls)} over {@code rowsBetween(unboundedPreceding, currentRow)}. Cost is one shuffle and one
 * sort of labels + events, linear in their sizes, instead of the entity-wise cross product of a join-then-filter.
 *
 * <p>Rules: an event at exactly the label time joins (event time &lt;= label time, the view contract guarantees its
 * values were knowable then); one a microsecond later does not. Several events with the same entity and time resolve
 * to the greatest by the tie-breaker (by default the JSON of the feature values), whatever the input order. A label
 * with a null entity or time gets nulls. Label rows and their columns are kept as they are, duplicates included.
 */
public final class PointInTimeJoin {
    private static final String TS = "_pit_ts";
    private static final String KIND = "_pit_kind";
    private static final String EVENT = "_pit_event";
    private static final String TIE = "_pit_tie";
    private static final String CARRIED = "_pit_carried";
    private static final int KIND_EVENT = 0;
    private static final int KIND_LABEL = 1;
    /** Field of the carried struct holding the event time. */
    static final String EVENT_TIME_FIELD = "_event_time";
    /** TTLs from here on mean "no limit" (and stay clear of overflowing microseconds). */
    private static final Duration MAX_TTL = Duration.ofDays(100_000);

    private PointInTimeJoin() {}

    /**
     * What to join from one feature source.
     *
     * @param entityKey entity column, present with this name in both the labels and the events
     * @param eventTimeColumn timestamp column of the events
     * @param features feature columns to bring
     * @param ttl maximum label time minus event time; null for no limit
     * @param prefix prefix of the output columns ({@code <prefix><feature>}, {@code <prefix>event_time})
     * @param tieBreaker orders events with the same entity and time (greatest wins); null for the feature values
     */
    public record Spec(String entityKey, String eventTimeColumn, List<String> features, Duration ttl, String prefix,
            Column tieBreaker) {
        /** Copies and checks. */
        public Spec {
            features = List.copyOf(features);
            if (features.isEmpty()) {
                throw new IllegalArgumentException("Cannot join features: no feature column. Name at least one");
            }
        }

        /**
         * @param view a view definition
         * @param prefix output prefix, e.g. {@code customer_history__}
         * @return the spec joining all of the view's features with its TTL
         */
        public static Spec of(FeatureViewDefinition view, String prefix) {
            return new Spec(view.entityKey(), view.eventTimeColumn(), Arrays.asList(view.features().fieldNames()),
                    view.ttl(), prefix, null);
        }

        /** @return the output column holding the joined event's time */
        public String eventTimeOutput() {
            return prefix + "event_time";
        }
    }

    /**
     * Joins.
     *
     * @param labels label rows; must hold {@code spec.entityKey()} and {@code labelTimeColumn}
     * @param labelTimeColumn timestamp (or date) column of the labels
     * @param events feature events; must hold the entity key, event time and features
     * @param spec what to join
     * @return the label rows, in no particular order, with {@code <prefix>event_time} and the prefixed features added
     */
    public static Dataset<Row> asOf(Dataset<Row> labels, String labelTimeColumn, Dataset<Row> events, Spec spec) {
        check(labels, "labels", spec.entityKey(), labelTimeColumn);
        List<String> eventColumns = new ArrayList<>(List.of(spec.entityKey(), spec.eventTimeColumn()));
        eventColumns.addAll(spec.features());
        check(events, "events", eventColumns.toArray(new String[0]));
        for (String f : spec.features()) {
            String out = spec.prefix() + f;
            if (Arrays.asList(labels.columns()).contains(out)) {
                throw new IllegalArgumentException("Cannot join features: the labels already have a column " + out
                        + ". Use another prefix or drop the column");
            }
        }

        Column[] featureCols = spec.features().stream().map(c -> col(c)).toArray(Column[]::new);
        List<Column> carried = new ArrayList<>();
        carried.add(col(spec.eventTimeColumn()).as(EVENT_TIME_FIELD));
        carried.addAll(Arrays.asList(featureCols));
        Column tie = spec.tieBreaker() != null ? spec.tieBreaker()
                : defaultTieBreaker(events.schema(), spec.features());

        Dataset<Row> eventSide = events
                .filter(col(spec.entityKey()).isNotNull().and(col(spec.eventTimeColumn()).isNotNull()))
                .select(
                        col(spec.entityKey()).cast(labels.schema().apply(spec.entityKey()).dataType())
                                .as(spec.entityKey()),
                        col(spec.eventTimeColumn()).cast(DataTypes.TimestampType).as(TS),
                        lit(KIND_EVENT).as(KIND),
                        struct(carried.toArray(new Column[0])).as(EVENT),
                        tie.as(TIE));
        StructType eventType = (StructType) eventSide.schema().apply(EVENT).dataType();
        Dataset<Row> labelSide = labels
                .withColumn(TS, col(labelTimeColumn).cast(DataTypes.TimestampType))
                .withColumn(KIND, lit(KIND_LABEL))
                .withColumn(EVENT, lit(null).cast(eventType))
                .withColumn(TIE, lit(null).cast(eventSide.schema().apply(TIE).dataType()));

        WindowSpec upToHere = Window.partitionBy(col(spec.entityKey()))
                .orderBy(col(TS).asc_nulls_first(), col(KIND).asc(), col(TIE).asc_nulls_first())
                .rowsBetween(Window.unboundedPreceding(), Window.currentRow());
        Dataset<Row> carriedForward = labelSide.unionByName(eventSide, true)
                .withColumn(CARRIED, last(col(EVENT), true).over(upToHere))
                .filter(col(KIND).equalTo(KIND_LABEL));

        Column fresh = col(CARRIED).isNotNull().and(col(TS).isNotNull());
        if (spec.ttl() != null && spec.ttl().compareTo(MAX_TTL) < 0) {
            long ttlMicros = spec.ttl().toNanos() / 1_000L;
            fresh = fresh.and(unix_micros(col(TS)).minus(unix_micros(col(CARRIED + "." + EVENT_TIME_FIELD)))
                    .leq(lit(ttlMicros)));
        }
        List<Column> out = new ArrayList<>();
        for (String c : labels.columns()) {
            out.add(col(c));
        }
        out.add(when(fresh, col(CARRIED + "." + EVENT_TIME_FIELD)).as(spec.eventTimeOutput()));
        for (String f : spec.features()) {
            out.add(when(fresh, col(CARRIED + "." + f)).as(spec.prefix() + f));
        }
        return carriedForward.select(out.toArray(new Column[0]));
    }

    /**
     * The feature values themselves, compared field by field: equal tie-breakers mean identical events, so the pick
     * never depends on input order. Fields Spark cannot order (maps) are compared through their JSON.
     */
    private static Column defaultTieBreaker(StructType schema, List<String> features) {
        Column[] fields = new Column[features.size()];
        for (int i = 0; i < fields.length; i++) {
            String f = features.get(i);
            fields[i] = orderable(schema.apply(f).dataType()) ? col(f).as(f)
                    : to_json(struct(col(f).as("v"))).as(f);
        }
        return struct(fields);
    }

    private static boolean orderable(DataType type) {
        if (type instanceof MapType) {
            return false;
        }
        if (type instanceof ArrayType array) {
            return orderable(array.elementType());
        }
        if (type instanceof StructType struct) {
            for (StructField f : struct.fields()) {
                if (!orderable(f.dataType())) {
                    return false;
                }
            }
        }
        return true;
    }

    private static void check(Dataset<Row> data, String what, String... columns) {
        List<String> present = Arrays.asList(data.columns());
        for (String c : columns) {
            if (!present.contains(c)) {
                throw new IllegalArgumentException("Cannot join features: the " + what + " have no column '" + c
                        + "' (columns: " + present + "). Rename or add it");
            }
        }
    }
}
