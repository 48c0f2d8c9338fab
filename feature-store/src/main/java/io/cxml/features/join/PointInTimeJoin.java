package io.cxml.features.join;

import static org.apache.spark.sql.functions.approx_count_distinct;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.to_json;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.MapType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * As-of join: each label row gets, per entity, the latest feature event whose event time is at or before the label
 * time, or null when that event is older than the TTL.
 *
 * <p>Rules (the same for every {@link Strategy}): an event at exactly the label time joins (event time &lt;= label
 * time, the view contract guarantees its values were knowable then); one a microsecond later does not. Several events
 * with the same entity and time resolve to the greatest by the tie-breaker (by default the feature values
 * themselves), whatever the input order or partitioning. A label with a null entity or time gets nulls. Label rows and
 * their columns are kept as they are, duplicates included.
 */
public final class PointInTimeJoin {
    /** TTLs from here on mean "no limit" (and stay clear of overflowing microseconds). */
    private static final Duration MAX_TTL = Duration.ofDays(100_000);
    private static final Logger LOG = LoggerFactory.getLogger(PointInTimeJoin.class);

    private PointInTimeJoin() {}

    /**
     * How the join runs; all give the same rows (the tests run every one of them). The plain sort-merge without
     * pruning ({@code SORT_MERGE}) was removed: it was never the fastest at any density measured (its figures stay
     * in docs/features.md).
     */
    public enum Strategy {
        /**
         * Labels and events are hash-partitioned by entity separately, each partition sorted by time alone (one
         * long: Spark radix-sorts it) and merged keeping the latest event per entity in a map that drops entries
         * older than the TTL ({@link TimeOrderedMerge}). Saves the sort's entity comparisons, which dominate from tens of events per entity;
         * holds the entities with an event within the TTL (without a TTL, all of a partition's entities) in memory.
         */
        TIME_ORDERED_MERGE,
        /**
         * Drops, before the shuffle, the events whose entity no label has (a Bloom filter of the label entities built
         * on the executors, {@link EntityPruning}: a few bits a label), then hash-partitions labels and events by
         * entity separately, sorts the partitions by (entity, time) and merges them in one streaming pass that
         * carries the latest event forward ({@link PointInTimeMerge}): one shuffle and one sort per side, no
         * per-entity buffering, so memory does not grow with the events per entity. What {@link #SLOT_MERGE} and
         * {@link #AUTO} run above the broadcast limit of label times.
         */
        PRUNED_SORT_MERGE,
        /**
         * The label-slot join ({@link SlotJoin}): the labels' (entity hash, time) pairs are broadcast, each task
         * keeps of its events only the latest of each label slot within the TTL (the events no label sees never
         * leave it), and the join runs on those, hashed by entity, with no sort on either side. Costs two more passes
         * over the labels (a count and the pairs) and, on every executor, about 12 bytes a label time plus 30 an
         * entity, and per task 16 bytes a label time; with more label rows
         * than {@code spark.cxml.pit.maxBroadcastLabelTimes} (default 4,000,000) it runs {@link #PRUNED_SORT_MERGE}
         * instead. The fastest at every density measured, 1 to 10,000 events per entity (docs/features.md).
         */
        SLOT_MERGE,
        /**
         * Chooses by one pass over the (key) labels, which counts their rows and distinct entities: {@link
         * #SLOT_MERGE} when their times fit the broadcast; above it {@link #TIME_ORDERED_MERGE} from {@link
         * #DENSE_EVENTS_PER_ENTITY} label rows per entity up, else {@link #PRUNED_SORT_MERGE}. The labels per entity
         * stand for the events per entity, as they do where labels and events are the same records (tickets and
         * their history: {@link io.cxml.features.TrainingSetBuilder}).
         */
        AUTO
    }

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

        /** @return the output column holding the joined event's time */
        public String eventTimeOutput() {
            return prefix + "event_time";
        }

        /** @return the TTL in microseconds, {@link Long#MAX_VALUE} for no limit */
        long ttlMicros() {
            return ttl == null || ttl.compareTo(MAX_TTL) >= 0 ? Long.MAX_VALUE : ttl.toNanos() / 1_000L;
        }
    }

    /**
     * Events per entity from which {@link Strategy#TIME_ORDERED_MERGE} is faster than the sort-merge (measured at 1M
     * labels x 10M events: the sort-merge wins at 1 and 10, the time-ordered merge from 100 up; docs/features.md):
     * where {@link Strategy#AUTO} switches when the label slots do not fit the broadcast.
     */
    public static final double DENSE_EVENTS_PER_ENTITY = 30.0;

    /**
     * Label rows with an entity, and their rows per distinct entity.
     *
     * @param rows label rows with a non-null entity key
     * @param perEntity rows per distinct entity (approximate, 5 %), 0 when there are none
     */
    public record LabelDensity(long rows, double perEntity) {
        /**
         * One pass over some labels.
         *
         * @param labels label rows
         * @param entityKey their entity column
         * @return their density
         */
        public static LabelDensity of(Dataset<Row> labels, String entityKey) {
            Row r = labels.filter(col(entityKey).isNotNull())
                    .agg(count(lit(1)), approx_count_distinct(col(entityKey), 0.05)).first();
            return new LabelDensity(r.getLong(0), r.getLong(1) == 0 ? 0.0 : (double) r.getLong(0) / r.getLong(1));
        }
    }

    /**
     * Joins with the default strategy, {@link Strategy#AUTO}.
     *
     * @param labels label rows; must hold {@code spec.entityKey()} and {@code labelTimeColumn}
     * @param labelTimeColumn timestamp (or date) column of the labels
     * @param events feature events; must hold the entity key, event time and features
     * @param spec what to join
     * @return the label rows, in no particular order, with {@code <prefix>event_time} and the prefixed features added
     */
    public static Dataset<Row> asOf(Dataset<Row> labels, String labelTimeColumn, Dataset<Row> events, Spec spec) {
        return asOf(labels, labelTimeColumn, events, spec, Strategy.AUTO);
    }

    /**
     * Joins with a given strategy.
     *
     * @param labels label rows; must hold {@code spec.entityKey()} and {@code labelTimeColumn}
     * @param labelTimeColumn timestamp (or date) column of the labels
     * @param events feature events; must hold the entity key, event time and features
     * @param spec what to join
     * @param strategy how
     * @return the label rows, in no particular order, with {@code <prefix>event_time} and the prefixed features added
     */
    public static Dataset<Row> asOf(Dataset<Row> labels, String labelTimeColumn, Dataset<Row> events, Spec spec,
            Strategy strategy) {
        return asOf(labels, labelTimeColumn, events, spec, strategy, labels);
    }

    /**
     * Joins with a given strategy, reading what the strategy needs to know of the labels before the join (the
     * entities to prune to, the label slots) from other rows with the same keys and times: in a chain of joins, the
     * original labels, so that the chain is not computed again.
     *
     * @param labels label rows; must hold {@code spec.entityKey()} and {@code labelTimeColumn}
     * @param labelTimeColumn timestamp (or date) column of the labels
     * @param events feature events; must hold the entity key, event time and features
     * @param spec what to join
     * @param strategy how
     * @param keyLabels rows with exactly the labels' non-null (entity key, label time) pairs, e.g. the labels the
     *     chain started from; deterministic (read from storage or cached)
     * @return the label rows, in no particular order, with {@code <prefix>event_time} and the prefixed features added
     */
    public static Dataset<Row> asOf(Dataset<Row> labels, String labelTimeColumn, Dataset<Row> events, Spec spec,
            Strategy strategy, Dataset<Row> keyLabels) {
        check(labels, "labels", spec.entityKey(), labelTimeColumn);
        check(keyLabels, "key labels", spec.entityKey(), labelTimeColumn);
        check(events, "events", spec.entityKey(), spec.eventTimeColumn());
        check(events, "events", spec.features().toArray(new String[0]));
        for (String f : spec.features()) {
            String out = spec.prefix() + f;
            if (Arrays.asList(labels.columns()).contains(out)) {
                throw new IllegalArgumentException("Cannot join features: the labels already have a column " + out
                        + ". Use another prefix or drop the column");
            }
        }
        Column tie = tieBreaker(spec, events);
        return switch (strategy) {
            case TIME_ORDERED_MERGE -> PointInTimeMerge.join(labels, labelTimeColumn, events, spec, tie, null, true);
            case PRUNED_SORT_MERGE -> PointInTimeMerge.join(labels, labelTimeColumn, events, spec, tie, keyLabels,
                    false);
            case SLOT_MERGE -> slotMerge(labels, labelTimeColumn, events, spec, tie, keyLabels,
                    keyLabels.filter(col(spec.entityKey()).isNotNull().and(col(labelTimeColumn).isNotNull())).count());
            case AUTO -> auto(labels, labelTimeColumn, events, spec, tie, keyLabels);
        };
    }

    private static Dataset<Row> auto(Dataset<Row> labels, String labelTimeColumn, Dataset<Row> events, Spec spec,
            Column tie, Dataset<Row> keyLabels) {
        LabelDensity density = LabelDensity.of(keyLabels, spec.entityKey());
        boolean fits = density.rows() <= LabelSlots.maxBroadcastRows(labels.sparkSession());
        boolean dense = density.perEntity() >= DENSE_EVENTS_PER_ENTITY;
        LOG.info("Point-in-time join on {}: {} label rows, {} per entity: {}", spec.entityKey(), density.rows(),
                String.format("%.1f", density.perEntity()), fits ? Strategy.SLOT_MERGE
                        : dense ? Strategy.TIME_ORDERED_MERGE : Strategy.PRUNED_SORT_MERGE);
        if (fits) {
            return slotMerge(labels, labelTimeColumn, events, spec, tie, keyLabels, density.rows());
        }
        return PointInTimeMerge.join(labels, labelTimeColumn, events, spec, tie, dense ? null : keyLabels, dense);
    }

    /** The slot join when {@code labelRows} fit the broadcast, else the sort-merge after pruning by entity. */
    private static Dataset<Row> slotMerge(Dataset<Row> labels, String labelTimeColumn, Dataset<Row> events, Spec spec,
            Column tie, Dataset<Row> keyLabels, long labelRows) {
        long max = LabelSlots.maxBroadcastRows(labels.sparkSession());
        if (labelRows > max) {
            LOG.info("Point-in-time join on {}: {} label rows are more than {} = {}: sort-merging, events pruned by "
                    + "entity", spec.entityKey(), labelRows, LabelSlots.MAX_PAIRS_CONF, max);
            return PointInTimeMerge.join(labels, labelTimeColumn, events, spec, tie, keyLabels, false);
        }
        Broadcast<LabelSlots.LabelTimes> slots = LabelSlots.broadcastLabelTimes(keyLabels, spec.entityKey(),
                labelTimeColumn, labels.schema().apply(spec.entityKey()).dataType());
        if (!slots.value().distinctEntities()) {
            LOG.info("Point-in-time join on {}: two label entities share a hash, sort-merging instead",
                    spec.entityKey());
            return PointInTimeMerge.join(labels, labelTimeColumn, events, spec, tie, null, false);
        }
        return SlotJoin.join(labels, labelTimeColumn, events, spec, tie, slots);
    }

    /** @return the spec's tie-breaker, or by default the feature values */
    private static Column tieBreaker(Spec spec, Dataset<Row> events) {
        return spec.tieBreaker() != null ? spec.tieBreaker() : defaultTieBreaker(events.schema(), spec.features());
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
