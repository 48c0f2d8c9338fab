package io.cxml.jobs.experiment;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cxml.jobs.config.ConfigError;
import io.cxml.jobs.config.ConfigLoader;
import io.cxml.jobs.config.Settings;
import io.cxml.testing.LocalSpark;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What the replay refuses before reading any data (the estimate itself: {@code ReplayEstimateTest}). */
class ExperimentReplayCommandTest {
    private static final Instant FROM = Instant.parse("2026-01-01T00:00:00Z");
    private static final Instant TO = Instant.parse("2026-01-15T00:00:00Z");

    @Test
    void aSentimentExperimentHasNoRouteToReplay() {
        assertThatThrownBy(() -> ExperimentReplayCommand.run(settings("sentiment"), "ab", FROM, TO, TO, System.out))
                .isInstanceOf(ConfigError.class).hasMessage("Cannot replay experiment 'ab': its arms are sentiment "
                        + "versions, which do not change the route; the replay compares routes (intent or routing "
                        + "experiments)");
    }

    @Test
    void anEmptyWindowIsRefused() {
        assertThatThrownBy(() -> ExperimentReplayCommand.run(settings("routing"), "ab", TO, FROM, TO, System.out))
                .isInstanceOf(ConfigError.class).hasMessageContaining("--to is the first time left out");
    }

    @Test
    void anUnknownExperimentIsNamed() {
        assertThatThrownBy(() -> ExperimentReplayCommand.run(settings("routing"), "other", FROM, TO, TO, System.out))
                .isInstanceOf(ConfigError.class).hasMessageContaining("other");
    }

    private static Settings settings(String model) {
        return Settings.resolve(ConfigLoader.create().optConfDir(LocalSpark.projectDir().resolve("conf"))
                .addOverrides(List.of("cxml.experiments=[{name = ab, model = " + model + ", unit = ticket, "
                        + "traffic-share = 1.0, arms = [{name = control, version = \"" + model + "@v1\"}, "
                        + "{name = challenger, version = \"" + model + "@v2\"}], start = \"2026-02-01\", "
                        + "end = \"2026-03-01\", primary-metric = reopen, minimum-detectable-effect = 0.1}]")).load());
    }
}
