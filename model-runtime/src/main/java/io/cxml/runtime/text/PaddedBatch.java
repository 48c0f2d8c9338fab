package io.cxml.runtime.text;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.List;

/** Packs featurized texts into the encoder input: ids padded with 0 to the longest text, and a 0/1 mask. */
public final class PaddedBatch {
    private PaddedBatch() {}

    /**
     * @param manager where the arrays are created (the caller closes it)
     * @param featurized one id array per text, each non-empty
     * @return {@code NDList(ids [B, L] int64, mask [B, L] float32)}
     */
    public static NDList of(NDManager manager, List<int[]> featurized) {
        int rows = featurized.size();
        int length = 1;
        for (int[] ids : featurized) {
            length = Math.max(length, ids.length);
        }
        long[] ids = new long[rows * length];
        float[] mask = new float[rows * length];
        for (int r = 0; r < rows; r++) {
            int[] row = featurized.get(r);
            int base = r * length;
            for (int i = 0; i < row.length; i++) {
                ids[base + i] = row[i];
                mask[base + i] = 1f;
            }
        }
        Shape shape = new Shape(rows, length);
        NDArray idArray = manager.create(ids, shape);
        NDArray maskArray = manager.create(mask, shape);
        return new NDList(idArray, maskArray);
    }
}
