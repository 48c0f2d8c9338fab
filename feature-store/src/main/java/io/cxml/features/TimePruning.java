package io.cxml.features;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.unix_micros;
import static org.apache.spark.sql.functions.xxhash64;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.rdd.RDD;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.Ascending$;
import org.apache.spark.sql.catalyst.expressions.BoundReference;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.catalyst.expressions.InterpretedOrdering;
import org.apache.spark.sql.catalyst.expressions.NullsFirst$;
import org.apache.spark.sql.catalyst.expressions.SortOrder;
import org.apache.spark.sql.classic.SparkSession;
import org.apache.spark.sql.types.ByteType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.IntegerType;
import org.apache.spark.sql.types.LongType;
import org.apache.spark.sql.types.ShortType;
import org.apache.spark.sql.types.StructType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.jdk.javaapi.CollectionConverters;
import scala.math.Ordering;

/**
 * Drops, before any shuffle, the feature events that cannot answer any label, and of those that can, all but the
 * best of each label slot.
 *
 * <p>An event at time t of an entity is only ever the answer of a label of that entity at a time in [t, t + TTL].
 * The labels' (entity hash, time) pairs are computed on the executors, collected (16 bytes a pair), sorted and
 * de-duplicated, and broadcast with a bucket index; each event then costs one bucket lookup and a binary search
 * inside its entity's label times, which gives its <em>slot</em>: the first label time at or after it. Two events of
 * one entity in the same slot are seen by exactly the same labels (those from that slot on), so only the later one
 * (ties: the greater tie-breaker, as the merge orders them) can ever be an answer; each task keeps the best event per
 * (slot, entity) and drops the rest. Hash collisions only merge slots of other entities into finer ones, which keeps
 * more events, never fewer; an event past the TTL at every later label is expired for all of them. So the join
 * result is unchanged, and at most one event per label slot per input partition reaches the shuffle.
 *
 * <p>This is what makes every density cheap: sparse entities lose the events no label asks for (at 1 to 10 events
 * per entity over 90 days with a 7-day TTL, more than 90% of them), dense ones lose the events another event of the
 * same slot hides. It costs one narrow pass over the labels, a lookup per event and, per task, an int per label time
 * plus a copy of the best events (at most {@link #MAX_KEPT_CONF}, default 1,000,000, before they are passed on and
 * the task starts afresh). Above {@link #MAX_PAIRS_CONF} label rows (default 4,000,000: a 64 MB broadcast) the
 * caller falls back to {@link EntityPruning}'s Bloom filter of the label entities, a few bits a label.
 */
final class TimePruning {
    /** Spark configuration key: most label rows whose times are broadcast. */
    static final String MAX_PAIRS_CONF = "spark.cxml.pit.maxBroadcastLabelTimes";
    /** Spark configuration key: most best-of-slot events a task holds before passing them on. */
    static final String MAX_KEPT_CONF = "spark.cxml.pit.maxSlotEventsPerTask";
    private static final long DEFAULT_MAX_PAIRS = 4_000_000L;
    private static final int DEFAULT_MAX_KEPT = 1_000_000;
    private static final Logger LOG = LoggerFactory.getLogger(TimePruning.class);
    private static final String HASH = "_pit_prune_hash";
    private static final String MICROS = "_pit_prune_us";
    private static final String KEY = "_pit_prune_key";
    private static final String TIE = "_pit_prune_tie";

    private TimePruning() {}

    /**
     * The events that answer a label, best of each slot only (see the class comment), with the events' own
     * columns; or, with more label rows than {@link #MAX_PAIRS_CONF}, those whose entity a label has.
     *
     * @param events feature events
     * @param eventKey their entity column
     * @param eventTime their time column
     * @param tie the join's tie-breaker over the events (greatest wins)
     * @param labels label rows
     * @param labelKey the labels' entity column
     * @param labelTime the labels' time column
     * @param ttlMicros the join's TTL in microseconds ({@link Long#MAX_VALUE} for none)
     * @return every event that is some label's answer, and maybe a few more
     */
    static Dataset<Row> keepEventsAnswering(Dataset<Row> events, String eventKey, String eventTime, Column tie,
            Dataset<Row> labels, String labelKey, String labelTime, long ttlMicros) {
        DataType keyType = labels.schema().apply(labelKey).dataType();
        Broadcast<LabelTimes> times = broadcastLabelTimes(labels, labelKey, labelTime, keyType);
        if (times == null) {
            return EntityPruning.keepEntitiesOf(events, eventKey, labels, labelKey);
        }
        Dataset<Row> keyed = events.withColumn(KEY, normalizedKey(col(eventKey), keyType))
                .withColumn(HASH, xxhash64(col(KEY)))
                .withColumn(MICROS, micros(eventTime))
                .withColumn(TIE, tie);
        return bestPerSlot(keyed, KEY, isIntegral(keyType), HASH, MICROS, TIE, times, ttlMicros)
                .drop(KEY, HASH, MICROS, TIE);
    }

    /**
     * The label times of some labels, broadcast; null when there are more than {@link #MAX_PAIRS_CONF}.
     *
     * @param labels label rows
     * @param labelKey their entity column
     * @param labelTime their time column
     * @param keyType the type the entity keys are compared in (the labels' key type)
     * @return the broadcast label times, or null
     */
    static Broadcast<LabelTimes> broadcastLabelTimes(Dataset<Row> labels, String labelKey, String labelTime,
            DataType keyType) {
        Dataset<Row> pairs = labels
                .filter(col(labelKey).isNotNull().and(col(labelTime).isNotNull()))
                .select(xxhash64(normalizedKey(col(labelKey), keyType)).as("h"), micros(labelTime).as("t"));
        long max = Long.parseLong(labels.sparkSession().conf().get(MAX_PAIRS_CONF, Long.toString(DEFAULT_MAX_PAIRS)));
        long rows = pairs.count();
        if (rows > max) {
            LOG.info("Point-in-time join: {} label rows are more than {} = {}: pruning the events by entity only",
                    rows, MAX_PAIRS_CONF, max);
            return null;
        }
        LabelTimes times = LabelTimes.of(pairs
                .mapPartitions((MapPartitionsFunction<Row, long[]>) TimePruning::pack,
                        Encoders.javaSerialization(long[].class))
                .collectAsList());
        return JavaSparkContext.fromSparkContext(labels.sparkSession().sparkContext()).broadcast(times);
    }

    /**
     * Keeps, per task, the best event of each (label slot, entity) and drops the events of no slot. Runs on Spark's
     * binary rows: boxing each event's fields through a UDF or a typed map cost more than the lookup itself.
     *
     * @param keyed events with a normalized key ({@link #normalizedKey}), its xxhash64, the time in microseconds
     *     and the tie-breaker as columns
     * @param keyColumn the normalized key column
     * @param longKey whether that key is a long (else a string)
     * @param hashColumn the key's xxhash64 column
     * @param microsColumn the time column, in microseconds
     * @param tieColumn the tie-breaker column
     * @param times the labels' times
     * @param ttlMicros the TTL in microseconds
     * @return those events, with the same columns
     */
    static Dataset<Row> bestPerSlot(Dataset<Row> keyed, String keyColumn, boolean longKey, String hashColumn,
            String microsColumn, String tieColumn, Broadcast<LabelTimes> times, long ttlMicros) {
        List<String> columns = Arrays.asList(keyed.columns());
        StructType schema = keyed.schema();
        int maxKept = Integer.parseInt(keyed.sparkSession().conf().get(MAX_KEPT_CONF,
                Integer.toString(DEFAULT_MAX_KEPT)));
        SlotReducer reducer = new SlotReducer(times, ttlMicros, columns.indexOf(keyColumn), longKey,
                columns.indexOf(hashColumn), columns.indexOf(microsColumn), columns.indexOf(tieColumn),
                schema.apply(tieColumn).dataType(), Math.max(1, maxKept));
        RDD<InternalRow> kept = ((org.apache.spark.sql.classic.Dataset<Row>) keyed).queryExecution().toRdd()
                .toJavaRDD().mapPartitions(reducer::reduce).rdd();
        return ((SparkSession) keyed.sparkSession()).internalCreateDataFrame(kept, schema, false);
    }

    /**
     * @param ordinal a column of binary rows
     * @param type its type
     * @return Spark's ascending order of that column, nulls first (the sort's order of the tie-breaker)
     */
    static Ordering<InternalRow> ascending(int ordinal, DataType type) {
        return new InterpretedOrdering(CollectionConverters.asScala(List.of(new SortOrder(
                new BoundReference(ordinal, type, true), Ascending$.MODULE$, NullsFirst$.MODULE$,
                CollectionConverters.asScala(List.<Expression>of()).toSeq()))).toSeq());
    }

    /** @return whether keys of this type are compared as longs */
    static boolean isIntegral(DataType keyType) {
        return keyType instanceof LongType || keyType instanceof IntegerType || keyType instanceof ShortType
                || keyType instanceof ByteType;
    }

    /**
     * The entity key as both sides compare it: cast to the labels' key type, then to a long (integral keys) or a
     * string, so that equal keys hash and partition alike whatever type each side stores them in.
     *
     * @param key the key column
     * @param labelKeyType the labels' key type
     * @return the normalized key
     */
    static Column normalizedKey(Column key, DataType labelKeyType) {
        return key.cast(labelKeyType).cast(isIntegral(labelKeyType) ? DataTypes.LongType : DataTypes.StringType);
    }

    private static Column micros(String column) {
        return unix_micros(col(column).cast(DataTypes.TimestampType));
    }

    /**
     * One task's pass over its events: the index of each slot's best event in an int array as long as the label
     * times (one per task), the best events copied, passed on when the input ends or {@code maxKept} are held.
     */
    private record SlotReducer(Broadcast<LabelTimes> times, long ttlMicros, int keyAt, boolean longKey, int hashAt,
            int microsAt, int tieAt, DataType tieType, int maxKept) implements Serializable {

        Iterator<InternalRow> reduce(Iterator<InternalRow> rows) {
            LabelTimes labelTimes = times.value();
            int[] bestAt = new int[labelTimes.size()];
            Arrays.fill(bestAt, -1);
            Ordering<InternalRow> tieOrder = ascending(tieAt, tieType);
            return new Iterator<>() {
                private final List<InternalRow> kept = new ArrayList<>();
                private final List<Integer> keptSlots = new ArrayList<>();
                private Iterator<InternalRow> out = Collections.emptyIterator();

                @Override
                public boolean hasNext() {
                    while (!out.hasNext() && rows.hasNext()) {
                        fill();
                    }
                    return out.hasNext();
                }

                @Override
                public InternalRow next() {
                    if (!hasNext()) {
                        throw new NoSuchElementException();
                    }
                    return out.next();
                }

                private void fill() {
                    for (int slot : keptSlots) {
                        bestAt[slot] = -1;
                    }
                    kept.clear();
                    keptSlots.clear();
                    while (rows.hasNext() && kept.size() < maxKept) {
                        InternalRow row = rows.next();
                        if (row.isNullAt(keyAt) || row.isNullAt(microsAt)) {
                            continue; // never joins
                        }
                        long micros = row.getLong(microsAt);
                        int slot = labelTimes.slotWithin(row.getLong(hashAt), micros, ttlMicros);
                        if (slot < 0) {
                            continue;
                        }
                        int at = bestAt[slot];
                        if (at < 0) {
                            bestAt[slot] = kept.size();
                            keptSlots.add(slot);
                            kept.add(row.copy());
                        } else if (!sameKey(kept.get(at), row)) {
                            kept.add(row.copy()); // another entity of the same hash: passed on as it is
                        } else if (better(row, kept.get(at), micros)) {
                            kept.set(at, row.copy());
                        }
                    }
                    out = new ArrayList<>(kept).iterator();
                }

                private boolean sameKey(InternalRow a, InternalRow b) {
                    return longKey ? a.getLong(keyAt) == b.getLong(keyAt)
                            : a.getUTF8String(keyAt).equals(b.getUTF8String(keyAt));
                }

                /** The merge's order: the later event wins, then the greater tie-breaker (nulls first). */
                private boolean better(InternalRow row, InternalRow best, long micros) {
                    long bestMicros = best.getLong(microsAt);
                    return micros > bestMicros || (micros == bestMicros && tieOrder.compare(row, best) > 0);
                }
            };
        }
    }

    /** One partition's (hash, time) pairs, interleaved in one array. */
    private static Iterator<long[]> pack(Iterator<Row> rows) {
        long[] out = new long[1024];
        int n = 0;
        while (rows.hasNext()) {
            Row r = rows.next();
            long h = r.getLong(0);
            long t = r.getLong(1);
            if (n > 0 && out[n - 2] == h && out[n - 1] == t) {
                continue;
            }
            if (n == out.length) {
                out = Arrays.copyOf(out, out.length * 2);
            }
            out[n++] = h;
            out[n++] = t;
        }
        return List.of(Arrays.copyOf(out, n)).iterator();
    }

    /** Label times sorted by (entity hash, time), with an index of the hashes' top bits. */
    static final class LabelTimes implements Serializable {
        private static final long serialVersionUID = 1L;
        /** hash, time, hash, time, ...: one cache line holds both halves of a pair. */
        private final long[] pairs;
        private final int bits;
        /** bucketStart[b] is the first pair whose hash's top bits are b; one more entry marks the end. */
        private final int[] bucketStart;

        private LabelTimes(long[] hashes, long[] times, int n) {
            this.pairs = new long[2 * n];
            for (int i = 0; i < n; i++) {
                pairs[2 * i] = hashes[i];
                pairs[2 * i + 1] = times[i];
            }
            this.bits = Math.max(1, Math.min(24, 64 - Long.numberOfLeadingZeros(Math.max(1, n))));
            this.bucketStart = new int[(1 << bits) + 1];
            int b = 0;
            for (int i = 0; i < n; i++) {
                int bucket = bucket(hashes[i]);
                while (b <= bucket) {
                    bucketStart[b++] = i;
                }
            }
            while (b < bucketStart.length) {
                bucketStart[b++] = n;
            }
        }

        /** @param parts interleaved (hash, time) pairs, in any order */
        static LabelTimes of(List<long[]> parts) {
            int n = 0;
            for (long[] p : parts) {
                n += p.length / 2;
            }
            long[] hashes = new long[n];
            long[] times = new long[n];
            int i = 0;
            for (long[] p : parts) {
                for (int j = 0; j < p.length; j += 2) {
                    hashes[i] = p[j];
                    times[i++] = p[j + 1];
                }
            }
            sort(hashes, times, 0, n - 1);
            int distinct = 0;
            for (int k = 0; k < n; k++) {
                if (distinct > 0 && hashes[distinct - 1] == hashes[k] && times[distinct - 1] == times[k]) {
                    continue;
                }
                hashes[distinct] = hashes[k];
                times[distinct++] = times[k];
            }
            return new LabelTimes(hashes, times, distinct);
        }

        /** Sorts both arrays by (hash, time) in place: quicksort, insertion sort below 16, smaller side first. */
        private static void sort(long[] h, long[] t, int lo, int hi) {
            while (hi - lo >= 16) {
                int mid = (lo + hi) >>> 1;
                long ph = h[mid];
                long pt = t[mid];
                int i = lo;
                int j = hi;
                while (i <= j) {
                    while (h[i] < ph || (h[i] == ph && t[i] < pt)) {
                        i++;
                    }
                    while (h[j] > ph || (h[j] == ph && t[j] > pt)) {
                        j--;
                    }
                    if (i <= j) {
                        swap(h, t, i++, j--);
                    }
                }
                if (j - lo < hi - i) {
                    sort(h, t, lo, j);
                    lo = i;
                } else {
                    sort(h, t, i, hi);
                    hi = j;
                }
            }
            for (int i = lo + 1; i <= hi; i++) {
                for (int k = i; k > lo && (h[k - 1] > h[k] || (h[k - 1] == h[k] && t[k - 1] > t[k])); k--) {
                    swap(h, t, k, k - 1);
                }
            }
        }

        private static void swap(long[] h, long[] t, int a, int b) {
            long x = h[a];
            h[a] = h[b];
            h[b] = x;
            x = t[a];
            t[a] = t[b];
            t[b] = x;
        }

        /** Monotonic in the signed hash: its top bits with the sign bit flipped. */
        private int bucket(long hash) {
            return (int) ((hash ^ Long.MIN_VALUE) >>> (64 - bits));
        }

        /**
         * @return the index of the first label time of this entity hash at or after {@code time}, when it is within
         *     the TTL of it; else -1
         */
        int slotWithin(long hash, long time, long ttlMicros) {
            int b = bucket(hash);
            int lo = bucketStart[b];
            int hi = bucketStart[b + 1];
            // First pair >= (hash, time) in (hash, time) order.
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                long h = pairs[2 * mid];
                if (h < hash || (h == hash && pairs[2 * mid + 1] < time)) {
                    lo = mid + 1;
                } else {
                    hi = mid;
                }
            }
            return 2 * lo < pairs.length && pairs[2 * lo] == hash && pairs[2 * lo + 1] - time <= ttlMicros ? lo : -1;
        }

        int size() {
            return pairs.length / 2;
        }
    }

    /** For tests: the broadcast structure of some pairs, in any order. */
    static LabelTimes labelTimes(long[] interleavedPairs) {
        List<long[]> parts = new ArrayList<>();
        parts.add(interleavedPairs);
        return LabelTimes.of(parts);
    }
}
