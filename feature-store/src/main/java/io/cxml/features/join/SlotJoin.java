package io.cxml.features.join;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.udf;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.xxhash64;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.rdd.RDD;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.api.java.UDF2;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.catalyst.expressions.JoinedRow;
import org.apache.spark.sql.catalyst.expressions.UnsafeProjection;
import org.apache.spark.sql.catalyst.expressions.UnsafeRow;
import org.apache.spark.sql.classic.SparkSession;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.unsafe.Platform;
import scala.math.Ordering;

/**
 * The label-slot join behind {@link PointInTimeJoin.Strategy#SLOT_MERGE}: no event is shuffled or sorted unless it is
 * the latest of its label slot in its task.
 *
 * <p>The labels' distinct (entity hash, time) pairs are collected and broadcast ({@link LabelSlots.LabelTimes}); a
 * pair's index is its <em>slot</em>, and an entity's slots are contiguous and in time order. On the executors, before
 * any shuffle, each event finds its slot (the first label time of its entity at or after it) by one bucket lookup and a
 * binary search; events with no slot or past the TTL of theirs answer no label and are dropped, and of the others each
 * task keeps only the latest of each slot (ties: the greater tie-breaker), since two events of one slot are seen by
 * exactly the same labels. The survivors, at most one per slot and task, and the labels, each tagged with its own
 * slot, are hash-partitioned by their entity's first slot. Per partition, the events' best per slot go into an array
 * indexed by slot, and each label takes the best event of the greatest non-empty slot of its entity at or before its
 * own, the latest event at or before its time, then the TTL. No sort on either side.
 *
 * <p>A second, independent hash of each entity travels with the slots: an event whose check hash differs from its
 * slot's entity is another entity's and is dropped, and labels of two entities sharing a hash make the caller fall back
 * to the sort-merge ({@link LabelSlots.LabelTimes#distinctEntities()}). Two entities are confused only if both 64-bit
 * hashes collide.
 */
final class SlotJoin {
    private static final String HASH = "_pit_hash";
    private static final String CHECK = "_pit_check";
    private static final String MICROS = "_pit_us";
    private static final String TIE = "_pit_tie";
    private static final String SLOT = "_pit_slot";
    /** The first slot of the row's entity: the partitioning key of both sides. */
    private static final String ENTITY = "_pit_entity";
    /** Where the events' fields are in the shuffled event rows (the layout {@link PointInTimeMerge#answer} reads). */
    private static final int EVENT_SLOT_AT = 0;
    private static final int EVENT_TIE_AT = 2;

    private SlotJoin() {}

    /**
     * Joins (arguments checked by {@link PointInTimeJoin#asOf}).
     *
     * @param labels label rows
     * @param labelTimeColumn the labels' time column
     * @param events feature events
     * @param spec what to join
     * @param tie the tie-breaker column over the events
     * @param slots the label times of these labels' keys and times, with distinct entities
     * @return the label rows with the event time and the prefixed features
     */
    static Dataset<Row> join(Dataset<Row> labels, String labelTimeColumn, Dataset<Row> events,
            PointInTimeJoin.Spec spec, Column tie, Broadcast<LabelSlots.LabelTimes> slots) {
        String key = spec.entityKey();
        DataType keyType = labels.schema().apply(key).dataType();
        Column normalizedKey = LabelSlots.normalizedKey(col(key), keyType);
        int partitions = Integer.parseInt(labels.sparkSession().conf().get("spark.sql.shuffle.partitions"));
        long ttlMicros = spec.ttlMicros();

        UserDefinedFunction slotOf = udf((UDF2<Long, Long, Integer>) (hash, micros) -> labelSlot(slots, hash, micros),
                DataTypes.IntegerType);
        UserDefinedFunction entityOf = udf((UDF1<Integer, Integer>) slot -> slot != null
                ? slots.value().firstSlotOfEntity(slot) : null, DataTypes.IntegerType);
        // (columns..., micros, slot, entity): the layout SlotMerge reads.
        Dataset<Row> keyedLabels = labels
                .withColumn(MICROS, LabelSlots.micros(labelTimeColumn))
                .withColumn(SLOT, when(normalizedKey.isNotNull(), slotOf.apply(xxhash64(normalizedKey), col(MICROS))))
                .withColumn(ENTITY, entityOf.apply(col(SLOT)));
        // Labels that join nothing (null key or time) are spread over the partitions by time, negative keys. The key
        // is an int on both sides: a long hashes to other partitions.
        Dataset<Row> labelSide = keyedLabels.repartition(partitions, when(col(SLOT).isNotNull(), col(ENTITY))
                .otherwise(lit(-1).minus(pmod(xxhash64(col(MICROS)), lit(partitions))).cast(DataTypes.IntegerType)));

        List<Column> eventColumns = new ArrayList<>(List.of(xxhash64(normalizedKey).as(HASH),
                LabelSlots.checkHash(normalizedKey).as(CHECK), LabelSlots.micros(spec.eventTimeColumn()).as(MICROS),
                tie.as(TIE)));
        spec.features().forEach(f -> eventColumns.add(col(f)));
        Dataset<Row> keyedEvents = events
                .filter(col(key).isNotNull().and(col(spec.eventTimeColumn()).isNotNull()))
                .select(eventColumns.toArray(new Column[0]));
        StructType keyedSchema = keyedEvents.schema();
        int maxKept = Integer.parseInt(events.sparkSession().conf().get(LabelSlots.MAX_KEPT_CONF,
                Integer.toString(LabelSlots.DEFAULT_MAX_KEPT)));
        BestOfSlot reducer = new BestOfSlot(slots, ttlMicros, keyedSchema, Math.max(1, maxKept));
        RDD<InternalRow> best = ((org.apache.spark.sql.classic.Dataset<Row>) keyedEvents).queryExecution().toRdd()
                .toJavaRDD().mapPartitions(reducer::reduce).rdd();
        StructType bestSchema = new StructType().add(SLOT, DataTypes.IntegerType, false)
                .add(ENTITY, DataTypes.IntegerType, false);
        for (var field : keyedSchema.fields()) {
            bestSchema = bestSchema.add(field);
        }
        List<Column> shuffled = new ArrayList<>(List.of(col(SLOT), col(MICROS), col(TIE)));
        spec.features().forEach(f -> shuffled.add(col(f)));
        shuffled.add(col(ENTITY));
        Dataset<Row> eventSide = ((SparkSession) events.sparkSession())
                .internalCreateDataFrame(best, bestSchema, false)
                .select(shuffled.toArray(new Column[0]))
                .repartition(partitions, col(ENTITY));

        SlotMerge merge = new SlotMerge(labels.columns().length, slots, keyedSchema.apply(TIE).dataType(),
                PointInTimeMerge.featureTypes(eventSide, spec), ttlMicros);
        return PointInTimeMerge.zip(labelSide, eventSide, partitions, merge::merge, spec, labels.columns());
    }

    /** The slot of a label's own (hash, time); it is there, since the slots were built from these labels. */
    private static Integer labelSlot(Broadcast<LabelSlots.LabelTimes> slots, Long hash, Long micros) {
        if (hash == null || micros == null) {
            return null;
        }
        int slot = slots.value().slotOf(hash, micros);
        if (slot < 0) {
            throw new IllegalStateException("Point-in-time join: a label's entity and time are not among those read "
                    + "before the join: the labels changed between two reads. Give the join deterministic labels "
                    + "(written or cached), or use Strategy.TIME_ORDERED_MERGE, which reads them once");
        }
        return slot;
    }

    /**
     * One task's pass over its events, as (hash, check, micros, tie, features...): each slot's best event so far
     * (its time and index side by side in an array as long as the label times), the best events' bytes in a {@link
     * RowArena}, passed on as (slot, entity, event...) when the input ends or {@code maxKept} are held.
     */
    private record BestOfSlot(Broadcast<LabelSlots.LabelTimes> slots, long ttlMicros, StructType schema,
            int maxKept) implements Serializable {
        private static final int HASH_AT = 0;
        private static final int CHECK_AT = 1;
        private static final int MICROS_AT = 2;
        private static final int TIE_AT = 3;

        Iterator<InternalRow> reduce(Iterator<InternalRow> rows) {
            LabelSlots.LabelTimes times = slots.value();
            // Per slot: the time of its best event and 1 + that event's index among the kept (0: none), side by side
            // so that an event that loses costs one memory access.
            long[] best = new long[2 * times.size()];
            Ordering<InternalRow> tieOrder = LabelSlots.ascending(TIE_AT, schema.apply(TIE_AT).dataType());
            UnsafeProjection toBinary = UnsafeProjection.create(schema);
            return new Iterator<>() {
                private final RowArena kept = new RowArena();
                private int[] keptSlots = new int[1024];
                private final UnsafeRow keptRow = new UnsafeRow(schema.size());
                private int emitted;
                private int emit;
                private final GenericInternalRow tag = new GenericInternalRow(2);
                private final JoinedRow out = new JoinedRow();

                @Override
                public boolean hasNext() {
                    while (emitted == emit && rows.hasNext()) {
                        fill();
                    }
                    return emitted < emit;
                }

                /** The rows are reused: the caller (Spark's projection into the shuffle) copies each at once. */
                @Override
                public InternalRow next() {
                    if (!hasNext()) {
                        throw new NoSuchElementException();
                    }
                    int slot = keptSlots[emitted];
                    tag.setInt(0, slot);
                    tag.setInt(1, times.firstSlotOfEntity(slot));
                    kept.view(emitted++, keptRow);
                    return out.apply(tag, keptRow);
                }

                /** Keeps an event when it is the best of its slot so far. */
                private void offer(UnsafeRow row) {
                    long micros = row.getLong(MICROS_AT);
                    int slot = times.slotWithin(row.getLong(HASH_AT), row.getLong(CHECK_AT), micros, ttlMicros);
                    if (slot < 0) {
                        return; // answers no label (or is another entity's with the same hash)
                    }
                    int at = (int) best[2 * slot + 1] - 1;
                    if (at < 0) {
                        if (kept.size() == keptSlots.length) {
                            keptSlots = Arrays.copyOf(keptSlots, 2 * keptSlots.length);
                        }
                        keptSlots[kept.size()] = slot;
                        best[2 * slot] = micros;
                        best[2 * slot + 1] = kept.size() + 1;
                        kept.add(row);
                    } else if (micros > best[2 * slot]
                            || (micros == best[2 * slot] && tieOrder.compare(row, kept.view(at, keptRow)) > 0)) {
                        best[2 * slot] = micros;
                        kept.set(at, row);
                    }
                }

                private void fill() {
                    for (int i = 0; i < kept.size(); i++) {
                        best[2 * keptSlots[i] + 1] = 0;
                    }
                    kept.clear();
                    while (rows.hasNext() && kept.size() < maxKept) {
                        InternalRow row = rows.next();
                        offer(row instanceof UnsafeRow binary ? binary : toBinary.apply(row));
                    }
                    emitted = 0;
                    emit = kept.size();
                }
            };
        }
    }

    /**
     * Copies of binary rows in pages of bytes, by index: a task's best events without an object each (a million
     * small objects that live through young collections cost more in GC copying than the lookups). A row replaced
     * by one of the same size is overwritten in place.
     */
    private static final class RowArena {
        private static final int PAGE = 1 << 20;
        private final List<byte[]> pages = new ArrayList<>();
        /** The page being filled, -1 before the first. */
        private int page = -1;
        private int used;
        /** Per row: page index (high 32 bits) and offset in it (low 32 bits); its size. */
        private long[] address = new long[1024];
        private int[] size = new int[1024];
        private int rows;

        int size() {
            return rows;
        }

        void clear() {
            rows = 0;
            page = -1;
        }

        void add(UnsafeRow row) {
            if (rows == address.length) {
                address = Arrays.copyOf(address, 2 * rows);
                size = Arrays.copyOf(size, 2 * rows);
            }
            address[rows] = write(row);
            size[rows++] = row.getSizeInBytes();
        }

        void set(int i, UnsafeRow row) {
            if (row.getSizeInBytes() == size[i]) {
                row.writeToMemory(pages.get((int) (address[i] >>> 32)),
                        Platform.BYTE_ARRAY_OFFSET + (int) address[i]);
            } else {
                address[i] = write(row);
                size[i] = row.getSizeInBytes();
            }
        }

        /** Points {@code view} at row i and returns it. */
        UnsafeRow view(int i, UnsafeRow view) {
            view.pointTo(pages.get((int) (address[i] >>> 32)), Platform.BYTE_ARRAY_OFFSET + (int) address[i],
                    size[i]);
            return view;
        }

        private long write(UnsafeRow row) {
            int n = row.getSizeInBytes();
            if (page < 0 || used + n > pages.get(page).length) {
                page++;
                if (page == pages.size()) {
                    pages.add(new byte[Math.max(PAGE, n)]);
                } else if (pages.get(page).length < n) {
                    pages.set(page, new byte[n]);
                }
                used = 0;
            }
            row.writeToMemory(pages.get(page), Platform.BYTE_ARRAY_OFFSET + used);
            long at = ((long) page << 32) | used;
            used += n;
            return at;
        }
    }

    /** The merge's order: the later event wins, then the greater tie-breaker (nulls first). */
    private static boolean better(InternalRow row, InternalRow best, int microsAt, Ordering<InternalRow> tieOrder) {
        long micros = row.getLong(microsAt);
        long bestMicros = best.getLong(microsAt);
        return micros > bestMicros || (micros == bestMicros && tieOrder.compare(row, best) > 0);
    }

    /**
     * One partition: events as (slot, micros, tie, features..., entity), labels as (columns..., micros, slot,
     * entity). The events' best per slot first, then each label's answer by a binary search among the non-empty slots.
     */
    private record SlotMerge(int labelColumns, Broadcast<LabelSlots.LabelTimes> slots, DataType tieType,
            DataType[] featureTypes, long ttlMicros) implements Serializable {

        Iterator<InternalRow> merge(Iterator<InternalRow> labels, Iterator<InternalRow> events) {
            int microsAt = labelColumns;
            int slotAt = labelColumns + 1;
            int entityAt = labelColumns + 2;
            Ordering<InternalRow> tieOrder = LabelSlots.ascending(EVENT_TIE_AT, tieType);
            int[] bestAt = new int[events.hasNext() ? slots.value().size() : 0];
            Arrays.fill(bestAt, -1);
            List<InternalRow> best = new ArrayList<>();
            while (events.hasNext()) {
                InternalRow row = events.next();
                int slot = row.getInt(EVENT_SLOT_AT);
                int at = bestAt[slot];
                if (at < 0) {
                    bestAt[slot] = best.size();
                    best.add(row.copy());
                } else if (better(row, best.get(at), PointInTimeMerge.EVENT_MICROS_AT, tieOrder)) {
                    best.set(at, row.copy());
                }
            }
            int[] filled = new int[best.size()];
            InternalRow[] filledRows = new InternalRow[best.size()];
            int n = 0;
            for (int slot = 0; slot < bestAt.length && n < filled.length; slot++) {
                if (bestAt[slot] >= 0) {
                    filled[n] = slot;
                    filledRows[n++] = best.get(bestAt[slot]);
                }
            }
            return new Iterator<>() {
                @Override
                public boolean hasNext() {
                    return labels.hasNext();
                }

                @Override
                public InternalRow next() {
                    InternalRow label = labels.next();
                    if (label.isNullAt(slotAt)) {
                        return PointInTimeMerge.answer(label, null, 0L, featureTypes, ttlMicros);
                    }
                    int slot = label.getInt(slotAt);
                    // The greatest non-empty slot at or before the label's own, if it is the same entity's.
                    int k = Arrays.binarySearch(filled, slot);
                    if (k < 0) {
                        k = -k - 2;
                    }
                    InternalRow event = k >= 0 && filled[k] >= label.getInt(entityAt) ? filledRows[k] : null;
                    return PointInTimeMerge.answer(label, event, label.getLong(microsAt), featureTypes, ttlMicros);
                }
            };
        }
    }
}
