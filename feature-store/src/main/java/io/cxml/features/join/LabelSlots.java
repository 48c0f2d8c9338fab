package io.cxml.features.join;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.unix_micros;
import static org.apache.spark.sql.functions.xxhash64;

import java.io.Serializable;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.broadcast.Broadcast;
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
import org.apache.spark.sql.types.ByteType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.IntegerType;
import org.apache.spark.sql.types.LongType;
import org.apache.spark.sql.types.ShortType;
import scala.jdk.javaapi.CollectionConverters;
import scala.math.Ordering;

/**
 * The labels' slots, broadcast: what {@link SlotJoin} looks every event up in, and the column helpers both merges
 * share.
 *
 * <p>An event at time t of an entity is only ever the answer of a label of that entity at a time in [t, t + TTL]. The
 * labels' (entity hash, time, check hash) triples are computed on the executors, collected (24 bytes a label row),
 * sorted and de-duplicated on the driver and broadcast ({@link LabelTimes}); an event then costs a look at a bit set
 * that fits a core's cache (most events of entities without labels stop there), a bucket lookup and a search inside
 * its entity's label times, which gives its <em>slot</em>: the first label time at or after it. Above {@link
 * #MAX_PAIRS_CONF} label rows (default 4,000,000: about 100 MB) the caller runs the sort-merge instead.
 */
final class LabelSlots {
    /** Spark configuration key: most label rows whose times are broadcast. */
    static final String MAX_PAIRS_CONF = "spark.cxml.pit.maxBroadcastLabelTimes";
    /** Spark configuration key: most best-of-slot events a task holds before passing them on. */
    static final String MAX_KEPT_CONF = "spark.cxml.pit.maxSlotEventsPerTask";
    private static final long DEFAULT_MAX_PAIRS = 4_000_000L;
    static final int DEFAULT_MAX_KEPT = 1_000_000;
    private static final long CHECK_SALT = 0x5eed_c4ec_1234_9876L;

    private LabelSlots() {}

    /**
     * @param spark the session
     * @return the most label rows whose times {@link #broadcastLabelTimes} may collect ({@link #MAX_PAIRS_CONF})
     */
    static long maxBroadcastRows(org.apache.spark.sql.SparkSession spark) {
        return Long.parseLong(spark.conf().get(MAX_PAIRS_CONF, Long.toString(DEFAULT_MAX_PAIRS)));
    }

    /**
     * The label times of some labels, collected and broadcast: check their count against {@link #maxBroadcastRows}
     * first.
     *
     * @param labels label rows
     * @param labelKey their entity column
     * @param labelTime their time column
     * @param keyType the type the entity keys are compared in (the labels' key type)
     * @return the broadcast label times
     */
    static Broadcast<LabelTimes> broadcastLabelTimes(Dataset<Row> labels, String labelKey, String labelTime,
            DataType keyType) {
        Dataset<Row> pairs = labels
                .filter(col(labelKey).isNotNull().and(col(labelTime).isNotNull()))
                .select(xxhash64(normalizedKey(col(labelKey), keyType)).as("h"), micros(labelTime).as("t"),
                        checkHash(normalizedKey(col(labelKey), keyType)).as("c"));
        LabelTimes times = LabelTimes.of(pairs
                .mapPartitions((MapPartitionsFunction<Row, long[]>) LabelSlots::pack,
                        Encoders.javaSerialization(long[].class))
                .collectAsList());
        return JavaSparkContext.fromSparkContext(labels.sparkSession().sparkContext()).broadcast(times);
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

    /**
     * A second hash of a normalized key, independent of {@code xxhash64(key)} (xxhash64 with another seed: Spark
     * seeds each column's hash with the previous one's), so that two entities are told apart unless both collide.
     *
     * @param normalizedKey a {@link #normalizedKey}
     * @return its check hash
     */
    static Column checkHash(Column normalizedKey) {
        return xxhash64(lit(CHECK_SALT), normalizedKey);
    }

    static Column micros(String column) {
        return unix_micros(col(column).cast(DataTypes.TimestampType));
    }

    /** One partition's (hash, time, check hash) triples, interleaved in one array. */
    private static Iterator<long[]> pack(Iterator<Row> rows) {
        long[] out = new long[3 * 1024];
        int n = 0;
        while (rows.hasNext()) {
            Row r = rows.next();
            long h = r.getLong(0);
            long t = r.getLong(1);
            long c = r.getLong(2);
            if (n > 0 && out[n - 3] == h && out[n - 2] == t && out[n - 1] == c) {
                continue;
            }
            if (n == out.length) {
                out = Arrays.copyOf(out, out.length * 2);
            }
            out[n++] = h;
            out[n++] = t;
            out[n++] = c;
        }
        return List.of(Arrays.copyOf(out, n)).iterator();
    }

    /**
     * Distinct label times sorted by (entity hash, time): a time's index is its <em>slot</em>, and an entity's slots
     * are contiguous. Per entity (distinct hash): the hash, a second (check) hash and where its slots start, with a
     * bucket index of the hashes' top bits and a bit set of their low bits. Laid out for the lookup of every event:
     * the bit set (8 bits an entity) stays in a core's cache and turns most events of entities without labels away,
     * the entity arrays are small when entities are few (dense labels), and an entity's times are adjacent.
     */
    static final class LabelTimes implements Serializable {
        private static final long serialVersionUID = 4L;
        /**
         * Per entity, ascending by hash: its hash, its check hash and its first slot, side by side (one place in
         * memory per lookup); one more entity's first slot marks the end.
         */
        private final long[] entities;
        /** Per slot: its label time, and the first slot of its entity. */
        private final long[] times;
        private final int[] slotEntityStart;
        /** Whether every hash belongs to one check hash: no two label entities share a hash. */
        private final boolean distinctEntities;
        private final int bits;
        /** bucketStart[b] is the first entity whose hash's top bits are b; one more entry marks the end. */
        private final int[] bucketStart;
        /** One bit per value of the hashes' low bits, about 8 per entity. */
        private final long[] hashBits;

        private LabelTimes(long[] hashes, long[] times, long[] checks, int n, boolean distinctEntities) {
            int entities = 0;
            for (int i = 0; i < n; i++) {
                entities += i == 0 || hashes[i] != hashes[i - 1] ? 1 : 0;
            }
            this.entities = new long[3 * entities + 3];
            this.times = Arrays.copyOf(times, n);
            this.slotEntityStart = new int[n];
            int e = -1;
            for (int i = 0; i < n; i++) {
                if (i == 0 || hashes[i] != hashes[i - 1]) {
                    e++;
                    this.entities[3 * e] = hashes[i];
                    this.entities[3 * e + 1] = checks[i];
                    this.entities[3 * e + 2] = i;
                }
                slotEntityStart[i] = (int) this.entities[3 * e + 2];
            }
            this.entities[3 * entities + 2] = n;
            this.distinctEntities = distinctEntities;
            this.bits = Math.max(1, Math.min(24, 64 - Long.numberOfLeadingZeros(Math.max(1, entities))));
            this.bucketStart = new int[(1 << bits) + 1];
            int b = 0;
            for (int i = 0; i < entities; i++) {
                int bucket = bucket(this.entities[3 * i]);
                while (b <= bucket) {
                    bucketStart[b++] = i;
                }
            }
            while (b < bucketStart.length) {
                bucketStart[b++] = entities;
            }
            this.hashBits = new long[Integer.highestOneBit(Math.max(1, entities / 8)) * 2];
            for (int i = 0; i < entities; i++) {
                hashBits[hashWord(this.entities[3 * i])] |= 1L << this.entities[3 * i];
            }
        }

        private int hashWord(long hash) {
            return (int) (hash >>> 6) & (hashBits.length - 1);
        }

        /** @param parts interleaved (hash, time, check hash) triples, in any order */
        static LabelTimes of(List<long[]> parts) {
            int n = 0;
            for (long[] p : parts) {
                n += p.length / 3;
            }
            long[] hashes = new long[n];
            long[] times = new long[n];
            long[] checks = new long[n];
            int i = 0;
            for (long[] p : parts) {
                for (int j = 0; j < p.length; j += 3) {
                    hashes[i] = p[j];
                    times[i] = p[j + 1];
                    checks[i++] = p[j + 2];
                }
            }
            sort(hashes, times, checks, 0, n - 1);
            int distinct = 0;
            boolean distinctEntities = true;
            for (int k = 0; k < n; k++) {
                if (distinct > 0 && hashes[distinct - 1] == hashes[k]) {
                    distinctEntities &= checks[distinct - 1] == checks[k];
                    if (times[distinct - 1] == times[k]) {
                        continue;
                    }
                }
                hashes[distinct] = hashes[k];
                times[distinct] = times[k];
                checks[distinct++] = checks[k];
            }
            return new LabelTimes(hashes, times, checks, distinct, distinctEntities);
        }

        /** Sorts the arrays by (hash, time) in place: quicksort, insertion sort below 16, smaller side first. */
        private static void sort(long[] h, long[] t, long[] c, int lo, int hi) {
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
                        swap(h, t, c, i++, j--);
                    }
                }
                if (j - lo < hi - i) {
                    sort(h, t, c, lo, j);
                    lo = i;
                } else {
                    sort(h, t, c, i, hi);
                    hi = j;
                }
            }
            for (int i = lo + 1; i <= hi; i++) {
                for (int k = i; k > lo && (h[k - 1] > h[k] || (h[k - 1] == h[k] && t[k - 1] > t[k])); k--) {
                    swap(h, t, c, k, k - 1);
                }
            }
        }

        private static void swap(long[] h, long[] t, long[] c, int a, int b) {
            long x = h[a];
            h[a] = h[b];
            h[b] = x;
            x = t[a];
            t[a] = t[b];
            t[b] = x;
            x = c[a];
            c[a] = c[b];
            c[b] = x;
        }

        /** Monotonic in the signed hash: its top bits with the sign bit flipped. */
        private int bucket(long hash) {
            return (int) ((hash ^ Long.MIN_VALUE) >>> (64 - bits));
        }

        /** @return the entity of this hash, or -1 */
        private int entity(long hash) {
            if ((hashBits[hashWord(hash)] & (1L << hash)) == 0) {
                return -1;
            }
            int b = bucket(hash);
            for (int e = bucketStart[b], end = bucketStart[b + 1]; e < end; e++) {
                if (entities[3 * e] == hash) {
                    return e;
                }
            }
            return -1;
        }

        private int start(int e) {
            return (int) entities[3 * e + 2];
        }

        /** @return the first slot of entity e whose time is at or after {@code time} (its end when none) */
        private int firstAtOrAfter(int e, long time) {
            int lo = start(e);
            int hi = start(e + 1);
            while (hi - lo > 8) {
                int mid = (lo + hi) >>> 1;
                if (times[mid] < time) {
                    lo = mid + 1;
                } else {
                    hi = mid;
                }
            }
            while (lo < hi && times[lo] < time) {
                lo++;
            }
            return lo;
        }

        /**
         * @return the first label time's slot of this entity (hash and check hash) at or after {@code time}, when
         *     it is within the TTL of it; else -1
         */
        int slotWithin(long hash, long check, long time, long ttlMicros) {
            int e = entity(hash);
            if (e < 0 || entities[3 * e + 1] != check) {
                return -1;
            }
            int slot = firstAtOrAfter(e, time);
            return slot < start(e + 1) && times[slot] - time <= ttlMicros ? slot : -1;
        }

        /** @return the slot of exactly this (hash, time), or -1 */
        int slotOf(long hash, long time) {
            int e = entity(hash);
            if (e < 0) {
                return -1;
            }
            int slot = firstAtOrAfter(e, time);
            return slot < start(e + 1) && times[slot] == time ? slot : -1;
        }

        /** @return the first slot of the entity of this slot: all slots from there to it have the same entity */
        int firstSlotOfEntity(int slot) {
            return slotEntityStart[slot];
        }

        /** @return whether no two label entities share a hash, so that a slot names one entity */
        boolean distinctEntities() {
            return distinctEntities;
        }

        int size() {
            return times.length;
        }
    }

    /** For tests: the broadcast structure of some (hash, time) pairs, in any order, each hash its own entity. */
    static LabelTimes labelTimes(long[] interleavedPairs) {
        long[] triples = new long[interleavedPairs.length / 2 * 3];
        for (int i = 0, j = 0; i < interleavedPairs.length; i += 2) {
            triples[j++] = interleavedPairs[i];
            triples[j++] = interleavedPairs[i + 1];
            triples[j++] = ~interleavedPairs[i];
        }
        return LabelTimes.of(List.of(triples));
    }
}
