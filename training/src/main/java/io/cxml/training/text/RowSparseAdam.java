package io.cxml.training.text;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;

/**
 * Lazy ("sparse") Adam for a large embedding table: per step only the rows the batch used are read, given a
 * gradient and updated, together with their first and second moments (as in PyTorch's {@code SparseAdam}). The
 * bias correction uses the global step. This keeps a step's cost proportional to the batch, not to
 * {@code buckets x dim}, which DJL's dense Adam would touch every step.
 *
 * <p>Usage per step: {@link Batch#of} remaps the batch's ids to rows {@code 0..U-1} (Java side), {@link #gather}
 * copies those rows into a leaf array that requires a gradient, the forward pass reads it as the block's third
 * input, and after backward {@link #update} applies Adam to the rows and writes them back into the table.
 */
final class RowSparseAdam implements AutoCloseable {
    private final NDArray table;
    private final NDArray mean;
    private final NDArray variance;
    private final float learningRate;
    private final float beta1 = 0.9f;
    private final float beta2 = 0.999f;
    private final float epsilon = 1e-8f;
    private int step;

    /**
     * @param table the embedding table, updated in place
     * @param manager where the moment arrays live (closed with this object)
     * @param learningRate Adam learning rate
     */
    RowSparseAdam(NDArray table, NDManager manager, float learningRate) {
        this.table = table;
        this.mean = manager.zeros(table.getShape(), table.getDataType(), table.getDevice());
        this.variance = manager.zeros(table.getShape(), table.getDataType(), table.getDevice());
        this.learningRate = learningRate;
    }

    /**
     * @param batch manager of the step (owns the copy)
     * @param rows distinct table rows of the batch, int64 [U]
     * @return a copy of those rows that requires a gradient
     */
    NDArray gather(NDManager batch, NDArray rows) {
        NDArray copy = table.get(batch, new NDIndex("{}", rows));
        copy.setRequiresGradient(true);
        return copy;
    }

    /**
     * @param rows the rows given to {@link #gather}
     * @param values their values before the step (the gathered copy, detached)
     * @param gradient their gradient
     */
    void update(NDArray rows, NDArray values, NDArray gradient) {
        step++;
        NDIndex index = new NDIndex("{}", rows);
        try (NDManager scope = values.getManager().newSubManager()) {
            NDArray m = mean.get(scope, index).mul(beta1).add(gradient.mul(1 - beta1));
            NDArray v = variance.get(scope, index).mul(beta2).add(gradient.square().mul(1 - beta2));
            double correction = Math.sqrt(1 - Math.pow(beta2, step)) / (1 - Math.pow(beta1, step));
            NDArray updated = values.sub(m.mul((float) (learningRate * correction)).div(v.sqrt().add(epsilon)));
            mean.set(index, m);
            variance.set(index, v);
            table.set(index, updated);
        }
    }

    @Override
    public void close() {
        mean.close();
        variance.close();
    }

    /**
     * A batch's ids remapped to its distinct rows.
     *
     * @param local ids replaced by their position in {@code rows}, padded rows of one batch
     * @param rows the distinct table rows, in first-seen order
     */
    record Batch(java.util.List<int[]> local, long[] rows) {
        /**
         * @param batch featurized texts
         * @param slot scratch array of size buckets, all -1 on entry and on return
         * @return the remapped batch
         */
        static Batch of(java.util.List<int[]> batch, int[] slot) {
            java.util.List<int[]> local = new java.util.ArrayList<>(batch.size());
            long[] rows = new long[16];
            int n = 0;
            for (int[] ids : batch) {
                int[] mapped = new int[ids.length];
                for (int i = 0; i < ids.length; i++) {
                    int s = slot[ids[i]];
                    if (s < 0) {
                        s = n++;
                        slot[ids[i]] = s;
                        if (s >= rows.length) {
                            rows = java.util.Arrays.copyOf(rows, rows.length * 2);
                        }
                        rows[s] = ids[i];
                    }
                    mapped[i] = s;
                }
                local.add(mapped);
            }
            for (int i = 0; i < n; i++) {
                slot[(int) rows[i]] = -1;
            }
            return new Batch(local, java.util.Arrays.copyOf(rows, n));
        }
    }

}
