package io.cxml.features;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.last;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.unix_micros;
import static org.apache.spark.sql.functions.when;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The {@link PointInTimeJoin.Strategy#CARRY_FORWARD} strategy: as-of join without a join. Labels and events are
 * unioned, sorted by (entity, time, events-before-labels, tie-breaker) inside each entity partition, and the whole
 * event (a struct, so values of different events never mix) is carried forward with {@code last(event, ignoreNulls)}
 * over {@code rowsBetween(unboundedPreceding, currentRow)}. One shuffle and one sort of labels + events together.
 */
final class PointInTimeCarryForward {
    private static final String TS = "_pit_ts";
    private static final String KIND = "_pit_kind";
    private static final String EVENT = "_pit_event";
    private static final String TIE = "_pit_tie";
    private static final String CARRIED = "_pit_carried";
    private static final String EVENT_TIME_FIELD = PointInTimeJoin.EVENT_TIME_FIELD;
    private static final int KIND_EVENT = 0;
    private static final int KIND_LABEL = 1;

    private PointInTimeCarryForward() {}

    /**
     * Joins (arguments checked by {@link PointInTimeJoin#asOf}).
     *
     * @param labels label rows; must hold {@code spec.entityKey()} and {@code labelTimeColumn}
     * @param labelTimeColumn timestamp (or date) column of the labels
     * @param events feature events; must hold the entity key, event time and features
     * @param spec what to join
     * @param tie the tie-breaker column over the events
     * @return the label rows, in no particular order, with {@code <prefix>event_time} and the prefixed features added
     */
    static Dataset<Row> join(Dataset<Row> labels, String labelTimeColumn, Dataset<Row> events,
            PointInTimeJoin.Spec spec, Column tie) {
        Column[] featureCols = spec.features().stream().map(c -> col(c)).toArray(Column[]::new);
        List<Column> carried = new ArrayList<>();
        carried.add(col(spec.eventTimeColumn()).as(EVENT_TIME_FIELD));
        carried.addAll(Arrays.asList(featureCols));

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
        if (spec.ttlMicros() != Long.MAX_VALUE) {
            long ttlMicros = spec.ttlMicros();
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
}
