package io.cxml.jobs.features;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cxml.features.split.SplitShares;
import io.cxml.jobs.config.ConfigError;
import io.cxml.jobs.config.ConfigLoader;
import io.cxml.jobs.config.CxmlConfig;
import io.cxml.jobs.config.TrainingSettings;
import io.cxml.testing.LocalSpark;
import io.cxml.training.baseline.BaselineSettings;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The split shares mean the same in both config blocks; an old meaning fails or is read as it was meant. */
class SplitSharesConfigTest {
    private static CxmlConfig load(String... overrides) {
        return ConfigLoader.create().optConfDir(LocalSpark.projectDir().resolve("conf"))
                .addOverrides(List.of(overrides)).load();
    }

    @Test
    void bothBlocksDefaultToTheSameShares() {
        CxmlConfig config = load();
        assertThat(io.cxml.jobs.config.FeatureSettings.resolve(config).trainingSetShares()).isEqualTo(new SplitShares(0.1, 0.1));
        assertThat(TrainingSettings.resolve(config).splitShares()).isEqualTo(new SplitShares(0.1, 0.1));
    }

    @Test
    void theRetiredCumulativeKeysFailSayingHowToConvert() {
        assertThatThrownBy(() -> io.cxml.jobs.config.FeatureSettings.resolve(load(
                "cxml.features.training-set.validation-fraction=0.7", "cxml.features.training-set.test-fraction=0.9")))
                .isInstanceOf(ConfigError.class)
                .hasMessage("Cannot split the training set with cxml.features.training-set.validation-fraction = "
                        + "0.7 / cxml.features.training-set.test-fraction = 0.9: these cumulative label-time "
                        + "quantiles are retired. Set the shares instead: cxml.features.training-set.validation-share"
                        + " = test-fraction - validation-fraction and cxml.features.training-set.test-share = 1 - "
                        + "test-fraction (0.8 / 0.9 is 0.1 / 0.1)");
        assertThat(io.cxml.jobs.config.FeatureSettings.resolve(load("cxml.features.training-set.validation-share=0.2",
                "cxml.features.training-set.test-share=0")).trainingSetShares()).isEqualTo(new SplitShares(0.2, 0));
    }

    @Test
    void theTrainersFormerKeysKeepTheirMeaningAndBadSharesFailNamingTheKeys() {
        assertThat(TrainingSettings.resolve(load("cxml.training.test-fraction=0")).splitShares())
                .isEqualTo(new SplitShares(0.1, 0));
        assertThatThrownBy(() -> TrainingSettings.resolve(load("cxml.training.validation-share=0.6",
                "cxml.training.test-share=0.5")).splitShares()).isInstanceOf(ConfigError.class)
                .hasMessageEndingWith("(keys cxml.training.validation-share, cxml.training.test-share)");
    }

    @Test
    void theBaselineDefaultsInTheConfAreTheTunedOnesAndTheFormerKeyStillWorks() {
        assertThat(TrainingSettings.resolve(load()).baseline()).isEqualTo(BaselineSettings.DEFAULT);
        assertThat(TrainingSettings.resolve(load("cxml.training.baseline-features=0")).baseline()).isNull();
        assertThat(TrainingSettings.resolve(load("cxml.training.baseline-features=4096")).baseline())
                .isEqualTo(BaselineSettings.DEFAULT.withFeatures(4096));
        assertThat(TrainingSettings.resolve(load("cxml.training.baseline.features=0")).baseline()).isNull();
        assertThatThrownBy(() -> TrainingSettings.resolve(load("cxml.training.baseline.elastic-net=2")).baseline())
                .isInstanceOf(ConfigError.class).hasMessageEndingWith("(keys cxml.training.baseline.*)");
    }
}
