package io.cxml.training.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.cxml.runtime.routing.PackedArtifact;
import io.cxml.runtime.routing.Routed;
import io.cxml.runtime.routing.RoutingColumns;
import io.cxml.runtime.routing.RoutingFeatures;
import io.cxml.runtime.routing.RoutingIndex;
import io.cxml.runtime.routing.RoutingTrainingOptions;
import io.cxml.runtime.routing.TenantModel;
import io.cxml.training.registry.GateCheck;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The parts of routing that need no Spark: the trainer, the model's math and format, the task plan, the gates. */
class RoutingModelUnitTest {
    private static final List<String> TEAMS = List.of("billing", "cards", "fraud");

    @TempDir
    Path dir;

    /** Three teams, each owning a region of a 6-dimensional input, plus noise. */
    private static float[][] inputs(int n, long seed, int[] y) {
        Random r = new Random(seed);
        float[][] x = new float[n][6];
        for (int i = 0; i < n; i++) {
            y[i] = i % 3;
            for (int d = 0; d < 6; d++) {
                x[i][d] = (float) (r.nextGaussian() * 0.3 + (d / 2 == y[i] ? 1 : 0));
            }
        }
        return x;
    }

    private static TenantModel trained(long seed) {
        int[] y = new int[300];
        float[][] x = inputs(300, 7, y);
        return LinearRoutingTrainer.train(x, y, null, TEAMS, RoutingTrainingOptions.DEFAULT, Device.cpu(), seed);
    }

    @Test
    void learnsAPolicyAndIsReproducibleForASeed() {
        TenantModel model = trained(1);
        int[] y = new int[150];
        float[][] x = inputs(150, 99, y);
        int hits = 0;
        for (int i = 0; i < x.length; i++) {
            hits += model.rank(x[i], null).get(0).team().equals(TEAMS.get(y[i])) ? 1 : 0;
        }
        assertThat(hits / 150.0).isGreaterThan(0.9);
        assertThat(trained(1).weights()).isEqualTo(model.weights());
        assertThat(trained(2).weights()).isNotEqualTo(model.weights());
    }

    @Test
    void javaScoringEqualsTheNdArrayForwardPassAndRenormalisesOverAllowedTeams() {
        TenantModel model = trained(1);
        float[] x = {0.2f, 1.1f, -0.3f, 0.4f, 0.9f, 0.1f};
        try (NDManager m = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            NDArray w = m.create(model.weights(), new Shape(3, 6));
            float[] p = m.create(x, new Shape(1, 6)).matMul(w.transpose()).add(m.create(model.bias())).softmax(1)
                    .toFloatArray();
            Map<String, Double> java = new HashMap<>();
            model.rank(x, null).forEach(s -> java.put(s.team(), s.probability()));
            for (int k = 0; k < 3; k++) {
                assertThat(java.get(TEAMS.get(k))).isCloseTo(p[k], org.assertj.core.data.Offset.offset(1e-5));
            }
        }
        List<TenantModel.Scored> allowed = model.rank(x, Set.of("billing", "fraud"));
        assertThat(allowed).extracting(TenantModel.Scored::team).containsExactlyInAnyOrder("billing", "fraud");
        assertThat(allowed.stream().mapToDouble(TenantModel.Scored::probability).sum())
                .isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(model.rank(x, Set.of("retired-team"))).isEmpty();
    }

    @Test
    void aPackedArtifactHoldsModelsBackToBackAndEachIsReadAlone() throws Exception {
        Configuration hadoop = new Configuration();
        String uri = dir.toUri().toString();
        TenantModel a = trained(1);
        TenantModel b = trained(2);
        RoutingIndex.Entry ea;
        RoutingIndex.Entry eb;
        try (PackedArtifact artifact = PackedArtifact.create(uri, "tenants-00000-0.bin", hadoop)) {
            ea = artifact.append(a, 300, "billing");
            eb = artifact.append(b, 300, "cards");
        }
        assertThat(eb.offset()).isEqualTo(ea.length());
        assertThat(Files.size(dir.resolve("tenants-00000-0.bin"))).isEqualTo(ea.length() + eb.length());
        try (FSDataInputStream in = PackedArtifact.open(uri, "tenants-00000-0.bin", hadoop)) {
            assertThat(PackedArtifact.read(in, eb).weights()).isEqualTo(b.weights());
            TenantModel readA = PackedArtifact.read(in, ea);
            assertThat(readA.teams()).isEqualTo(a.teams());
            assertThat(readA.weights()).isEqualTo(a.weights());
            assertThat(readA.bias()).isEqualTo(a.bias());
            RoutingIndex.Entry wrong = new RoutingIndex.Entry(ea.artifact(), 3, ea.length(), ea.teams(), 1, "x");
            assertThatThrownBy(() -> PackedArtifact.read(in, wrong)).hasMessageContaining("bad header");
        }
    }

    @Test
    void thePlanPacksTenantsByExamplesSoNoTaskIsSkewed() {
        Map<String, Long> examples = new HashMap<>();
        long total = 0;
        for (int t = 0; t < 1000; t++) {
            long n = (long) (5000 / Math.pow(t + 1, 0.7)); // a few big tenants and a long tail
            examples.put("acct-" + t, n);
            total += n;
        }
        TenantPlan plan = TenantPlan.of(examples, 100);
        assertThat(plan.numPartitions()).isEqualTo(10);
        long[] load = new long[10];
        examples.forEach((t, n) -> load[plan.getPartition(t)] += n);
        long max = java.util.Arrays.stream(load).max().orElseThrow();
        assertThat(max).isLessThanOrEqualTo(total / 10 + 5000);
        assertThatThrownBy(() -> plan.getPartition("acct-unknown")).hasMessageContaining("not in the training plan");
    }

    private static RoutingMetrics.Slice slice(long n, long hits, long championHits) {
        RoutingMetrics.Slice s = new RoutingMetrics.Slice();
        s.examples = n;
        s.top1Hits = hits;
        s.championHits = championHits;
        s.source = Routed.TENANT;
        return s;
    }

    @Test
    void gatesRefuseWhenTooManyTenantsRegressOrTheMedianDrops() {
        RoutingMetrics m = new RoutingMetrics();
        m.model = "routing@v2";
        m.champion = "routing@v1";
        for (int t = 0; t < 10; t++) {
            m.perTenant.put("t" + t, slice(100, t < 2 ? 60 : 80, 80)); // two tenants lose 20 points
        }
        m.perTenant.put("tiny", slice(3, 0, 3)); // too few held-out tickets to judge
        RoutingGates gates = new RoutingGates(0.10, 0.05, 0.01);
        List<GateCheck.Result> results = gates.check(m, "routing@v1");
        assertThat(results).filteredOn(r -> r.gate().startsWith("share")).singleElement()
                .satisfies(r -> assertThat(r.actual()).isEqualTo(0.2)).satisfies(r -> assertThat(r.passed()).isFalse());
        assertThat(results).filteredOn(r -> r.gate().startsWith("median")).singleElement()
                .satisfies(r -> assertThat(r.passed()).isTrue());
        assertThat(new RoutingGates(0.25, 0.05, 0.01).check(m, "routing@v1")).allMatch(GateCheck.Result::passed);
        assertThat(gates.check(m, "routing@v7")).singleElement().satisfies(r -> assertThat(r.passed()).isFalse());
        assertThat(gates.check(m, null)).isEmpty();
        assertThat(RoutingGates.worstTenants(m, 3)).contains("t0").contains("-0.200").doesNotContain("tiny");
    }
    @Test
    void intentProbabilitiesAreReadByLabelWhenAnotherIntentVersionScores() {
        org.apache.spark.sql.types.StructType schema = new org.apache.spark.sql.types.StructType()
                .add("text", "string").add(RoutingColumns.INTENT, "array<float>");
        RoutingColumns positional = RoutingColumns.of(schema, new RoutingFeatures(List.of(), 1, 1, 1, List.of()), "text");
        org.apache.spark.sql.Row row = org.apache.spark.sql.RowFactory.create("hi",
                new Float[] {0.1f, 0.2f, 0.7f});
        assertThat(positional.example(row).intent()).containsExactly(0.1f, 0.2f, 0.7f);
        // The scoring intent model has a new class ("new") and another order; the routing model read [a, b, c].
        RoutingColumns byName = positional.withIntentLabels(List.of("c", "new", "a"), List.of("a", "b", "c"));
        assertThat(byName.example(row).intent()).containsExactly(0.7f, 0f, 0.1f);
        assertThat(positional.withIntentLabels(List.of("a", "b"), List.of("a", "b"))).isSameAs(positional);
        assertThat(positional.withIntentLabels(List.of(), List.of("a", "b"))).isSameAs(positional);
        assertThat(positional.withIntentLabels(List.of("a", "b"), List.of())).isSameAs(positional);
    }
}
