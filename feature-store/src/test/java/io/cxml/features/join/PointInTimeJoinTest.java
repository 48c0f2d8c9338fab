package io.cxml.features.join;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cxml.features.join.PointInTimeJoin.Strategy;
import io.cxml.testing.LocalSpark;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class PointInTimeJoinTest {
    private static final StructType LABELS = new StructType()
            .add("label_id", DataTypes.LongType, false)
            .add("entity", DataTypes.StringType, true)
            .add("label_time", DataTypes.TimestampType, true);
    private static final StructType EVENTS = new StructType()
            .add("entity", DataTypes.StringType, false)
            .add("event_time", DataTypes.TimestampType, false)
            .add("seq", DataTypes.LongType, false)
            .add("value", DataTypes.DoubleType, true)
            .add("name", DataTypes.StringType, true);
    private static final Instant T0 = Instant.parse("2026-03-10T12:00:00Z");
    private static final Duration TTL = Duration.ofDays(3);
    private static final Duration RANDOM_TTL = Duration.ofHours(8);
    private static final PointInTimeJoin.Spec SPEC =
            new PointInTimeJoin.Spec("entity", "event_time", List.of("value", "name"), TTL, "f__", null);
    /** About one event per entity every 6.5 hours: an 8-hour TTL leaves a good share of labels unmatched. */
    private static final PointInTimeJoin.Spec RANDOM_SPEC = new PointInTimeJoin.Spec("entity", "event_time",
            List.of("value", "name"), RANDOM_TTL, "f__", col("seq"));

    private final SparkSession spark = LocalSpark.get();

    @ParameterizedTest
    @EnumSource(Strategy.class)
    void eventOneSecondAfterTheLabelNeverJoins(Strategy strategy) {
        Dataset<Row> labels = labels(label(1, "a", T0), label(2, "b", T0));
        Dataset<Row> events = events(
                event("a", T0.minusSeconds(60), 1, 1.0, "earlier"),
                event("a", T0.plusSeconds(1), 2, 2.0, "future"),
                event("b", T0.plusSeconds(1), 3, 3.0, "future"),
                event("b", T0.plusNanos(1_000), 4, 4.0, "one microsecond late"));
        Map<Long, Row> out = byLabel(PointInTimeJoin.asOf(labels, "label_time", events, SPEC, strategy));
        assertThat(out.get(1L).<String>getAs("f__name")).isEqualTo("earlier");
        assertThat(out.get(1L).<Timestamp>getAs("f__event_time").toInstant()).isEqualTo(T0.minusSeconds(60));
        assertThat(out.get(2L).<String>getAs("f__name")).isNull();
        assertThat(out.get(2L).<Object>getAs("f__value")).isNull();
    }

    @ParameterizedTest
    @EnumSource(Strategy.class)
    void eventAtExactlyTheLabelTimeJoins(Strategy strategy) {
        Map<Long, Row> out = byLabel(PointInTimeJoin.asOf(labels(label(1, "a", T0)), "label_time",
                events(event("a", T0, 1, 1.5, "same instant")), SPEC, strategy));
        assertThat(out.get(1L).<Double>getAs("f__value")).isEqualTo(1.5);
    }

    @ParameterizedTest
    @EnumSource(Strategy.class)
    void ttlExpiryYieldsNullAndTheBoundaryStillJoins(Strategy strategy) {
        Dataset<Row> labels = labels(label(1, "a", T0), label(2, "b", T0));
        Dataset<Row> events = events(
                event("a", T0.minus(TTL), 1, 1.0, "exactly at the TTL"),
                event("b", T0.minus(TTL).minusSeconds(1), 2, 2.0, "one second too old"));
        Map<Long, Row> out = byLabel(PointInTimeJoin.asOf(labels, "label_time", events, SPEC, strategy));
        assertThat(out.get(1L).<String>getAs("f__name")).isEqualTo("exactly at the TTL");
        assertThat(out.get(2L).<String>getAs("f__name")).isNull();
        assertThat(out.get(2L).<Object>getAs("f__event_time")).isNull();
    }

    @ParameterizedTest
    @EnumSource(Strategy.class)
    void expiredLatestEventDoesNotFallBackToAnOlderOne(Strategy strategy) {
        // The latest event is too old: an even older one must not be taken instead.
        Dataset<Row> events = events(event("a", T0.minus(Duration.ofDays(5)), 1, 1.0, "older"),
                event("a", T0.minus(Duration.ofDays(4)), 2, 2.0, "latest"));
        Row r = byLabel(PointInTimeJoin.asOf(labels(label(1, "a", T0)), "label_time", events, SPEC, strategy))
                .get(1L);
        assertThat(r.<Object>getAs("f__value")).isNull();
    }

    @ParameterizedTest
    @EnumSource(Strategy.class)
    void nullFeatureValuesAreNotFilledFromOlderEvents(Strategy strategy) {
        Dataset<Row> events = events(event("a", T0.minusSeconds(20), 1, 7.0, "old"),
                event("a", T0.minusSeconds(10), 2, null, null));
        Row r = byLabel(PointInTimeJoin.asOf(labels(label(1, "a", T0)), "label_time", events, SPEC, strategy))
                .get(1L);
        assertThat(r.<Timestamp>getAs("f__event_time").toInstant()).isEqualTo(T0.minusSeconds(10));
        assertThat(r.<Object>getAs("f__value")).isNull();
        assertThat(r.<Object>getAs("f__name")).isNull();
    }

    @ParameterizedTest
    @EnumSource(Strategy.class)
    void eventsAtTheSameTimestampResolveDeterministically(Strategy strategy) {
        List<Row> same = List.of(
                event("a", T0.minusSeconds(5), 1, 1.0, "x"),
                event("a", T0.minusSeconds(5), 2, 9.0, "m"),
                event("a", T0.minusSeconds(5), 3, 3.0, "z"));
        Dataset<Row> labels = labels(label(1, "a", T0), label(2, "a", T0.plusSeconds(1)));
        List<Row> reversed = new ArrayList<>(same);
        java.util.Collections.reverse(reversed);
        // Default tie-breaker: the greatest feature values (value, then name; nulls first), whatever the order or
        // partitioning.
        Comparator<Row> byValues = Comparator.comparing((Row e) -> e.isNullAt(3) ? null : e.getDouble(3),
                Comparator.nullsFirst(Comparator.<Double>naturalOrder()))
                .thenComparing(e -> e.getString(4), Comparator.nullsFirst(Comparator.<String>naturalOrder()));
        String expected = json(same.stream().max(byValues).orElseThrow());
        for (Dataset<Row> events : List.of(events(same.toArray(Row[]::new)),
                events(reversed.toArray(Row[]::new)).repartition(3),
                events(same.toArray(Row[]::new)).repartition(2).sortWithinPartitions(col("seq").desc()))) {
            Map<Long, Row> out = byLabel(PointInTimeJoin.asOf(labels, "label_time", events, SPEC, strategy));
            for (Row r : out.values()) {
                assertThat(json(r.getAs("f__value"), r.getAs("f__name"))).isEqualTo(expected);
            }
        }
        // An explicit tie-breaker: greatest seq wins.
        PointInTimeJoin.Spec bySeq = new PointInTimeJoin.Spec("entity", "event_time", List.of("value", "name"),
                TTL, "f__", col("seq"));
        Map<Long, Row> out = byLabel(PointInTimeJoin.asOf(labels, "label_time",
                events(reversed.toArray(Row[]::new)), bySeq, strategy));
        assertThat(out.get(1L).<String>getAs("f__name")).isEqualTo("z");
    }

    @ParameterizedTest
    @EnumSource(Strategy.class)
    void labelsAreKeptOneForOneWithNullEntitiesAndDuplicates(Strategy strategy) {
        Dataset<Row> labels = labels(label(1, "a", T0), label(1, "a", T0), label(3, null, T0), label(4, "a", null));
        Dataset<Row> out = PointInTimeJoin.asOf(labels, "label_time",
                events(event("a", T0.minusSeconds(1), 1, 1.0, "v")), SPEC, strategy);
        List<Row> rows = out.collectAsList();
        assertThat(rows).hasSize(4);
        assertThat(rows.stream().filter(r -> r.getLong(0) == 1L).map(r -> r.<String>getAs("f__name")))
                .containsExactly("v", "v");
        assertThat(rows.stream().filter(r -> r.getLong(0) != 1L).map(r -> r.<Object>getAs("f__name")))
                .containsOnlyNulls();
        assertThat(out.columns()).startsWith("label_id", "entity", "label_time", "f__event_time", "f__value");
    }

    @Test
    void rejectsMissingColumnsAndClashingOutputs() {
        Dataset<Row> labels = labels(label(1, "a", T0));
        assertThatThrownBy(() -> PointInTimeJoin.asOf(labels, "when", events(), SPEC))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Cannot join features: the labels have no column 'when' (columns: [label_id, entity, "
                        + "label_time]). Rename or add it");
        PointInTimeJoin.Spec clash = new PointInTimeJoin.Spec("entity", "event_time", List.of("value"), TTL, "label_",
                null);
        Dataset<Row> withValue = labels.withColumn("label_value", col("label_id"));
        assertThatThrownBy(() -> PointInTimeJoin.asOf(withValue, "label_time", events(), clash))
                .hasMessageStartingWith("Cannot join features: the labels already have a column label_value");
    }

    /** A few thousand random labels and events with many exact time collisions, against a brute-force as-of. */
    @ParameterizedTest
    @EnumSource(Strategy.class)
    void matchesBruteForceOnRandomData(Strategy strategy) {
        RandomData data = new RandomData();
        assertAgreesWithBruteForce(data, byLabel(PointInTimeJoin.asOf(data.labels(), "label_time",
                data.events().repartition(4), RANDOM_SPEC, strategy)));
    }

    /** Integral entity keys take the merge's long-key path; the answers are those of the string keys. */
    @ParameterizedTest
    @EnumSource(Strategy.class)
    void matchesBruteForceWithIntegerEntityKeys(Strategy strategy) {
        RandomData data = new RandomData();
        Column asInt = expr("cast(substring(entity, 2) as int)");
        assertAgreesWithBruteForce(data, byLabel(PointInTimeJoin.asOf(data.labels().withColumn("entity", asInt),
                "label_time", data.events().withColumn("entity", asInt).repartition(3), RANDOM_SPEC, strategy)));
    }

    /**
     * Above the broadcast limit of label times, the slot join sort-merges (events pruned by entity) and AUTO, at 75
     * labels per entity, merges in time order: exactly.
     */
    @ParameterizedTest
    @EnumSource(names = {"SLOT_MERGE", "AUTO"})
    void slotMergeAndAutoFallBackAboveTheBroadcastLimit(Strategy strategy) {
        RandomData data = new RandomData();
        spark.conf().set(LabelSlots.MAX_PAIRS_CONF, "10");
        try {
            assertAgreesWithBruteForce(data, byLabel(PointInTimeJoin.asOf(data.labels(), "label_time",
                    data.events(), RANDOM_SPEC, strategy)));
        } finally {
            spark.conf().unset(LabelSlots.MAX_PAIRS_CONF);
        }
    }

    /**
     * In a chain of joins the slots come from the original labels (keyLabels); labels that are not among them mean
     * the labels changed between two reads, which fails with a message saying so rather than joining wrongly.
     */
    @Test
    void slotMergeTakesTheSlotsFromTheKeyLabelsAndRefusesLabelsNotAmongThem() {
        RandomData data = new RandomData();
        Dataset<Row> chained = PointInTimeJoin.asOf(data.labels(), "label_time", data.events(), RANDOM_SPEC,
                Strategy.PRUNED_SORT_MERGE);
        PointInTimeJoin.Spec again = new PointInTimeJoin.Spec("entity", "event_time", List.of("value", "name"),
                RANDOM_TTL, "g__", col("seq"));
        Map<Long, Row> out = byLabel(PointInTimeJoin.asOf(chained, "label_time", data.events(), again,
                Strategy.SLOT_MERGE, data.labels()));
        for (Row r : out.values()) {
            assertThat(r.<Object>getAs("g__name")).isEqualTo(r.getAs("f__name"));
        }

        Dataset<Row> fewer = data.labels().filter(col("label_id").mod(2).equalTo(0));
        assertThatThrownBy(() -> PointInTimeJoin.asOf(data.labels(), "label_time", data.events(), RANDOM_SPEC,
                Strategy.SLOT_MERGE, fewer).collectAsList())
                .hasStackTraceContaining("the labels changed between two reads");
    }

    /** Dense events with tied times and the default tie-breaker, with a task passing its best events on early. */
    @ParameterizedTest
    @ValueSource(ints = {1, 7, 1_000_000})
    void slotMergeStaysExactWhenTasksPassTheirEventsOnEarly(int maxSlotEvents) {
        RandomData data = new RandomData(5, 20_000);
        PointInTimeJoin.Spec spec = new PointInTimeJoin.Spec("entity", "event_time", List.of("value", "name"),
                RANDOM_TTL, "f__", null);
        spark.conf().set(LabelSlots.MAX_KEPT_CONF, Integer.toString(maxSlotEvents));
        try {
            Map<Long, Row> slots = byLabel(PointInTimeJoin.asOf(data.labels(), "label_time",
                    data.events().repartition(3), spec, Strategy.SLOT_MERGE));
            Map<Long, Row> plain = byLabel(PointInTimeJoin.asOf(data.labels(), "label_time", data.events(), spec,
                    Strategy.PRUNED_SORT_MERGE));
            assertThat(slots).isEqualTo(plain);
            assertThat(plain.values().stream().filter(r -> r.getAs("f__name") != null).count())
                    .isGreaterThan(data.labelRows.size() / 2);
        } finally {
            spark.conf().unset(LabelSlots.MAX_KEPT_CONF);
        }
    }

    /**
     * Slots: exact lookups for labels, the first slot of an entity, the check hash; and two label entities with one
     * hash (told apart by their check hashes) reported, so that the join does not run on slots naming two entities.
     */
    @Test
    void labelSlotsFindLabelsAndEntitiesAndReportSharedHashes() {
        LabelSlots.LabelTimes slots = LabelSlots.LabelTimes.of(List.of(new long[] {
            5, 300, 55, 5, 100, 55, -9, 100, 99, 5, 100, 55, 5, 200, 55}));
        assertThat(slots.size()).isEqualTo(4); // (5, 100) twice
        assertThat(slots.distinctEntities()).isTrue();
        int s100 = slots.slotOf(5, 100);
        assertThat(slots.slotOf(5, 200)).isEqualTo(s100 + 1);
        assertThat(slots.slotOf(5, 150)).isEqualTo(-1);
        assertThat(slots.firstSlotOfEntity(s100 + 2)).isEqualTo(s100);
        assertThat(slots.slotWithin(5, 55, 150, 50)).isEqualTo(s100 + 1);
        assertThat(slots.slotWithin(5, 55, 150, 49)).isEqualTo(-1);
        assertThat(slots.slotWithin(5, 56, 150, 50)).as("another entity with the same hash").isEqualTo(-1);
        assertThat(slots.slotWithin(5, 55, 301, Long.MAX_VALUE)).isEqualTo(-1);
        assertThat(slots.slotWithin(6, 55, 100, Long.MAX_VALUE)).isEqualTo(-1);
        assertThat(slots.slotWithin(-9, 99, Long.MIN_VALUE, Long.MAX_VALUE)).isEqualTo(slots.slotOf(-9, 100));

        assertThat(LabelSlots.LabelTimes.of(List.of(new long[] {5, 100, 55, 5, 200, 56})).distinctEntities())
                .isFalse();
        assertThat(LabelSlots.LabelTimes.of(List.of(new long[] {5, 100, 55, 5, 100, 56})).distinctEntities())
                .isFalse();
    }

    @ParameterizedTest
    @EnumSource(Strategy.class)
    void noEventsAtAllGivesEveryLabelNulls(Strategy strategy) {
        Dataset<Row> labels = labels(label(1, "a", T0), label(2, null, T0), label(3, "b", null));
        List<Row> rows = PointInTimeJoin.asOf(labels, "label_time", events(), SPEC, strategy).collectAsList();
        assertThat(rows).hasSize(3);
        assertThat(rows.stream().map(r -> r.<Object>getAs("f__value"))).containsOnlyNulls();
    }

    /** Label times as broadcast for pruning: the lookup answers as a scan of all pairs does. */
    @Test
    void labelTimeLookupMatchesAScan() {
        Random random = new Random(7);
        int n = 5000;
        long[][] pairs = new long[n][];
        for (int i = 0; i < n; i++) {
            // Few distinct hashes (many times each) and extreme ones, to cross bucket edges.
            long h = switch (random.nextInt(10)) {
                case 0 -> Long.MIN_VALUE;
                case 1 -> Long.MAX_VALUE;
                default -> random.nextLong() >> random.nextInt(64);
            };
            pairs[i] = new long[] {h, random.nextInt(1000)};
        }
        long[] interleaved = new long[2 * n];
        for (int i = 0; i < n; i++) {
            interleaved[2 * i] = pairs[i][0];
            interleaved[2 * i + 1] = pairs[i][1];
        }
        LabelSlots.LabelTimes times = LabelSlots.labelTimes(interleaved);
        for (int q = 0; q < 20_000; q++) {
            long[] probe = pairs[random.nextInt(n)];
            long h = random.nextInt(4) == 0 ? random.nextLong() : probe[0];
            long t = probe[1] + random.nextInt(41) - 20;
            long ttl = random.nextInt(30);
            long first = Long.MAX_VALUE; // the first label time of the hash at or after t
            for (long[] p : pairs) {
                if (p[0] == h && p[1] >= t) {
                    first = Math.min(first, p[1]);
                }
            }
            int expected = first != Long.MAX_VALUE && first - t <= ttl ? times.slotOf(h, first) : -1;
            assertThat(times.slotWithin(h, ~h, t, ttl)).as("hash %d time %d ttl %d", h, t, ttl).isEqualTo(expected);
        }
    }

    /** Labels over 40 entities and events over 45, hour-granular times over 30 days. */
    private final class RandomData {
        final List<Row> labelRows = new ArrayList<>();
        final List<Row> eventRows = new ArrayList<>();

        RandomData() {
            this(40, 5000);
        }

        RandomData(int entities, int events) {
            Random random = new Random(42);
            for (long i = 0; i < 3000; i++) {
                String e = "e" + random.nextInt(entities);
                // Hour granularity makes equal times between labels and events, and among events, common.
                Instant t = T0.plus(Duration.ofHours(random.nextInt(24 * 30)));
                labelRows.add(label(i, random.nextInt(50) == 0 ? null : e, t));
            }
            for (long s = 0; s < events; s++) {
                String e = "e" + random.nextInt(entities + 5);
                Instant t = T0.plus(Duration.ofHours(random.nextInt(24 * 30)));
                Double v = random.nextInt(10) == 0 ? null : (double) random.nextInt(1000);
                eventRows.add(event(e, t, s, v, "n" + s));
            }
        }

        Dataset<Row> labels() {
            return PointInTimeJoinTest.this.labels(labelRows.toArray(Row[]::new));
        }

        Dataset<Row> events() {
            return PointInTimeJoinTest.this.events(eventRows.toArray(Row[]::new));
        }
    }

    private static void assertAgreesWithBruteForce(RandomData data, Map<Long, Row> actual) {
        assertThat(actual).hasSize(data.labelRows.size());
        int joined = 0;
        for (Row label : data.labelRows) {
            Row expected = bruteForce(label, data.eventRows, RANDOM_TTL);
            Row got = actual.get(label.getLong(0));
            if (expected == null) {
                assertThat(got.<Object>getAs("f__name")).as("label %s", label).isNull();
                assertThat(got.<Object>getAs("f__event_time")).isNull();
            } else {
                joined++;
                assertThat(got.<String>getAs("f__name")).as("label %s", label).isEqualTo(expected.getString(4));
                assertThat(got.<Object>getAs("f__value")).isEqualTo(expected.isNullAt(3) ? null : expected.get(3));
            }
        }
        // The data must exercise both outcomes.
        assertThat(joined).isBetween(data.labelRows.size() / 4, data.labelRows.size() - data.labelRows.size() / 20);
    }

    /** Latest event with time <= label time (greatest seq on ties), null when none or older than the TTL. */
    private static Row bruteForce(Row label, List<Row> events, Duration ttl) {
        if (label.isNullAt(1) || label.isNullAt(2)) {
            return null;
        }
        Instant labelTime = label.getTimestamp(2).toInstant();
        Row best = null;
        for (Row e : events) {
            Instant t = e.getTimestamp(1).toInstant();
            if (!e.getString(0).equals(label.getString(1)) || t.isAfter(labelTime)) {
                continue;
            }
            if (best == null) {
                best = e;
                continue;
            }
            int byTime = t.compareTo(best.getTimestamp(1).toInstant());
            if (byTime > 0 || (byTime == 0 && e.getLong(2) > best.getLong(2))) {
                best = e;
            }
        }
        if (best == null || Duration.between(best.getTimestamp(1).toInstant(), labelTime).compareTo(ttl) > 0) {
            return null;
        }
        return best;
    }

    private static String json(Row event) {
        return json(event.isNullAt(3) ? null : event.getDouble(3), event.getString(4));
    }

    /** The JSON Spark's to_json writes for {value, name}, computed here independently. */
    private static String json(Double value, String name) {
        StringBuilder b = new StringBuilder("{");
        if (value != null) {
            b.append("\"value\":").append(value);
        }
        if (name != null) {
            b.append(value != null ? "," : "").append("\"name\":\"").append(name).append('"');
        }
        return b.append('}').toString();
    }

    private Map<Long, Row> byLabel(Dataset<Row> joined) {
        Map<Long, Row> out = new HashMap<>();
        for (Row r : joined.collectAsList()) {
            out.put(r.getLong(0), r);
        }
        return out;
    }

    private static Row label(long id, String entity, Instant time) {
        return RowFactory.create(id, entity, time == null ? null : Timestamp.from(time));
    }

    private static Row event(String entity, Instant time, long seq, Double value, String name) {
        return RowFactory.create(entity, Timestamp.from(time), seq, value, name);
    }

    private Dataset<Row> labels(Row... rows) {
        return spark.createDataFrame(List.of(rows), LABELS);
    }

    private Dataset<Row> events(Row... rows) {
        return spark.createDataFrame(List.of(rows), EVENTS);
    }
}
