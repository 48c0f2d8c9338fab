package io.cxml.assist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TenantPackingTest {
    @Test
    void packsSkewedTenantsWholeAndBalanced() {
        Map<String, Long> sizes = new HashMap<>();
        sizes.put("giant", 1_000L);
        for (int i = 0; i < 2_000; i++) {
            sizes.put("t" + i, 1L + i % 5);
        }
        TenantPacking p = TenantPacking.of(sizes, 1_000);
        long total = sizes.values().stream().mapToLong(Long::longValue).sum();
        assertThat(p.tasks()).isEqualTo((int) ((total + 999) / 1_000));
        long[] load = new long[p.tasks()];
        sizes.forEach((t, n) -> load[p.taskOf(t)] += n);
        long giantTask = p.taskOf("giant");
        assertThat(load[(int) giantTask]).as("the giant tenant's task holds nothing else").isEqualTo(1_000);
        assertThat(java.util.Arrays.stream(load).max().getAsLong()).isLessThanOrEqualTo(1_000 + 5);
        assertThat(TenantPacking.of(sizes, 1_000).taskOf("t17")).as("deterministic").isEqualTo(p.taskOf("t17"));
    }

    @Test
    void refusesABadTarget() {
        assertThatThrownBy(() -> TenantPacking.of(Map.of("a", 1L), 0))
                .hasMessage("Cannot pack tenants: rows per task must be >= 1, got 0");
    }
}
