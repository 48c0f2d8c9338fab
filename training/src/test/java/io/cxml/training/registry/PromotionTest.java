package io.cxml.training.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cxml.storage.StorageLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Registry visibility, aliases and quality gates on a local storage root. */
class PromotionTest {
    private static final QualityGates GATES = new QualityGates(0.6, 0.5, 0.02, 0.02, 0.5, 0.05, 30);

    @TempDir
    Path root;

    private ModelRegistry registry;

    @BeforeEach
    void setUp() {
        registry = new ModelRegistry(StorageLayout.of(root.toString()), new Configuration());
    }

    private ModelManifest publish(double accuracy, double macroF1, double deAccuracy) throws Exception {
        String version = registry.allocateVersion("intent", "run-1");
        Path model = Path.of(java.net.URI.create(registry.modelUri("intent", version)));
        Files.createDirectories(model);
        Files.writeString(model.resolve("weights.bin"), "x");
        ModelManifest manifest = new ModelManifest("intent", version, "intent", Instant.now(), Map.of("dim", "64"),
                "test data", Map.of(), "dev",
                new ModelManifest.MetricsSummary(500, accuracy, macroF1, 0.03, Map.of(
                        "en", new ModelManifest.Slice(300, accuracy),
                        "de", new ModelManifest.Slice(200, deAccuracy),
                        "kk", new ModelManifest.Slice(5, 0.0))),
                null, "run-1");
        registry.publish(manifest, null);
        return manifest;
    }

    @Test
    void versionIsVisibleOnlyAfterItsManifest() throws Exception {
        String v1 = registry.allocateVersion("intent", "run-0");
        Files.createDirectories(Path.of(java.net.URI.create(registry.modelUri("intent", v1))));
        assertThat(registry.versions("intent")).isEmpty();
        assertThat(registry.allocateVersion("intent", "run-0b")).isEqualTo("v2");
        ModelManifest v2 = publish(0.8, 0.78, 0.75);
        assertThat(registry.versions("intent")).extracting(ModelManifest::version).containsExactly(v2.version());
        assertThat(registry.resolve(ModelRef.parse("intent")).version()).isEqualTo(v2.version());
        assertThatThrownBy(() -> registry.publish(v2, null)).hasMessageContaining("already published");
    }

    @Test
    void gatesBlockAWorseModelAndRollbackRestoresTheChampion() throws Exception {
        Promotion promotion = new Promotion(registry, GATES);
        ModelManifest good = publish(0.80, 0.78, 0.76);
        assertThat(promotion.promote(ModelRef.parse("intent@" + good.version()), "run-p1").gates())
                .allMatch(GateCheck.Result::passed);
        assertThat(registry.aliases("intent").champion()).isEqualTo(good.version());

        ModelManifest worse = publish(0.77, 0.77, 0.70);
        promotion.challenge("intent", worse.version(), "run-c1");
        assertThatThrownBy(() -> promotion.promote(ModelRef.parse("intent@challenger"), "run-p2"))
                .isInstanceOf(Promotion.GateFailure.class)
                .hasMessageStartingWith("Cannot promote intent@" + worse.version() + ": quality gates failed")
                .hasMessageContaining("FAIL   accuracy drop vs champion " + good.version())
                .hasMessageContaining("language=de")
                .satisfies(e -> {
                    var failed = ((Promotion.GateFailure) e).results().stream().filter(r -> !r.passed()).toList();
                    // overall accuracy drops 3 points (limit 2), macro-F1 1 point (ok), en 3 points (limit 5, ok),
                    // de 6 points (limit 5).
                    assertThat(failed).extracting(GateCheck.Result::scope)
                            .containsExactlyInAnyOrder("overall", "language=de");
                    assertThat(failed.get(0).actual()).isCloseTo(0.80 - 0.77, org.assertj.core.data.Offset.offset(1e-9));
                });
        assertThat(registry.aliases("intent").champion()).isEqualTo(good.version());

        ModelManifest better = publish(0.85, 0.84, 0.80);
        promotion.promote(ModelRef.parse("intent@" + better.version()), "run-p3");
        assertThat(registry.resolve(ModelRef.parse("intent@champion")).version()).isEqualTo(better.version());
        assertThat(promotion.rollback("intent", "run-r1").aliases().champion()).isEqualTo(good.version());
        assertThat(registry.aliases("intent").champion()).isEqualTo(good.version());
        assertThatThrownBy(() -> promotion.rollback("intent", "run-r2")).hasMessageStartingWith("Cannot roll back");
        // Every change is in the history, in order; the refused promotion and rollback left no entry.
        assertThat(registry.aliasHistory("intent")).extracting(AliasChange::sequence, AliasChange::action,
                AliasChange::runId).containsExactly(
                        org.assertj.core.groups.Tuple.tuple(1L, "promote", "run-p1"),
                        org.assertj.core.groups.Tuple.tuple(2L, "challenger", "run-c1"),
                        org.assertj.core.groups.Tuple.tuple(3L, "promote", "run-p3"),
                        org.assertj.core.groups.Tuple.tuple(4L, "rollback", "run-r1"));
    }

    @Test
    void floorsApplyWithoutAChampionAndSmallLanguagesAreNotGated() throws Exception {
        ModelManifest weak = publish(0.55, 0.52, 0.45);
        var results = GateCheck.check(GATES, weak, null);
        // accuracy 0.55 < 0.6 fails, macro-F1 0.52 >= 0.5 passes, en 0.55 >= 0.5 passes, de 0.45 < 0.5 fails.
        assertThat(results).filteredOn(r -> !r.passed()).extracting(GateCheck.Result::gate, GateCheck.Result::scope)
                .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple("accuracy >= floor", "overall"),
                        org.assertj.core.groups.Tuple.tuple("accuracy >= floor", "language=de"));
        assertThat(results).extracting(GateCheck.Result::scope).doesNotContain("language=kk");
        assertThat(GateCheck.table(results)).contains("FAIL").contains("accuracy >= floor");
    }
}
