package io.cxml.jobs.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.ConfigFactory;
import io.cxml.runtime.executor.DevicePreference;
import io.cxml.testing.LocalSpark;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class SettingsTest {
    private static final Path CONF = LocalSpark.projectDir().resolve("conf");

    private static Settings load(String... overrides) {
        return Settings.resolve(ConfigLoader.create().optConfDir(CONF).addOverrides(List.of(overrides)).load());
    }

    @Test
    void defaultsAreTheOnesApplicationConfDeclares() {
        var file = ConfigFactory.parseFile(CONF.resolve("application.conf").toFile()).resolve();
        Settings s = load();
        assertThat(s.storage().root()).isEqualTo(file.getString(StorageSettings.ROOT));
        assertThat(s.storage().warehouseBatchSize()).isEqualTo(file.getInt(StorageSettings.WH_BATCH_SIZE));
        assertThat(s.spark().master()).isEqualTo(file.getString(SparkSettings.MASTER));
        assertThat(s.ingest().options().maxTextChars()).isEqualTo(file.getInt(IngestSettings.MAX_TEXT_CHARS));
        assertThat(s.sample().tickets()).isEqualTo(file.getLong(SampleSettings.TICKETS));
        assertThat(s.features().splitSeed()).isEqualTo(file.getLong(FeatureSettings.SPLIT_SEED));
        assertThat(s.training().unknownThreshold()).isEqualTo(file.getDouble(TrainingSettings.UNKNOWN_THRESHOLD));
        assertThat(s.training().device()).isEqualTo(DevicePreference.AUTO);
        assertThat(s.training().options("intent").dim()).isEqualTo(file.getInt("cxml.training.intent.dim"));
        assertThat(s.routing().lookbackDays()).isEqualTo(file.getInt(RoutingSettings.LOOKBACK_DAYS));
        assertThat(s.routing().intentModel()).isEqualTo(file.getString(RoutingSettings.INTENT_MODEL));
        assertThat(s.scoring().batchSize()).isEqualTo(file.getInt(ScoringSettings.BATCH_SIZE));
        assertThat(s.scoring().models()).containsEntry("intent", "intent@champion");
        assertThat(s.monitoring().worst()).isEqualTo(file.getInt(MonitoringSettings.WORST));
        assertThat(s.monitoring().qualityTable()).isEqualTo(file.getString(MonitoringSettings.QUALITY_TABLE));
        assertThat(s.assist().rerankCandidates()).isEqualTo(file.getInt(AssistSettings.RERANK_CANDIDATES));
        assertThat(s.assist().hnsw().minTickets()).isEqualTo(file.getLong(AssistSettings.ANN_MIN_TICKETS));
        assertThat(s.assist().hnsw().candidates()).isEqualTo(file.getInt(AssistSettings.ANN_CANDIDATES));
        assertThat(s.assist().hnsw().minQueries()).isEqualTo(file.getLong(AssistSettings.ANN_MIN_QUERIES));
    }

    @Test
    void confOverridesWin() {
        Settings s = load("cxml.scoring.batch-size=64", "cxml.training.device=GPU", "cxml.routing.lookback-days=7",
                "cxml.monitor.drift.worst=3");
        assertThat(s.scoring().batchSize()).isEqualTo(64);
        assertThat(s.training().device()).isEqualTo(DevicePreference.GPU);
        assertThat(s.routing().lookbackDays()).isEqualTo(7);
        assertThat(s.monitoring().worst()).isEqualTo(3);
    }

    @Test
    void badValuesFailWithTheKeyAndTheFix() {
        assertThatThrownBy(() -> load("cxml.training.device=tpu")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Cannot use cxml.training.device = 'tpu': expected auto, cpu or gpu");
        assertThatThrownBy(() -> load("cxml.training.encoder.kind=pretrained")).isInstanceOf(ConfigError.class)
                .hasMessageStartingWith("Cannot fine-tune a pretrained encoder: cxml.training.encoder.path is empty");
        assertThatThrownBy(() -> load("cxml.assist.ann.m=1")).isInstanceOf(ConfigError.class)
                .hasMessage("Cannot search approximately: cxml.assist.ann.m must be in 2..512, got 1");
        assertThatThrownBy(() -> load("cxml.features.languages=[en,xx]")).isInstanceOf(ConfigError.class)
                .hasMessageContaining("'xx' is not an ISO 639-1 code");
        assertThatThrownBy(() -> load("cxml.sample.start-date=soon")).isInstanceOf(ConfigError.class)
                .hasMessage("Cannot read config key 'cxml.sample.start-date': 'soon' is not a date (YYYY-MM-DD)");
        assertThatThrownBy(() -> load("cxml.assist.rerank.candidates=3")).isInstanceOf(ConfigError.class)
                .hasMessage("Cannot use cxml.assist.rerank.candidates = 3: it must be in cxml.assist.top-k (5)..1000");
    }

    @Test
    void headStrengthsAreOneValueOrSeveralToChooseFrom() {
        assertThat(load().training().headRegParams()).containsExactly(0.001);
        assertThat(load("cxml.training.head.reg-param=[1e-4, 1e-2]").training().headRegParams())
                .containsExactly(1e-4, 1e-2);
        assertThat(load("cxml.training.head.ngram-reg-param=[1e-6,1e-5]").training().headNgramRegParams())
                .containsExactly(1e-6, 1e-5);
        assertThatThrownBy(() -> load("cxml.training.head.reg-param=0.01")).isInstanceOf(ConfigError.class)
                .hasMessageContaining("expected a list such as [a, b]");
        assertThatThrownBy(() -> load("cxml.training.head.reg-param=[1e-3, -1]")).isInstanceOf(ConfigError.class)
                .hasMessageStartingWith("Cannot train a head with cxml.training.head.reg-param = [")
                .hasMessageContaining("give one or more values >= 0 to choose from");
    }

    @Test
    void useDependentRequirementsFailWhenUsed() {
        Settings s = load();
        assertThatThrownBy(() -> s.storage().warehouse()).isInstanceOf(ConfigError.class)
                .hasMessageStartingWith("Cannot publish: cxml.warehouse.url is empty");
        assertThatThrownBy(() -> s.storage().snowflake()).isInstanceOf(ConfigError.class)
                .hasMessageStartingWith("Cannot ingest from Snowflake: cxml.snowflake.url is empty");
    }
}
