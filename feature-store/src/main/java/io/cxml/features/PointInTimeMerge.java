package io.cxml.features;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.timestamp_micros;
import static org.apache.spark.sql.functions.unix_micros;
import static org.apache.spark.sql.functions.when;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.spark.api.java.function.CoGroupFunction;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.KeyValueGroupedDataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The {@link PointInTimeJoin.Strategy#SORT_MERGE} and {@link PointInTimeJoin.Strategy#PRUNED_SORT_MERGE} strategies:
 * a sort-merge range join. Labels and events are co-grouped by entity (each side shuffled once, by entity), each
 * entity's labels sorted by time and its events by (time, tie-breaker), and one streaming pass per entity walks both
 * in time order carrying the latest event seen at or before each label forward. Nothing is buffered per entity, so
 * memory stays flat however many events an entity has, and no event is ever paired with more than the labels it is
 * the answer for.
 */
final class PointInTimeMerge implements CoGroupFunction<Row, Row, Row, Row> {
    private static final long serialVersionUID = 1L;
    /** Microseconds of the label or event time, on both sides. */
    private static final String MICROS = "_pit_us";
    private static final String TIE = "_pit_tie";
    private static final String KEY = "_pit_key";
    /** Microseconds of the joined event's time, in the merge output. */
    private static final String EVENT_MICROS = "_pit_event_us";
    /** Positions in the event rows: entity key, micros, tie-breaker, then the features. */
    private static final int EVENT_MICROS_AT = 1;
    private static final int EVENT_FEATURES_AT = 3;

    private final int labelColumns;
    private final int features;
    private final long ttlMicros;

    private PointInTimeMerge(int labelColumns, int features, long ttlMicros) {
        this.labelColumns = labelColumns;
        this.features = features;
        this.ttlMicros = ttlMicros;
    }

    /**
     * Joins (arguments checked by {@link PointInTimeJoin#asOf}).
     *
     * @param labels label rows
     * @param labelTimeColumn the labels' time column
     * @param events feature events
     * @param spec what to join
     * @param tie the tie-breaker column over the events
     * @param prune drop the events of entities without labels first ({@link EntityPruning})
     * @return the label rows with the event time and the prefixed features
     */
    static Dataset<Row> join(Dataset<Row> labels, String labelTimeColumn, Dataset<Row> events,
            PointInTimeJoin.Spec spec, Column tie, boolean prune) {
        String key = spec.entityKey();
        StructField keyField = labels.schema().apply(key);
        // Grouped on the same nullable expression on both sides: the co-group needs identical key types.
        Column groupKey = when(col(key).isNotNull(), col(key).cast(keyField.dataType())).as(KEY);
        Dataset<Row> labelSide = labels
                .withColumn(MICROS, unix_micros(col(labelTimeColumn).cast(DataTypes.TimestampType)))
                .withColumn(KEY, groupKey);
        List<Column> eventColumns = new ArrayList<>(List.of(
                groupKey,
                unix_micros(col(spec.eventTimeColumn()).cast(DataTypes.TimestampType)).as(MICROS),
                tie.as(TIE)));
        spec.features().forEach(f -> eventColumns.add(col(f)));
        Dataset<Row> eventSide = events
                .filter(col(key).isNotNull().and(col(spec.eventTimeColumn()).isNotNull()))
                .select(eventColumns.toArray(new Column[0]));
        if (prune) {
            eventSide = EntityPruning.keepEntitiesOf(eventSide, KEY, labels, key);
        }

        StructType merged = new StructType(labels.schema().fields())
                .add(EVENT_MICROS, DataTypes.LongType, true);
        for (String f : spec.features()) {
            merged = merged.add(spec.prefix() + f, eventSide.schema().apply(f).dataType(), true);
        }
        StructType keySchema = new StructType().add(KEY, keyField.dataType(), true);
        KeyValueGroupedDataset<Row, Row> labelGroups = labelSide.groupBy(col(KEY))
                .as(Encoders.row(keySchema), Encoders.row(labelSide.schema()));
        KeyValueGroupedDataset<Row, Row> eventGroups = eventSide.groupBy(col(KEY))
                .as(Encoders.row(keySchema), Encoders.row(eventSide.schema()));
        Dataset<Row> out = labelGroups.cogroupSorted(eventGroups,
                new Column[] {col(MICROS).asc_nulls_first()},
                new Column[] {col(MICROS).asc(), col(TIE).asc_nulls_first()},
                new PointInTimeMerge(labels.columns().length, spec.features().size(), spec.ttlMicros()),
                Encoders.row(merged));

        List<Column> select = new ArrayList<>();
        for (String c : labels.columns()) {
            select.add(col(c));
        }
        select.add(timestamp_micros(col(EVENT_MICROS)).as(spec.eventTimeOutput()));
        spec.features().forEach(f -> select.add(col(spec.prefix() + f)));
        return out.select(select.toArray(new Column[0]));
    }

    @Override
    public Iterator<Row> call(Row key, Iterator<Row> labels, Iterator<Row> events) {
        return new Iterator<>() {
            private Row latest;
            private Row pending;

            @Override
            public boolean hasNext() {
                return labels.hasNext();
            }

            @Override
            public Row next() {
                if (!labels.hasNext()) {
                    throw new NoSuchElementException();
                }
                Row label = labels.next();
                Object[] out = new Object[labelColumns + 1 + features];
                for (int i = 0; i < labelColumns; i++) {
                    out[i] = label.get(i);
                }
                if (label.isNullAt(labelColumns)) {
                    return RowFactory.create(out);
                }
                long time = label.getLong(labelColumns);
                while (true) {
                    if (pending == null) {
                        if (!events.hasNext()) {
                            break;
                        }
                        pending = events.next();
                    }
                    if (pending.getLong(EVENT_MICROS_AT) > time) {
                        break;
                    }
                    latest = pending;
                    pending = null;
                }
                if (latest != null && time - latest.getLong(EVENT_MICROS_AT) <= ttlMicros) {
                    out[labelColumns] = latest.getLong(EVENT_MICROS_AT);
                    for (int f = 0; f < features; f++) {
                        out[labelColumns + 1 + f] = latest.get(EVENT_FEATURES_AT + f);
                    }
                }
                return RowFactory.create(out);
            }
        };
    }
}
