package io.cxml.jobs.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cxml.experiments.ExperimentUnit;
import io.cxml.experiments.Metric;
import io.cxml.testing.LocalSpark;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code cxml.experiments}: parsed into typed experiments at start-up; every mistake is one line naming it. */
class ExperimentSettingsTest {
    private static final Path CONF = LocalSpark.projectDir().resolve("conf");

    static String experiment(String name, String model, String start, String end, String extra) {
        return "{name = " + name + ", model = " + model + ", unit = requester, traffic-share = 0.2, arms = [{name = "
                + "control, version = \"" + model + "@champion\"}, {name = challenger, version = \"" + model
                + "@v2\", weight = 1}], start = \"" + start + "\", end = \"" + end + "\", primary-metric = reopen, "
                + "guardrails = [csat, escalation], minimum-detectable-effect = 0.05" + extra + "}";
    }

    private static Settings load(String... experiments) {
        return Settings.resolve(ConfigLoader.create().optConfDir(CONF)
                .addOverrides(List.of("cxml.experiments=[" + String.join(", ", experiments) + "]")).load());
    }

    @Test
    void experimentsAreTyped() {
        Settings s = load(experiment("routing-v2", "routing", "2026-02-01", "2026-03-01", ", maturity = 3d"),
                experiment("intent-v5", "intent", "2026-03-01", "2026-03-15T12:00:00Z", ""));
        var e = s.experiments().named("routing-v2");
        assertThat(e.unit()).isEqualTo(ExperimentUnit.REQUESTER);
        assertThat(e.trafficShare()).isEqualTo(0.2);
        assertThat(e.control().version()).isEqualTo("routing@champion");
        assertThat(e.metrics()).containsExactly(Metric.REOPEN, Metric.CSAT, Metric.ESCALATION);
        assertThat(e.maturity()).isEqualTo(Duration.ofDays(3));
        assertThat(s.experiments().named("intent-v5").maturity()).isEqualTo(Duration.ofDays(7));
        assertThat(s.experiments().activeDuring(Instant.parse("2026-03-10T00:00:00Z"),
                Instant.parse("2026-03-11T00:00:00Z")).orElseThrow().name()).isEqualTo("intent-v5");
        assertThat(load().experiments().experiments()).isEmpty();
        assertThat(load().experiments().alpha()).isEqualTo(0.05);
    }

    @Test
    void mistakesFailWithOneLineNamingTheExperiment() {
        assertThatThrownBy(() -> load(experiment("a", "routing", "2026-02-01", "2026-03-01", ""),
                experiment("b", "routing", "2026-02-15", "2026-04-01", ""))).isInstanceOf(ConfigError.class)
                .hasMessage("Cannot use experiment 'b' (cxml.experiments): it overlaps 'a' (2026-02-01T00:00:00Z .. "
                        + "2026-03-01T00:00:00Z) on the same model routing: a ticket can be served one routing version "
                        + "only; move its start to 2026-03-01T00:00:00Z or later");
        assertThatThrownBy(() -> load(experiment("a", "routing", "2026-02-01", "2026-03-01", ""),
                experiment("b", "intent", "2026-02-15", "2026-04-01", ""))).isInstanceOf(ConfigError.class)
                .hasMessageContaining("it overlaps 'a'").hasMessageContaining("scored tickets record one experiment");
        assertThatThrownBy(() -> load(experiment("a", "ranking", "2026-02-01", "2026-03-01", "")))
                .isInstanceOf(ConfigError.class).hasMessage("Cannot use experiment 'a' (cxml.experiments): model "
                        + "'ranking' is not one of intent, routing, sentiment");
        assertThatThrownBy(() -> load(experiment("a", "routing", "2026-03-01", "2026-02-01", "")))
                .hasMessageContaining("start 2026-03-01T00:00:00Z must be before end 2026-02-01T00:00:00Z");
        assertThatThrownBy(() -> load(experiment("a", "routing", "2026-02-01", "2026-03-01", ", colour = red")))
                .hasMessageStartingWith("Cannot use experiment 'a' (cxml.experiments): unknown key 'colour'");
        assertThatThrownBy(() -> load(experiment("a", "routing", "2026-02-01", "2026-03-01", "")
                .replace("primary-metric = reopen", "primary-metric = nps")))
                .hasMessageEndingWith("metric 'nps' is not one of csat, reopen, escalation, handle_time, reassignment");
        assertThatThrownBy(() -> load(experiment("a", "routing", "2026-02-01", "2026-03-01", "")
                .replace("traffic-share = 0.2", "traffic-share = 1.5")))
                .hasMessageEndingWith("traffic-share 1.5 must be in (0, 1]");
        assertThatThrownBy(() -> load(experiment("a", "routing", "2026-02-01", "2026-03-01", "")
                .replace("routing@v2", "intent@v2")))
                .hasMessageEndingWith("arm 'challenger' serves 'intent@v2': use routing@<version or alias>");
        assertThatThrownBy(() -> load(experiment("a", "routing", "2026-02-01", "2026-03-01", "")
                .replace(", minimum-detectable-effect = 0.05", ""))).isInstanceOf(ConfigError.class)
                .hasMessage("Cannot use experiment 'a' (cxml.experiments): 'minimum-detectable-effect' is missing; "
                        + "give the smallest relative change of the primary metric worth detecting, e.g. 0.05 (it also "
                        + "scales the always-valid intervals)");
        assertThatThrownBy(() -> load(experiment("a", "routing", "2026-02-01", "2026-03-01", ""))
                .experiments().named("b")).hasMessage("Cannot find experiment 'b' in cxml.experiments; configured: [a]");
    }
}
