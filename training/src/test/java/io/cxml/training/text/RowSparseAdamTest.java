package io.cxml.training.text;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class RowSparseAdamTest {
    @Test
    void remapsIdsToDistinctRowsAndResetsTheScratchArray() {
        int[] slot = new int[16];
        Arrays.fill(slot, -1);
        List<int[]> batch = List.of(new int[] {5, 9, 5}, new int[] {9, 2});
        RowSparseAdam.Batch remapped = RowSparseAdam.Batch.of(batch, slot);
        assertThat(remapped.rows()).containsExactly(5, 9, 2);
        for (int b = 0; b < batch.size(); b++) {
            int[] ids = batch.get(b);
            int[] local = remapped.local().get(b);
            for (int i = 0; i < ids.length; i++) {
                assertThat(remapped.rows()[local[i]]).isEqualTo(ids[i]);
            }
        }
        assertThat(slot).containsOnly(-1);
    }

    @Test
    void updatesOnlyTheRowsOfTheBatchWithAdamsFirstStep() {
        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            NDArray table = manager.arange(12f).reshape(4, 3);
            float[] before = table.toFloatArray();
            float lr = 0.1f;
            try (RowSparseAdam adam = new RowSparseAdam(table, manager, lr)) {
                NDArray rows = manager.create(new long[] {2, 0});
                NDArray gathered = adam.gather(manager, rows);
                NDArray gradient = manager.create(new float[] {1, -2, 0.5f, -1, 3, 0}, new ai.djl.ndarray.types.Shape(2, 3));
                adam.update(rows, gathered.stopGradient(), gradient);
            }
            float[] after = table.toFloatArray();
            // Rows 1 and 3 untouched.
            for (int c = 0; c < 3; c++) {
                assertThat(after[3 + c]).isEqualTo(before[3 + c]);
                assertThat(after[9 + c]).isEqualTo(before[9 + c]);
            }
            // Adam's first step moves each coordinate by lr * sign(g) (m/sqrt(v) = g/|g| after bias correction);
            // a zero gradient leaves it in place.
            float[] g2 = {1, -2, 0.5f};
            float[] g0 = {-1, 3, 0};
            for (int c = 0; c < 3; c++) {
                assertThat(after[6 + c]).isCloseTo(before[6 + c] - lr * Math.signum(g2[c]),
                        org.assertj.core.data.Offset.offset(1e-5f));
                assertThat(after[c]).isCloseTo(before[c] - lr * Math.signum(g0[c]),
                        org.assertj.core.data.Offset.offset(1e-5f));
            }
        }
    }
}
