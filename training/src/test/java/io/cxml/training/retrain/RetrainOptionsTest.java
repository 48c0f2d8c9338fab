package io.cxml.training.retrain;

import io.cxml.language.LanguageOptions;
import io.cxml.training.data.ExportLabels;
import io.cxml.training.data.Taxonomy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cxml.features.split.SplitShares;
import io.cxml.runtime.executor.DevicePreference;
import io.cxml.runtime.routing.RoutingTrainingOptions;
import io.cxml.training.registry.QualityGates;
import io.cxml.training.routing.RoutingGates;
import io.cxml.training.text.TrainingOptions;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;

/** The options' defaults, their validation ("Cannot retrain: reason. fix") and that a task's settings are required. */
class RetrainOptionsTest {
    private static final LocalDate FROM = LocalDate.parse("2026-01-01");
    private static final LocalDate TO = LocalDate.parse("2026-01-10");

    static RetrainOptions.Intent intent() {
        return new RetrainOptions.Intent(TrainingOptions.builder().build(), 0.3, null, "  ",
                new ExportLabels(ExportLabels.Kind.FIELD, "contact_reason", Taxonomy.NONE, false),
                new LanguageOptions(java.util.List.of("en", "de")));
    }

    static RetrainOptions.Routing routing() {
        return new RetrainOptions.Routing(RoutingTrainingOptions.builder().setEpochs(2).setBatchSize(32)
                .setLearningRate(0.05f).setWeightDecay(0.001f).setSeed(7).setMinTenantExamples(10)
                .setMaxTenantExamples(1000).setLookbackDays(90).setHalfLifeDays(30).setGlobalExamples(1000)
                .setTenantsPerTask(4).build(), 1024, RoutingGates.DEFAULT, RetrainOptions.IntentModel.NONE);
    }

    private static RetrainOptions.Builder valid() {
        return RetrainOptions.builder().setName("intent").setWindow(FROM, TO).setIntent(intent());
    }

    @Test
    void defaultsAreTheConfiguredOnesOfAFreshInstall() {
        RetrainOptions o = valid().build();
        assertThat(o.name()).isEqualTo("intent");
        assertThat(o.from()).isEqualTo(FROM);
        assertThat(o.to()).isEqualTo(TO);
        assertThat(o.evalSetFraction()).isEqualTo(0.2);
        assertThat(o.gates()).isEqualTo(QualityGates.DEFAULT);
        assertThat(o.split()).isEqualTo(SplitShares.DEFAULT);
        assertThat(o.scoringBatchSize()).isEqualTo(256);
        assertThat(o.device()).isEqualTo(DevicePreference.AUTO);
        assertThat(o.ifDrifted()).as("retrain unconditionally").isNull();
        assertThat(o.listener()).isSameAs(RetrainListener.NONE);
        assertThat(o.routing()).isNull();
        assertThat(o.intent().outOfScopeLabel()).as("blank means no out-of-scope label").isNull();
        assertThat(o.failureMessage().apply(new IllegalStateException())).isEqualTo("IllegalStateException");
    }

    @Test
    void toBuilderKeepsEverySetting() {
        RetrainOptions.DriftAlerts alerts = new RetrainOptions.DriftAlerts("monitor-drift", "verdict", "ALERT");
        RetrainOptions o = valid().optEvalSetFraction(0.1).optScoringBatchSize(8).optDevice(DevicePreference.CPU)
                .optIfDrifted(alerts).optSplit(new SplitShares(0.2, 0.2)).build();
        RetrainOptions copy = o.toBuilder().build();
        assertThat(copy.evalSetFraction()).isEqualTo(0.1);
        assertThat(copy.scoringBatchSize()).isEqualTo(8);
        assertThat(copy.device()).isEqualTo(DevicePreference.CPU);
        assertThat(copy.ifDrifted()).isEqualTo(alerts);
        assertThat(copy.split()).isEqualTo(new SplitShares(0.2, 0.2));
        assertThat(copy.intent()).isEqualTo(o.intent());
        assertThat(o.toBuilder().optEvalSetFraction(0.3).build().evalSetFraction()).isEqualTo(0.3);
        assertThat(o.evalSetFraction()).as("immutable").isEqualTo(0.1);
    }

    @Test
    void refusesWhatCannotBeRetrainedWithTheFix() {
        assertThatThrownBy(() -> valid().setName(" ").build())
                .hasMessage("Cannot retrain: the model name is not set. Call setName(\"intent\")");
        assertThatThrownBy(() -> valid().setWindow(null, TO).build())
                .hasMessage("Cannot retrain: the window is not set. Call setWindow(from, to)");
        assertThatThrownBy(() -> valid().setWindow(TO, FROM).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Cannot retrain: the window [2026-01-10, 2026-01-01) is empty. Give --to after --from: it "
                        + "is the first day left out");
        assertThatThrownBy(() -> valid().setWindow(FROM, FROM).build()).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("the window [2026-01-01, 2026-01-01) is empty");
        assertThatThrownBy(() -> valid().setIntent(null).build())
                .hasMessage("Cannot retrain: no training settings are set. Call setIntent(..) or setRouting(..)");
        assertThatThrownBy(() -> valid().setRouting(routing()).build())
                .hasMessageStartingWith("Cannot retrain: both intent and routing training settings are set.");
        assertThatThrownBy(() -> valid().optEvalSetFraction(0.5).build())
                .hasMessage("Cannot retrain: the evaluation-set fraction is 0.5. Use a share in (0, 0.5) such as 0.2");
        assertThatThrownBy(() -> valid().optEvalSetFraction(0).build())
                .hasMessageStartingWith("Cannot retrain: the evaluation-set fraction is 0.0.");
        assertThatThrownBy(() -> valid().optScoringBatchSize(0).build())
                .hasMessageStartingWith("Cannot retrain: the scoring batch size is 0.");
        assertThatThrownBy(() -> valid().optGates(null).build()).hasMessageStartingWith("Cannot retrain: the gates");
        assertThatThrownBy(() -> valid().optListener(null).build())
                .hasMessageStartingWith("Cannot retrain: the listener is null.");
        assertThatThrownBy(() -> RetrainOptions.builder().setName("routing").setWindow(FROM, TO)
                .setRouting(new RetrainOptions.Routing(routing().training(), 0, RoutingGates.DEFAULT,
                        RetrainOptions.IntentModel.NONE)).build())
                .hasMessageStartingWith("Cannot retrain: the routing text buckets are 0.");
        assertThatThrownBy(() -> RetrainOptions.builder().setName("routing").setWindow(FROM, TO)
                .setRouting(new RetrainOptions.Routing(routing().training(), 16, RoutingGates.DEFAULT, null)).build())
                .hasMessageStartingWith("Cannot retrain: a routing setting is null.");
    }

    @Test
    void eachRetrainingRefusesTheOtherTasksOptionsBeforeTouchingSpark() {
        RetrainOptions routingOptions = RetrainOptions.builder().setName("routing").setWindow(FROM, TO)
                .setRouting(routing()).build();
        assertThatThrownBy(() -> IntentRetraining.run(null, null, null, routingOptions))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("Cannot retrain routing as an intent model");
        assertThatThrownBy(() -> RoutingRetraining.run(null, null, null, valid().build()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("Cannot retrain intent as a routing model");
    }
}
