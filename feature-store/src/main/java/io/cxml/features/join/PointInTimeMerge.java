package io.cxml.features.join;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.timestamp_micros;
import static org.apache.spark.sql.functions.unix_micros;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.function.FlatMapFunction2;
import org.apache.spark.rdd.RDD;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.catalyst.expressions.JoinedRow;
import org.apache.spark.sql.classic.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.unsafe.types.UTF8String;

/**
 * The sort-merge range join behind every {@link PointInTimeJoin.Strategy}. Labels and (pruned) events are each
 * hash-partitioned by entity into the same number of partitions and sorted inside them by (entity, time[,
 * tie-breaker]) by Spark's own exchange and sort (binary rows, no objects); partition i of both sides then holds the
 * same entities, and one streaming pass over the two sorted partitions carries the latest event at or before each
 * label forward. Nothing is buffered per entity, so memory stays flat however many events an entity has, no event is
 * ever paired with more than the labels it answers, and no row leaves Spark's binary format (a co-group through
 * {@code Row} objects cost more than the naive join saved at low densities).
 *
 * <p>Under adaptive query execution, building the partitioned inputs runs their shuffles (as planning a join's
 * stages does); the merge itself and everything after it stays lazy.
 */
final class PointInTimeMerge {
    /** The entity key on both sides, as a long (integral keys) or a string (anything else). */
    private static final String KEY = "_pit_key";
    /** Microseconds of the label or event time, on both sides. */
    private static final String MICROS = "_pit_us";
    private static final String TIE = "_pit_tie";
    /** Microseconds of the joined event's time, in the merge output. */
    private static final String EVENT_MICROS = "_pit_event_us";

    private PointInTimeMerge() {}

    /**
     * Joins (arguments checked by {@link PointInTimeJoin#asOf}).
     *
     * @param labels label rows
     * @param labelTimeColumn the labels' time column
     * @param events feature events
     * @param spec what to join
     * @param tie the tie-breaker column over the events
     * @param pruneBy labels (the same keys as {@code labels}, cheaper to read) whose entities the events are pruned
     *     to before the shuffle ({@link EntityPruning}); null to keep every event
     * @param byTime sort each partition by time alone and merge with {@link TimeOrderedMerge}, else by (entity,
     *     time) with the merge below
     * @return the label rows with the event time and the prefixed features
     */
    static Dataset<Row> join(Dataset<Row> labels, String labelTimeColumn, Dataset<Row> events,
            PointInTimeJoin.Spec spec, Column tie, Dataset<Row> pruneBy, boolean byTime) {
        String key = spec.entityKey();
        DataType labelKeyType = labels.schema().apply(key).dataType();
        boolean longKey = LabelSlots.isIntegral(labelKeyType);
        // The same key type on both sides: the same hash partition and one comparison in the merge.
        Column normalizedKey = LabelSlots.normalizedKey(col(key), labelKeyType);
        Dataset<Row> pruned = pruneBy != null ? EntityPruning.keepEntitiesOf(events, key, pruneBy, key) : events;
        int partitions = Integer.parseInt(labels.sparkSession().conf().get("spark.sql.shuffle.partitions"));

        Dataset<Row> labelSide = labels
                .withColumn(KEY, normalizedKey)
                .withColumn(MICROS, unix_micros(col(labelTimeColumn).cast(DataTypes.TimestampType)))
                .repartition(partitions, col(KEY));
        labelSide = byTime ? labelSide.sortWithinPartitions(col(MICROS).asc_nulls_first())
                : labelSide.sortWithinPartitions(col(KEY).asc_nulls_first(), col(MICROS).asc_nulls_first());
        List<Column> eventColumns = new ArrayList<>(List.of(normalizedKey.as(KEY),
                unix_micros(col(spec.eventTimeColumn()).cast(DataTypes.TimestampType)).as(MICROS), tie.as(TIE)));
        spec.features().forEach(f -> eventColumns.add(col(f)));
        Dataset<Row> selected = pruned
                .filter(col(key).isNotNull().and(col(spec.eventTimeColumn()).isNotNull()))
                .select(eventColumns.toArray(new Column[0]));
        Dataset<Row> eventSide = selected.repartition(partitions, col(KEY));
        eventSide = byTime ? eventSide.sortWithinPartitions(col(MICROS).asc())
                : eventSide.sortWithinPartitions(col(KEY).asc(), col(MICROS).asc(), col(TIE).asc_nulls_first());

        DataType[] featureTypes = featureTypes(eventSide, spec);
        FlatMapFunction2<Iterator<InternalRow>, Iterator<InternalRow>, InternalRow> merge = byTime
                ? new TimeOrderedMerge(labels.columns().length, longKey, eventSide.schema().apply(TIE).dataType(),
                        featureTypes, spec.ttlMicros())::merge
                : new Merge(labels.columns().length, longKey, featureTypes, spec.ttlMicros())::merge;
        return zip(labelSide, eventSide, partitions, merge, spec, labels.columns());
    }

    /** @return the types of the spec's features in some event rows */
    static DataType[] featureTypes(Dataset<Row> eventSide, PointInTimeJoin.Spec spec) {
        DataType[] types = new DataType[spec.features().size()];
        for (int f = 0; f < types.length; f++) {
            types[f] = eventSide.schema().apply(spec.features().get(f)).dataType();
        }
        return types;
    }

    /**
     * Runs a merge over the partitions of both sides, zipped (partition i of the labels with partition i of the
     * events), and selects the labels' own columns, the joined event's time and the prefixed features.
     *
     * @param labelSide the labels in {@code partitions} partitions, their own columns first
     * @param eventSide the events in as many partitions, holding the features
     * @param partitions the partitions both sides were asked for
     * @param merge the merge of two partitions: each label row with the event time and features appended
     * @param spec what is joined
     * @param labelColumns the labels' own columns
     * @return the joined rows
     */
    static Dataset<Row> zip(Dataset<Row> labelSide, Dataset<Row> eventSide, int partitions,
            FlatMapFunction2<Iterator<InternalRow>, Iterator<InternalRow>, InternalRow> merge,
            PointInTimeJoin.Spec spec, String[] labelColumns) {
        StructType merged = labelSide.schema().add(EVENT_MICROS, DataTypes.LongType, true);
        DataType[] featureTypes = featureTypes(eventSide, spec);
        for (int f = 0; f < featureTypes.length; f++) {
            merged = merged.add(spec.prefix() + spec.features().get(f), featureTypes[f], true);
        }
        RDD<InternalRow> labelRows = ((org.apache.spark.sql.classic.Dataset<Row>) labelSide).queryExecution().toRdd();
        RDD<InternalRow> eventRows = ((org.apache.spark.sql.classic.Dataset<Row>) eventSide).queryExecution().toRdd();
        JavaRDD<InternalRow> out;
        if (labelRows.getNumPartitions() == eventRows.getNumPartitions()) {
            out = labelRows.toJavaRDD().zipPartitions(eventRows.toJavaRDD(), merge);
        } else if (eventRows.isEmpty() || labelRows.isEmpty()) {
            // Adaptive execution plans an empty side as an empty relation, with other partitions.
            out = labelRows.toJavaRDD().mapPartitions(rows -> merge.call(rows, Collections.emptyIterator()));
        } else {
            throw new IllegalStateException("Point-in-time join: the labels came in " + labelRows.getNumPartitions()
                    + " partitions and the events in " + eventRows.getNumPartitions() + ", expected "
                    + partitions + " each. Report this with the Spark version and its adaptive-execution settings");
        }
        Dataset<Row> joined = ((SparkSession) labelSide.sparkSession()).internalCreateDataFrame(out.rdd(), merged,
                false);

        List<Column> select = new ArrayList<>();
        for (String c : labelColumns) {
            select.add(col(c));
        }
        select.add(timestamp_micros(col(EVENT_MICROS)).as(spec.eventTimeOutput()));
        spec.features().forEach(f -> select.add(col(spec.prefix() + f)));
        return joined.select(select.toArray(new Column[0]));
    }

    /** Where the events' time (micros) and first feature are, in both merges' event rows. */
    static final int EVENT_MICROS_AT = 1;
    static final int EVENT_FEATURES_AT = 3;

    /**
     * One output row of a merge: the label's columns, then the event's time and features when there is an event
     * within the TTL of the label time, else nulls.
     *
     * @param label the label row
     * @param event the latest event at or before the label time, or null
     * @param labelMicros the label time (ignored without an event)
     * @param featureTypes the features' types
     * @param ttlMicros the TTL
     * @return the joined row
     */
    static InternalRow answer(InternalRow label, InternalRow event, long labelMicros, DataType[] featureTypes,
            long ttlMicros) {
        GenericInternalRow extra = new GenericInternalRow(1 + featureTypes.length);
        if (event != null && labelMicros - event.getLong(EVENT_MICROS_AT) <= ttlMicros) {
            extra.setLong(0, event.getLong(EVENT_MICROS_AT));
            for (int f = 0; f < featureTypes.length; f++) {
                extra.update(1 + f, event.get(EVENT_FEATURES_AT + f, featureTypes[f]));
            }
        }
        return new JoinedRow(label, extra);
    }

    /**
     * The streaming merge of one partition: labels as (columns..., key, micros), events as (key, micros, tie,
     * features...), both sorted by key then time.
     */
    private record Merge(int labelColumns, boolean longKey, DataType[] featureTypes, long ttlMicros)
            implements Serializable {

        Iterator<InternalRow> merge(Iterator<InternalRow> labels, Iterator<InternalRow> events) {
            int keyAt = labelColumns;
            int microsAt = labelColumns + 1;
            return new Iterator<>() {
                private InternalRow pending = events.hasNext() ? events.next() : null;
                /** A copy: the event iterator reuses its row. */
                private InternalRow latest;
                private long currentLong;
                private UTF8String currentString;
                private boolean hasCurrent;

                @Override
                public boolean hasNext() {
                    return labels.hasNext();
                }

                @Override
                public InternalRow next() {
                    if (!labels.hasNext()) {
                        throw new NoSuchElementException();
                    }
                    InternalRow label = labels.next();
                    if (label.isNullAt(keyAt)) {
                        return answer(label, null, 0L, featureTypes, ttlMicros);
                    }
                    enter(label);
                    if (label.isNullAt(microsAt)) {
                        return answer(label, null, 0L, featureTypes, ttlMicros);
                    }
                    long time = label.getLong(microsAt);
                    while (pending != null) {
                        int c = compareKey(pending, label);
                        if (c > 0) {
                            break;
                        }
                        if (c == 0) {
                            if (pending.getLong(EVENT_MICROS_AT) > time) {
                                break;
                            }
                            latest = pending.copy();
                        }
                        pending = events.hasNext() ? events.next() : null;
                    }
                    return answer(label, latest, time, featureTypes, ttlMicros);
                }

                /** A label of another entity than the last one forgets the last one's event. */
                private void enter(InternalRow label) {
                    if (longKey) {
                        long k = label.getLong(keyAt);
                        if (!hasCurrent || k != currentLong) {
                            currentLong = k;
                            latest = null;
                        }
                    } else {
                        UTF8String k = label.getUTF8String(keyAt);
                        if (!hasCurrent || !k.equals(currentString)) {
                            currentString = k.clone();
                            latest = null;
                        }
                    }
                    hasCurrent = true;
                }

                private int compareKey(InternalRow event, InternalRow label) {
                    return longKey ? Long.compare(event.getLong(0), label.getLong(keyAt))
                            : event.getUTF8String(0).binaryCompare(label.getUTF8String(keyAt));
                }
            };
        }
    }
}
