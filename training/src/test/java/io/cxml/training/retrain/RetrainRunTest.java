package io.cxml.training.retrain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cxml.features.TrainingColumns;
import io.cxml.runs.RunRecord;
import io.cxml.runs.RunRecordStore;
import io.cxml.storage.StorageLayout;
import io.cxml.testing.LocalSpark;
import io.cxml.training.data.TrainingSetSource;
import io.cxml.training.registry.EvaluationSets;
import io.cxml.training.registry.GateCheck;
import io.cxml.training.registry.ModelManifest;
import io.cxml.training.registry.ModelRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The parts intent and routing retraining share, on a local storage root: the {@code --if-drifted} check, the step
 * records, freezing the latest rows, leaving them out of training, scoping the gates and the decision with what its
 * listener hears and in which order.
 */
class RetrainRunTest {
    private static final RetrainOptions.DriftAlerts ALERTS =
            new RetrainOptions.DriftAlerts("monitor-drift", "verdict", "ALERT");

    @TempDir
    Path root;

    private SparkSession spark;
    private StorageLayout layout;
    private RunRecordStore runs;
    private final List<String> heard = new ArrayList<>();
    private final RetrainListener listener = new RetrainListener() {
        @Override
        public void skipped(RetrainResult result) {
            heard.add("skipped " + result.skipReason());
        }

        @Override
        public void gatesChecked(List<GateCheck.Result> gates) {
            heard.add("gates " + gates.size());
        }

        @Override
        public void refusing(String explanation) {
            heard.add("refusing " + explanation);
        }

        @Override
        public void decided(RetrainResult result) {
            heard.add("decided " + result.action() + " " + result.challenger() + " champion " + result.champion());
        }
    };

    @BeforeEach
    void setUp() {
        spark = LocalSpark.get();
        layout = StorageLayout.of(root.toString());
        runs = new RunRecordStore(layout, spark.sparkContext().hadoopConfiguration());
    }

    private RetrainOptions options(RetrainOptions.DriftAlerts alerts) {
        return RetrainOptions.builder().setName("intent")
                .setWindow(LocalDate.parse("2026-01-01"), LocalDate.parse("2026-01-10"))
                .setIntent(RetrainOptionsTest.intent()).optIfDrifted(alerts).optListener(listener)
                .optFailureMessage(e -> "one line: " + e.getMessage()).build();
    }

    private RetrainRun run(RetrainOptions.DriftAlerts alerts) {
        return new RetrainRun(spark, layout, RunRecord.start("retrain-intent"), options(alerts));
    }

    private RunRecord drift(String verdict) {
        RunRecord r = RunRecord.start("monitor-drift");
        r.details.put("verdict", verdict);
        r.succeed();
        runs.write(r);
        return r;
    }

    @Test
    void ifDriftedAnswersEachAlertOnce() {
        RetrainRun always = run(null);
        assertThat(always.record.window).containsEntry("from", "2026-01-01").containsEntry("to", "2026-01-10");
        assertThat(always.skipUnlessDrifted()).as("without --if-drifted").isEmpty();

        RetrainRun none = run(ALERTS);
        Optional<RetrainResult> skipped = none.skipUnlessDrifted();
        assertThat(skipped).isPresent();
        assertThat(skipped.get().decision()).isEqualTo(RetrainResult.Decision.SKIPPED);
        assertThat(skipped.get().challenger()).isNull();
        assertThat(skipped.get().champion()).isNull();
        assertThat(none.record.details).containsEntry("action", "skipped")
                .containsEntry("reason", "no drift check has run");
        assertThat(heard).containsExactly("skipped no drift check has run");

        RunRecord ok = drift("OK");
        assertThat(RetrainRun.nothingToAnswer(runs, "retrain-intent", ALERTS))
                .contains("the last drift check (" + ok.runId + ") said OK");

        RunRecord alert = drift("ALERT");
        RetrainRun answering = run(ALERTS);
        assertThat(answering.skipUnlessDrifted()).isEmpty();
        assertThat(answering.record.details).containsEntry("drift_run", alert.runId);
        answering.record.succeed();
        runs.write(answering.record);
        assertThat(RetrainRun.nothingToAnswer(runs, "retrain-intent", ALERTS))
                .contains("retrain " + answering.record.runId + " already answered drift alert " + alert.runId);
    }

    @Test
    void everyStepWritesItsRecordAlsoWhenItFails() throws Exception {
        RetrainRun run = run(null);
        assertThat(run.<String>step("eval-set", step -> {
            step.details.put("rows", 3);
            return "done";
        })).isEqualTo("done");
        assertThatThrownBy(() -> run.step("train", step -> {
            throw new IllegalStateException("no rows");
        })).isInstanceOf(IllegalStateException.class).hasMessage("no rows");
        RunRecord evalSet = runs.list("retrain-intent-eval-set").get(0);
        assertThat(evalSet.status).isEqualTo("succeeded");
        assertThat(evalSet.details).containsEntry("rows", 3);
        RunRecord train = runs.list("retrain-intent-train").get(0);
        assertThat(train.status).isEqualTo("failed");
        assertThat(train.error).isEqualTo("one line: no rows");
    }

    private Dataset<Row> tickets(int n) {
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            rows.add(RowFactory.create("ticket " + i, i % 2 == 0 ? "billing" : "refund", "en", "t1",
                    Timestamp.from(Instant.parse("2026-01-01T00:00:00Z").plusSeconds(3600L * i))));
        }
        return spark.createDataFrame(rows, TrainingColumns.SCHEMA);
    }

    @Test
    void freezesTheLatestRowsAndTrainingNeverSeesThem() {
        EvaluationSets sets = new EvaluationSets(layout, spark.sparkContext().hadoopConfiguration());
        Dataset<Row> window = tickets(50);
        EvaluationSets.EvaluationSet set = RetrainRun.freeze(spark, sets, "intent", window, "50 tickets",
                TrainingColumns.SCHEMA.fieldNames(), 0.2, "run-1");
        assertThat(set.label()).isEqualTo("intent/e1");
        assertThat(set.rows()).isBetween(9L, 11L);
        assertThat(set.source()).isEqualTo("latest 0.2 of 50 tickets");
        Dataset<Row> frozen = sets.load(spark, set);
        assertThat(frozen.agg(org.apache.spark.sql.functions.min(TrainingColumns.EVENT_TIME)).first().getTimestamp(0))
                .isAfter(Timestamp.from(Instant.parse("2026-01-02T13:00:00Z")));

        TrainingSetSource source = new TrainingSetSource() {
            @Override
            public Dataset<Row> load(SparkSession s) {
                return window;
            }

            @Override
            public String describe() {
                return "50 tickets";
            }
        };
        TrainingSetSource without = new IntentRetraining.WithoutEvaluationRows(source, frozen, set.label());
        assertThat(without.describe()).isEqualTo("50 tickets without the rows of evaluation set intent/e1");
        assertThat(without.load(spark).count()).isEqualTo(50 - set.rows());
        assertThat(without.load(spark).join(frozen, TrainingColumns.TEXT).count()).isZero();

        assertThatThrownBy(() -> RetrainRun.freeze(spark, sets, "intent", window.limit(0), "no tickets",
                TrainingColumns.SCHEMA.fieldNames(), 0.2, "run-2"))
                .hasMessage("Cannot freeze an evaluation set for intent: no tickets has no labelled row. "
                        + "Widen --from/--to");
    }

    @Test
    void gatesAreScopedByWhereTheyWereMeasured() {
        List<GateCheck.Result> scoped = RetrainRun.scoped(List.of(new GateCheck.Result("min accuracy", "overall",
                0.8, 0.5, true)), "intent/e1");
        assertThat(scoped).containsExactly(new GateCheck.Result("min accuracy", "intent/e1:overall", 0.8, 0.5, true));
    }

    private ModelManifest publish(ModelRegistry registry) throws Exception {
        String version = registry.allocateVersion("intent", "run-1");
        Path model = Path.of(java.net.URI.create(registry.modelUri("intent", version)));
        Files.createDirectories(model);
        Files.writeString(model.resolve("weights.bin"), "x");
        ModelManifest manifest = new ModelManifest("intent", version, "intent", Instant.now(), Map.of(), "test data",
                Map.of(), "dev", new ModelManifest.MetricsSummary(500, 0.8, 0.8, 0.03, Map.of()), null, "run-1");
        registry.publish(manifest, null);
        return manifest;
    }

    @Test
    void promotesOnlyWhenEveryGatePassedAndTheChampionIsStillTheOneMeasured() throws Exception {
        ModelRegistry registry = new ModelRegistry(layout, spark.sparkContext().hadoopConfiguration());
        ModelManifest v1 = publish(registry);
        ModelManifest v2 = publish(registry);
        EvaluationSets.EvaluationSet set = new EvaluationSets.EvaluationSet("intent", "e1", 10, 42, 2, "test",
                Instant.now(), "run-0");
        GateCheck.Result ok = new GateCheck.Result("min accuracy", "intent/e1:overall", 0.8, 0.5, true);
        GateCheck.Result fail = new GateCheck.Result("accuracy drop", "recent:overall", 0.1, 0.02, false);

        RetrainRun first = run(null);
        first.markChallenger(registry, v1, null);
        assertThat(first.record.details).containsEntry("challenger", "intent@v1").containsEntry("champion_before",
                null);
        RetrainResult promoted = first.decide(registry, v1, null, set, Map.of("eval_rows", 10L), List.of(ok),
                () -> "never asked", "on intent/e1");
        assertThat(promoted.decision()).isEqualTo(RetrainResult.Decision.PROMOTED);
        assertThat(promoted.championAfter()).isEqualTo("v1");
        assertThat(promoted.evaluation()).containsEntry("eval_rows", 10L);
        assertThat(first.record.details).containsEntry("action", "promoted").containsEntry("champion_after",
                "intent@v1");
        assertThat(runs.list("retrain-intent-promote").get(0).details).containsEntry("champion", "v1")
                .containsEntry("gates", List.of("ok min accuracy intent/e1:overall 0.8000 vs 0.5"));
        assertThat(heard).containsExactly("gates 1", "decided promoted intent@v1 champion intent@v1");

        heard.clear();
        RetrainRun second = run(null);
        second.markChallenger(registry, v2, v1);
        assertThat(registry.aliases("intent").challenger()).isEqualTo("v2");
        RetrainResult refused = second.decide(registry, v2, "v1", set, Map.of(), List.of(ok, fail),
                () -> "tenant t1 moved\n", "on intent/e1");
        assertThat(refused.action()).isEqualTo("refused");
        assertThat(refused.challenger()).isEqualTo("intent@v2");
        assertThat(refused.champion()).isEqualTo("intent@v1");
        assertThat(refused.gates()).containsExactly(ok, fail);
        assertThat(heard).containsExactly("gates 2", "refusing tenant t1 moved\n",
                "decided refused intent@v2 champion intent@v1");
        assertThat(registry.aliases("intent").champion()).isEqualTo("v1");

        assertThatThrownBy(() -> RetrainRun.promoteIfUnchanged(registry, "intent", null, "v2", "run-3"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("Cannot promote intent@v2: the champion changed to v1 while it was measured against null."
                        + " Run cxml retrain intent again");
        assertThat(registry.aliases("intent").champion()).isEqualTo("v1");
    }
}
