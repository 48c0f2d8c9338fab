package io.cxml.jobs.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cxml.storage.StorageLayout;
import io.cxml.testing.LocalSpark;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Drift planted in the sample from a day on is there from that day, and only then; without it nothing changes. */
class DriftScenarioSampleTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final LocalDate START = LocalDate.parse("2026-03-01");
    private static final LocalDate FROM = LocalDate.parse("2026-03-09");

    @TempDir
    Path tmp;

    private static SampleSpec spec() {
        return SampleSpec.builder().setTickets(5000).setAccounts(6).setDays(12).setSeed(11).setStartDate(START)
                .setBadRecordShare(0.0).setDuplicateShare(0.0).setTicketsPerTask(2500).build();
    }

    /** Latest version of every ticket. */
    private static List<JsonNode> tickets(Path root) throws Exception {
        Map<String, JsonNode> latest = new HashMap<>();
        try (Stream<Path> files = Files.walk(root.resolve("raw/interactions"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".jsonl.gz")).sorted().toList()) {
                try (InputStream in = new GZIPInputStream(Files.newInputStream(f))) {
                    for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                        if (!line.isBlank()) {
                            JsonNode n = JSON.readTree(line);
                            latest.merge(n.get("ticket_id").asText(), n, (a, b) ->
                                    a.get("updated_at").asText().compareTo(b.get("updated_at").asText()) >= 0 ? a : b);
                        }
                    }
                }
            }
        }
        return new ArrayList<>(latest.values());
    }

    private static boolean after(JsonNode t) {
        return !LocalDate.parse(t.get("created_at").asText().substring(0, 10)).isBefore(FROM);
    }

    private static double share(List<JsonNode> ts, java.util.function.Predicate<JsonNode> p) {
        return ts.isEmpty() ? 0 : (double) ts.stream().filter(p).count() / ts.size();
    }

    @Test
    void scenariosStartOnTheirDayAndOnlyThen() throws Exception {
        List<DriftScenario> planted = List.of(new DriftScenario(DriftScenario.Kind.LANGUAGE_SHIFT, FROM),
                new DriftScenario(DriftScenario.Kind.NEW_INTENT, FROM),
                new DriftScenario(DriftScenario.Kind.TEAM_REORG, FROM));
        Path plain = tmp.resolve("plain");
        Path drifted = tmp.resolve("drifted");
        new SampleGenerator(LocalSpark.get(), StorageLayout.of(plain.toString())).generate(spec());
        SampleGenerator generator = new SampleGenerator(LocalSpark.get(), StorageLayout.of(drifted.toString()));
        generator.generate(spec().withScenarios(planted));
        @SuppressWarnings("unchecked")
        Map<String, Object> facts = generator.scenarioFacts();
        String newIntent = (String) ((Map<String, Object>) facts.get("new-intent")).get("intent");
        Map<String, Object> reorg = (Map<String, Object>) facts.get("team-reorg");
        String tenant = (String) reorg.get("tenant");
        String merged = (String) reorg.get("into");
        @SuppressWarnings("unchecked")
        List<String> gone = (List<String>) reorg.get("merged");
        assertThat(newIntent).isNotBlank();
        assertThat(gone).hasSize(2);

        List<JsonNode> base = tickets(plain);
        List<JsonNode> ts = tickets(drifted);
        assertThat(ts).hasSameSizeAs(base);
        List<JsonNode> before = ts.stream().filter(t -> !after(t)).toList();
        List<JsonNode> later = ts.stream().filter(DriftScenarioSampleTest::after).toList();
        List<JsonNode> baseBefore = base.stream().filter(t -> !after(t)).toList();
        List<JsonNode> baseLater = base.stream().filter(DriftScenarioSampleTest::after).toList();
        java.util.function.Predicate<JsonNode> german = t -> "de".equals(t.at("/_truth/language").asText());
        java.util.function.Predicate<JsonNode> isNew = t -> newIntent.equals(t.at("/_truth/intent").asText());

        // Language shift: German jumps by about 40% of the tickets from the day on, not before.
        assertThat(share(before, german)).isCloseTo(share(baseBefore, german), org.assertj.core.data.Offset.offset(0.005));
        assertThat(share(later, german) - share(baseLater, german)).isBetween(0.25, 0.5);
        // New intent: no ticket before the day, many after.
        assertThat(before.stream().filter(isNew).count()).isZero();
        assertThat(share(later.stream().filter(t -> "en".equals(t.at("/_truth/language").asText())).toList(), isNew))
                .isBetween(0.15, 0.4);
        // Team reorganisation: the tenant's two teams become one, from the day on, in that tenant only.
        java.util.function.Predicate<JsonNode> ofTenant = t -> tenant.equals(t.get("account_id").asText());
        java.util.function.Predicate<JsonNode> mergedTeam = t -> merged.equals(t.get("assigned_group").asText());
        assertThat(before.stream().filter(mergedTeam).count()).isZero();
        assertThat(later.stream().filter(ofTenant).filter(mergedTeam).count()).isPositive();
        assertThat(later.stream().filter(ofTenant).filter(t -> gone.contains(t.get("assigned_group").asText())))
                .isEmpty();
        assertThat(ts.stream().filter(ofTenant.negate()).filter(mergedTeam)).isEmpty();

        // The manifest names the scenarios, so a sample with them is not taken for one without.
        String manifest = Files.readString(drifted.resolve("raw/interactions/" + SampleManifest.FILE_NAME));
        assertThat(JSON.readTree(manifest).at("/spec/scenarios/0").asText()).isEqualTo("language-shift:2026-03-09");
        assertThat(SampleManifest.sameSpec(manifest, spec())).isFalse();
    }

    @Test
    void scenarioArgumentsAreChecked() {
        assertThat(DriftScenario.parse("team-reorg", FROM)).isEqualTo(new DriftScenario(
                DriftScenario.Kind.TEAM_REORG, FROM));
        assertThat(DriftScenario.parse("New-Intent:2026-03-05", FROM).from()).isEqualTo(LocalDate.parse("2026-03-05"));
        assertThatThrownBy(() -> DriftScenario.parse("weather:2026-03-05", FROM))
                .hasMessageContaining("the kinds are language-shift, new-intent and team-reorg");
        assertThatThrownBy(() -> DriftScenario.parse("new-intent:soon", FROM)).hasMessageContaining("is not a date");
        assertThatThrownBy(() -> spec().withScenarios(List.of(new DriftScenario(DriftScenario.Kind.NEW_INTENT,
                START)))).hasMessageContaining("must start inside the history, after its first day");
    }
}
