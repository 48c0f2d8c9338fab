package io.cxml.inference.monitoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cxml.inference.monitoring.TicketPopulation.Ticket;
import io.cxml.training.profile.Profile;
import io.cxml.training.profile.ProfileColumns;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The drift comparison on a seeded ticket population: planted shifts are found in the slice where they were planted,
 * windows of the same distribution raise no alert over many seeds, and a team reorganisation shows per tenant.
 */
class DriftComparisonTest {
    private static final int REFERENCE = 6000;
    private static final int WINDOW = 3000;
    private static final DriftThresholds T = DriftThresholds.DEFAULT;

    private static Profile reference(long seed) {
        return TicketPopulation.reference(TicketPopulation.scored(seed, TicketPopulation.tickets(seed, REFERENCE)));
    }

    private static DriftResult check(Profile reference, long seed, java.util.function.UnaryOperator<List<Ticket>> drift) {
        List<Ticket> tickets = drift.apply(TicketPopulation.tickets(seed, WINDOW));
        List<Row> rows = TicketPopulation.scored(seed, tickets);
        return DriftComparison.compare(reference, TicketPopulation.profile(rows, reference.edges()), T);
    }

    private static List<DriftFinding> alerts(DriftResult r, Predicate<DriftFinding> which) {
        return r.at(DriftLevel.ALERT).stream().filter(which).toList();
    }

    @Test
    void psiAndJensenShannonHaveTheirTextbookValues() {
        assertThat(DriftMath.psi(Map.of("a", 50L, "b", 50L), Map.of("a", 500L, "b", 500L))).isZero();
        // 0.5/0.5 -> 0.8/0.2: 0.3 ln 1.6 + (-0.3) ln 0.4
        assertThat(DriftMath.psi(Map.of("a", 5L, "b", 5L), Map.of("a", 8L, "b", 2L)))
                .isCloseTo(0.3 * Math.log(1.6) - 0.3 * Math.log(0.4), org.assertj.core.data.Offset.offset(1e-12));
        assertThat(DriftMath.psi(new long[] {1, 1}, new long[] {1, 1})).isZero();
        assertThat(DriftMath.jensenShannon(Map.of("a", 1L), Map.of("b", 1L))).isCloseTo(1.0,
                org.assertj.core.data.Offset.offset(1e-12));
        assertThat(DriftMath.jensenShannon(Map.of("a", 3L, "b", 1L), Map.of("a", 30L, "b", 10L))).isZero();
        assertThatThrownBy(() -> DriftMath.psi(new long[] {1, 2}, new long[] {1})).hasMessageContaining(
                "Cannot compare 2 bins with 1");
        assertThatThrownBy(() -> new DriftThresholds(0.3, 0.25, 0.1, 0.2, 0.05, 0.1, 0.05, 0.1, 200, 15))
                .hasMessageContaining("each warn level must be above 0 and at most its alert level");
    }

    @Test
    void windowsOfTheSameDistributionRaiseNoAlert() {
        int seeds = 30;
        int alerts = 0;
        int warnings = 0;
        for (long seed = 100; seed < 100 + seeds; seed++) {
            DriftResult r = check(reference(seed), seed + 1000, w -> w);
            alerts += r.level() == DriftLevel.ALERT ? 1 : 0;
            warnings += r.level() == DriftLevel.WARN ? 1 : 0;
            assertThat(r.notJudged()).isEmpty();
        }
        System.out.printf("same-distribution windows: %d/%d alerted, %d/%d warned (reference %d, window %d tickets, "
                + "6 tenants, 5 languages)%n", alerts, seeds, warnings, seeds, REFERENCE, WINDOW);
        assertThat(alerts).as("false alerts over %d seeds", seeds).isZero();
        assertThat(warnings).as("false warnings over %d seeds", seeds).isLessThanOrEqualTo(seeds / 5);
    }

    @Test
    void aLanguageMixShiftIsFoundAsTheLanguageMixOverallAndInTheTenantsItHit() {
        Profile reference = reference(1);
        // From the shift on, tenants t0 and t3 get a third of their tickets in German instead of English.
        java.util.Random r = new java.util.Random(5);
        DriftResult result = check(reference, 2, w -> TicketPopulation.map(w,
                t -> (t.tenant().equals("t0") || t.tenant().equals("t3")) && t.language().equals("en")
                        && r.nextDouble() < 0.45, t -> t.withLanguage("de")));

        assertThat(result.level()).isEqualTo(DriftLevel.ALERT);
        DriftFinding worst = result.findings().get(0);
        assertThat(worst.feature()).isEqualTo(ProfileColumns.LANGUAGE);
        assertThat(alerts(result, f -> f.feature().equals(ProfileColumns.LANGUAGE)).stream().map(DriftFinding::slice))
                .containsExactlyInAnyOrder("tenant=t0", "tenant=t3");
        // Diluted over all tenants the shift is smaller, but it is still the largest change of the overall slice.
        assertThat(result.findings().stream().filter(f -> f.slice().equals(ProfileColumns.OVERALL))
                .filter(f -> f.metric().equals(DriftFinding.PSI)).max(java.util.Comparator.comparingDouble(
                        DriftFinding::value)).orElseThrow().feature()).isEqualTo(ProfileColumns.LANGUAGE);
        // The German tickets' tenant mix changed with them; nothing else alerts.
        assertThat(alerts(result, f -> !f.feature().equals(ProfileColumns.LANGUAGE)))
                .allMatch(f -> f.slice().equals("language=de") && f.feature().equals(ProfileColumns.TENANT));
    }

    @Test
    void aNewIntentIsFoundInTheTenantWhereItAppeared() {
        Profile reference = reference(3);
        java.util.Random r = new java.util.Random(9);
        DriftResult result = check(reference, 4, w -> TicketPopulation.map(w,
                t -> t.tenant().equals("t2") && r.nextDouble() < 0.35,
                t -> t.withIntent(TicketPopulation.NEW_INTENT + "crypto_withdrawal")));

        assertThat(result.level()).isEqualTo(DriftLevel.ALERT);
        List<DriftFinding> alerts = result.at(DriftLevel.ALERT);
        assertThat(alerts).extracting(DriftFinding::slice).contains("tenant=t2")
                .doesNotContain("tenant=t0", "tenant=t1", "tenant=t3", "tenant=t4", "tenant=t5");
        assertThat(alerts(result, f -> f.slice().equals("tenant=t2")))
                .extracting(DriftFinding::feature).contains(ProfileColumns.UNKNOWN, ProfileColumns.CONFIDENCE);
        DriftFinding unknown = alerts(result, f -> f.slice().equals("tenant=t2")
                && f.feature().equals(ProfileColumns.UNKNOWN)).get(0);
        assertThat(unknown.window()).isGreaterThan(unknown.reference());
    }

    @Test
    void aTeamReorganisationIsFoundPerTenant() {
        Profile reference = reference(5);
        // Tenant t4 retires team1: its tickets go to a new team.
        DriftResult result = check(reference, 6, w -> TicketPopulation.map(w,
                t -> t.team().equals("t4-team1"), t -> t.withTeam("t4-team-new")));

        List<DriftFinding> team = alerts(result, f -> f.feature().equals(ProfileColumns.TEAM));
        assertThat(team).extracting(DriftFinding::slice).contains("tenant=t4")
                .doesNotContain("tenant=t0", "tenant=t1", "tenant=t2", "tenant=t3", "tenant=t5");
        assertThat(alerts(result, f -> !f.feature().equals(ProfileColumns.TEAM))).isEmpty();
    }

    @Test
    void smallSlicesAreNotJudgedAndTheReportShowsTheWorst(@TempDir Path dir) throws Exception {
        Profile reference = reference(7);
        DriftResult result = DriftComparison.compare(reference, TicketPopulation.profile(TicketPopulation.scored(8,
                TicketPopulation.tickets(8, 600)), reference.edges()), T);
        assertThat(result.notJudged()).isNotEmpty().allMatch(s -> s.contains("judged from 200"));
        assertThat(result.findings()).allMatch(f -> f.slice().equals(ProfileColumns.OVERALL)
                || f.windowRows() >= 200);

        java.util.Random r = new java.util.Random(1);
        DriftResult drifted = check(reference, 9, w -> TicketPopulation.map(w, t -> r.nextDouble() < 0.3,
                t -> t.withLanguage("es")));
        Path html = DriftReport.write("Drift of intent@v1", reference, TicketPopulation.profile(
                TicketPopulation.scored(9, TicketPopulation.tickets(9, WINDOW)), reference.edges()), drifted, dir);
        String text = Files.readString(html);
        assertThat(text).contains("Verdict: <span class=\"ALERT\">ALERT").contains("overall / language")
                .contains("data:image/png;base64,");
    }
}
