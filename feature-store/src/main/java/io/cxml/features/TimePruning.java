package io.cxml.features;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.unix_micros;
import static org.apache.spark.sql.functions.xxhash64;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.rdd.RDD;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.classic.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drops, before any shuffle, the feature events that cannot answer any label: an event at time t of an entity is
 * only ever the answer of a label of that entity at a time in [t, t + TTL]. The labels' (entity hash, time) pairs
 * are computed on the executors, collected (16 bytes a pair), sorted and de-duplicated, and broadcast with a bucket
 * index; each event then
 * costs one bucket lookup and a binary search inside its entity's label times. Hash collisions only keep events the
 * join ignores, and dropping an event never changes an answer (an event older than the TTL at every later label of
 * its entity is expired for all of them, and so is everything older), so the join result is unchanged.
 *
 * <p>This is what makes sparse data cheap (at 1 to 10 events per entity over 90 days with a 7-day TTL, more than 90%
 * of the events never reach the shuffle) while costing one narrow pass over the labels. Above {@link
 * #MAX_PAIRS_CONF} label rows (default 4,000,000: a 64 MB broadcast) it falls back to {@link EntityPruning}'s Bloom
 * filter of the label entities, a few bits a label.
 */
final class TimePruning {
    /** Spark configuration key: most label rows whose times are broadcast. */
    static final String MAX_PAIRS_CONF = "spark.cxml.pit.maxBroadcastLabelTimes";
    private static final long DEFAULT_MAX_PAIRS = 4_000_000L;
    private static final Logger LOG = LoggerFactory.getLogger(TimePruning.class);
    private static final String HASH = "_pit_prune_hash";
    private static final String MICROS = "_pit_prune_us";

    private TimePruning() {}

    /**
     * @param events feature events
     * @param eventKey their entity column
     * @param eventTime their time column
     * @param labels label rows
     * @param labelKey the labels' entity column
     * @param labelTime the labels' time column
     * @param ttlMicros the join's TTL in microseconds ({@link Long#MAX_VALUE} for none)
     * @return the events that can answer a label (all of those that do)
     */
    static Dataset<Row> keepEventsAnswering(Dataset<Row> events, String eventKey, String eventTime,
            Dataset<Row> labels, String labelKey, String labelTime, long ttlMicros) {
        DataType keyType = labels.schema().apply(labelKey).dataType();
        Dataset<Row> pairs = labels
                .filter(col(labelKey).isNotNull().and(col(labelTime).isNotNull()))
                .select(xxhash64(col(labelKey).cast(keyType)).as("h"), micros(labelTime).as("t"));
        long max = Long.parseLong(labels.sparkSession().conf().get(MAX_PAIRS_CONF, Long.toString(DEFAULT_MAX_PAIRS)));
        long rows = pairs.count();
        if (rows > max) {
            LOG.info("Point-in-time join: {} label rows are more than {} = {}: pruning the events by entity only",
                    rows, MAX_PAIRS_CONF, max);
            return EntityPruning.keepEntitiesOf(events, eventKey, labels, labelKey);
        }
        LabelTimes times = LabelTimes.of(pairs
                .mapPartitions((MapPartitionsFunction<Row, long[]>) TimePruning::pack,
                        Encoders.javaSerialization(long[].class))
                .collectAsList());
        Broadcast<LabelTimes> shared = JavaSparkContext.fromSparkContext(labels.sparkSession().sparkContext())
                .broadcast(times);
        // The lookup runs on Spark's binary rows, not through a UDF: boxing and converting each event's two longs
        // cost more than the lookup itself.
        Dataset<Row> keyed = events.withColumn(HASH, xxhash64(col(eventKey).cast(keyType)))
                .withColumn(MICROS, micros(eventTime));
        int hashAt = keyed.columns().length - 2;
        RDD<InternalRow> kept = ((org.apache.spark.sql.classic.Dataset<Row>) keyed).queryExecution().toRdd()
                .toJavaRDD()
                .filter(row -> !row.isNullAt(hashAt) && !row.isNullAt(hashAt + 1)
                        && shared.value().hasLabelWithin(row.getLong(hashAt), row.getLong(hashAt + 1), ttlMicros))
                .rdd();
        return ((SparkSession) labels.sparkSession()).internalCreateDataFrame(kept, keyed.schema(), false)
                .drop(HASH, MICROS);
    }

    private static Column micros(String column) {
        return unix_micros(col(column).cast(DataTypes.TimestampType));
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

        /** @return whether some label of this entity hash is at a time in [time, time + ttl] */
        boolean hasLabelWithin(long hash, long time, long ttlMicros) {
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
            return 2 * lo < pairs.length && pairs[2 * lo] == hash && pairs[2 * lo + 1] - time <= ttlMicros;
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
