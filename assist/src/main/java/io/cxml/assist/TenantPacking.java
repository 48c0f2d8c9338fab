package io.cxml.assist;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * Tenants packed into search tasks by size, as routing packs its per-tenant models: largest first, each into the
 * least loaded task (longest-processing-time order), ties by name so the same sizes give the same tasks. A tenant is
 * never split: its candidate vectors are read once, by one task. The number of tasks is the total size over the
 * target per task, at least one; a tenant bigger than the target gets a task of its own.
 */
public final class TenantPacking implements Serializable {
    private static final long serialVersionUID = 1L;
    private final Map<String, Integer> taskOf;
    private final int tasks;

    private TenantPacking(Map<String, Integer> taskOf, int tasks) {
        this.taskOf = taskOf;
        this.tasks = tasks;
    }

    /**
     * @param sizes tenant -> rows it brings to its task (candidates and queries)
     * @param targetPerTask rows a task should hold at most (a larger tenant still goes whole into one task)
     * @return the packing
     */
    public static TenantPacking of(Map<String, Long> sizes, long targetPerTask) {
        if (targetPerTask < 1) {
            throw new IllegalArgumentException("Cannot pack tenants: rows per task must be >= 1, got "
                    + targetPerTask);
        }
        long total = sizes.values().stream().mapToLong(Long::longValue).sum();
        int tasks = (int) Math.max(1, Math.min(sizes.size(), (total + targetPerTask - 1) / targetPerTask));
        List<Map.Entry<String, Long>> order = new ArrayList<>(sizes.entrySet());
        order.sort(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()));
        PriorityQueue<long[]> load = new PriorityQueue<>(Comparator.<long[]>comparingLong(a -> a[0])
                .thenComparingLong(a -> a[1]));
        for (int t = 0; t < tasks; t++) {
            load.add(new long[] {0, t});
        }
        Map<String, Integer> taskOf = new HashMap<>();
        for (Map.Entry<String, Long> e : order) {
            long[] least = load.poll();
            taskOf.put(e.getKey(), (int) least[1]);
            least[0] += e.getValue();
            load.add(least);
        }
        return new TenantPacking(taskOf, tasks);
    }

    /** @return the number of tasks */
    public int tasks() {
        return tasks;
    }

    /**
     * @param tenant a packed tenant
     * @return its task
     */
    public int taskOf(String tenant) {
        Integer t = taskOf.get(tenant);
        if (t == null) {
            throw new IllegalStateException("Cannot place tenant " + tenant + ": it was not packed");
        }
        return t;
    }

    /** The Spark partitioner of the packing: a tenant's rows all go to its task. */
    public org.apache.spark.Partitioner partitioner() {
        TenantPacking packing = this;
        return new org.apache.spark.Partitioner() {
            private static final long serialVersionUID = 1L;

            @Override
            public int numPartitions() {
                return packing.tasks;
            }

            @Override
            public int getPartition(Object key) {
                return packing.taskOf(((SearchKey) key).tenant());
            }
        };
    }
}
