package io.cxml.features.view;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.cxml.contract.CuratedInteractions;
import io.cxml.features.CuratedFixtures.Ticket;
import io.cxml.features.CuratedFixtures;
import io.cxml.language.LanguageDetector;
import io.cxml.testing.LocalSpark;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The built-in views against independent brute-force computations over a few thousand random tickets. */
class FeatureViewsTest {
    private static final Duration DAY = Duration.ofDays(1);
    private static final FeatureOptions OPTIONS = FeatureOptions.defaults();
    private static List<Ticket> tickets;
    private static Dataset<Row> curated;

    @BeforeAll
    static void data() {
        SparkSession spark = LocalSpark.get();
        tickets = CuratedFixtures.random(2500, 120, 7);
        curated = CuratedFixtures.toCurated(spark, tickets).cache();
    }

    @Test
    void definitionsAreCompleteAndFingerprintsStable() {
        for (FeatureView v : FeatureViews.builtIn(OPTIONS).all()) {
            FeatureViewDefinition d = v.definition();
            assertThat(d.description()).isNotBlank();
            assertThat(d.fingerprint()).hasSize(16).isEqualTo(v.definition().toBuilder().build().fingerprint());
            // TTL and owner are not part of the stored data; the logic version is.
            assertThat(d.toBuilder().setTtl(Duration.ofDays(2)).optOwner("x").build().fingerprint())
                    .isEqualTo(d.fingerprint());
            assertThat(d.toBuilder().setLogicVersion("other").build().fingerprint()).isNotEqualTo(d.fingerprint());
        }
    }

    @Test
    void customerHistoryMatchesBruteForce() {
        FeatureView view = new CustomerHistoryView(OPTIONS);
        List<Row> rows = view.compute(curated).collectAsList();
        Map<String, Row> byKey = new HashMap<>();
        for (Row r : rows) {
            assertThat(byKey.put(key(r.getString(0), r.getTimestamp(1).toInstant()), r)).as("unique").isNull();
        }
        Set<String> expectedKeys = new LinkedHashSet<>();
        for (Ticket t : tickets) {
            if (t.requester() != null) {
                expectedKeys.add(key(t.requester(), t.created()));
            }
        }
        assertThat(byKey.keySet()).containsExactlyInAnyOrderElementsOf(expectedKeys);

        int withCsat = 0;
        int withTeam = 0;
        for (Ticket q : tickets) {
            if (q.requester() == null) {
                continue;
            }
            Instant t = q.created();
            List<Ticket> mine = tickets.stream().filter(o -> q.requester().equals(o.requester())).toList();
            Row r = byKey.get(key(q.requester(), t));
            assertThat(r.<Long>getAs("prior_tickets_7d")).isEqualTo(createdIn(mine, t, 7));
            assertThat(r.<Long>getAs("prior_tickets_30d")).isEqualTo(createdIn(mine, t, 30));
            assertThat(r.<Long>getAs("prior_tickets_90d")).isEqualTo(createdIn(mine, t, 90));
            assertThat(r.<Long>getAs("prior_tickets_total"))
                    .isEqualTo(mine.stream().filter(o -> o.created().isBefore(t)).count());
            Instant last = mine.stream().map(Ticket::created).filter(c -> c.isBefore(t)).max(Comparator.naturalOrder())
                    .orElse(null);
            if (last == null) {
                assertThat(r.<Object>getAs("days_since_last_ticket")).isNull();
            } else {
                assertThat(r.<Double>getAs("days_since_last_ticket"))
                        .isCloseTo(Duration.between(last, t).toSeconds() / 86400.0, within(1e-9));
            }
            List<Ticket> known = mine.stream()
                    .filter(o -> known(o).isBefore(t) && !known(o).isBefore(t.minus(DAY.multipliedBy(90)))).toList();
            assertThat(r.<Long>getAs("known_outcomes_90d")).isEqualTo(known.size());
            List<Integer> csats = known.stream().map(Ticket::csat).filter(c -> c != null).toList();
            if (csats.isEmpty()) {
                assertThat(r.<Object>getAs("csat_mean_90d")).isNull();
            } else {
                withCsat++;
                assertThat(r.<Double>getAs("csat_mean_90d"))
                        .isCloseTo(csats.stream().mapToInt(Integer::intValue).average().orElseThrow(), within(1e-9));
            }
            if (known.isEmpty()) {
                assertThat(r.<Object>getAs("escalation_rate_90d")).isNull();
            } else {
                assertThat(r.<Double>getAs("escalation_rate_90d")).isCloseTo(
                        known.stream().filter(Ticket::escalated).count() / (double) known.size(), within(1e-9));
                assertThat(r.<Double>getAs("reopen_rate_90d")).isCloseTo(
                        known.stream().filter(Ticket::reopened).count() / (double) known.size(), within(1e-9));
            }
            String lastTeam = mine.stream().filter(o -> known(o).isBefore(t) && o.team() != null)
                    .max(Comparator.comparing(FeatureViewsTest::known).thenComparing(Ticket::id))
                    .map(Ticket::team).orElse(null);
            withTeam += lastTeam == null ? 0 : 1;
            assertThat(r.<String>getAs("last_team")).as("last team of %s at %s", q.requester(), t)
                    .isEqualTo(lastTeam);
        }
        assertThat(withCsat).as("exercised").isGreaterThan(tickets.size() / 3);
        assertThat(withTeam).as("exercised").isGreaterThan(tickets.size() / 3);
    }

    @Test
    void accountContextMatchesBruteForce() {
        List<Row> rows = new AccountContextView(OPTIONS).compute(curated).collectAsList();
        Map<String, Row> byKey = new HashMap<>();
        for (Row r : rows) {
            assertThat(byKey.put(key(r.getString(0), r.getTimestamp(1).toInstant()), r)).as("unique").isNull();
        }
        assertThat(byKey).hasSize((int) tickets.stream().map(t -> key(t.account(), t.created())).distinct().count());
        int busy = 0;
        for (Ticket q : tickets) {
            Instant t = q.created();
            List<Ticket> acc = tickets.stream().filter(o -> o.account().equals(q.account())).toList();
            Row r = byKey.get(key(q.account(), t));
            Map<String, Long> open = new TreeMap<>();
            for (Ticket o : acc) {
                Instant s = solved(o);
                if (o.created().isBefore(t) && (s == null || !s.isBefore(t))) {
                    boolean teamKnown = o.team() != null && (s == null || known(o).isBefore(s)) && known(o).isBefore(t);
                    open.merge(teamKnown ? o.team() : AccountContextView.UNASSIGNED, 1L, Long::sum);
                }
            }
            assertThat(r.<Long>getAs("open_tickets"))
                    .isEqualTo(open.values().stream().mapToLong(Long::longValue).sum());
            assertThat(new TreeMap<>(r.<String, Long>getJavaMap(r.fieldIndex("open_tickets_by_team"))))
                    .as("open by team of %s at %s", q.account(), t).isEqualTo(open);
            busy += open.size() > 1 ? 1 : 0;
            assertThat(r.<Long>getAs("teams_known")).isEqualTo(acc.stream()
                    .filter(o -> o.team() != null && known(o).isBefore(t)).map(Ticket::team).distinct().count());
            assertThat(r.<Long>getAs("tickets_7d")).isEqualTo(createdIn(acc, t, 7));
            assertThat(r.<Long>getAs("solved_30d")).isEqualTo(acc.stream().filter(o -> solved(o) != null
                    && solved(o).isBefore(t) && !solved(o).isBefore(t.minus(DAY.multipliedBy(30)))).count());
            ZonedDateTime z = t.atZone(ZoneOffset.UTC);
            boolean weekday = z.getDayOfWeek() != DayOfWeek.SATURDAY && z.getDayOfWeek() != DayOfWeek.SUNDAY;
            assertThat(r.<Boolean>getAs("business_hours")).isEqualTo(weekday && z.getHour() >= 9 && z.getHour() < 18);
        }
        assertThat(busy).as("several teams open at once").isGreaterThan(tickets.size() / 2);
    }

    @Test
    void ticketTextMatchesTheDetectorAndCounts() {
        List<Row> rows = new TicketTextView(OPTIONS).compute(curated.limit(200)).collectAsList();
        LanguageDetector detector = LanguageDetector.forOptions(OPTIONS.languages());
        assertThat(rows).hasSize(200);
        for (Row r : rows) {
            String text = r.getAs(TicketTextView.TEXT);
            Ticket t = tickets.stream().filter(x -> x.id().equals(r.getString(0))).findFirst().orElseThrow();
            assertThat(text).isEqualTo(t.text().toLowerCase(java.util.Locale.ROOT));
            assertThat(r.<Integer>getAs(TicketTextView.TEXT_CHARS)).isEqualTo(text.length());
            assertThat(r.<Integer>getAs(TicketTextView.TEXT_WORDS)).isEqualTo(text.trim().split("\\s+").length);
            assertThat(r.<String>getAs(TicketTextView.LANGUAGE)).isEqualTo(detector.detect(t.text()).language());
            assertThat(r.<String>getAs(TicketTextView.CHANNEL)).isEqualTo(t.channel());
            assertThat(r.getTimestamp(1).toInstant()).isEqualTo(t.created());
        }
        assertThat(rows.stream().map(r -> r.<String>getAs(TicketTextView.LANGUAGE)).distinct().count())
                .isGreaterThanOrEqualTo(8);
        assertThat(curated.columns()).contains(CuratedInteractions.TEXT);
    }

    private static long createdIn(List<Ticket> ts, Instant t, int days) {
        Instant from = t.minus(DAY.multipliedBy(days));
        return ts.stream().filter(o -> o.created().isBefore(t) && !o.created().isBefore(from)).count();
    }

    /** When a ticket's outcome (its latest version) became known. */
    private static Instant known(Ticket t) {
        return t.updated().isBefore(t.created()) ? t.created() : t.updated();
    }

    private static Instant solved(Ticket t) {
        return t.solved() == null ? null : t.solved().isBefore(t.created()) ? t.created() : t.solved();
    }

    private static String key(String entity, Instant t) {
        return entity + "@" + t;
    }
}
