package io.cxml.jobs.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cxml.experiments.Metric;
import io.cxml.testing.LocalSpark;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code cxml.sample.experiment}: the demo experiment's defaults are typed and a mistake is one line naming the key. */
class SampleSettingsTest {
    private static Settings load(String... overrides) {
        return Settings.resolve(ConfigLoader.create().optConfDir(LocalSpark.projectDir().resolve("conf"))
                .addOverrides(List.of(overrides)).load());
    }

    @Test
    void theDemoExperimentIsTypedAndValidated() {
        SampleSettings.DemoExperiment e = load().sample().experiment();
        assertThat(e.name()).isEqualTo("sample-intent-aab");
        assertThat(e.primaryMetric()).isEqualTo(Metric.ESCALATION);
        assertThat(e.guardrails()).containsExactly(Metric.CSAT, Metric.REOPEN);
        assertThat(e.maturity()).isEqualTo(Duration.ofDays(1));
        assertThat(e.effects().escalation()).isEqualTo(-0.3);
        assertThat(load("cxml.sample.experiment.effects.reopen=0.2").sample().experiment().effects().reopen())
                .isEqualTo(0.2);

        assertThatThrownBy(() -> load("cxml.sample.experiment.primary-metric=nps")).isInstanceOf(ConfigError.class)
                .hasMessage("Wrong value under config key 'cxml.sample.experiment': metric 'nps' is not one of csat, "
                        + "reopen, escalation, handle_time, reassignment");
        assertThatThrownBy(() -> load("cxml.sample.experiment.effects.escalation=-1.5"))
                .isInstanceOf(ConfigError.class).hasMessageStartingWith("Wrong value under config key "
                        + "'cxml.sample.experiment': Cannot plant effects reopen 0.0, escalation -1.5");
        assertThatThrownBy(() -> load("cxml.sample.experiment.name=\"a b\"")).isInstanceOf(ConfigError.class)
                .hasMessageContaining("use a name of letters, digits, '_' or '-'");
    }
}
