package io.cxml.training.routing;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import org.apache.spark.Partitioner;

/**
 * Which training task trains which tenant: tenants are packed into tasks by their example counts (largest first into
 * the least loaded task), so no task holds a skewed share of the rows, and each task trains many tenants one after
 * another (at most one tenant's examples in memory at a time).
 */
public final class TenantPlan extends Partitioner {
    private static final long serialVersionUID = 1L;
    private final Map<String, Integer> task;
    private final int tasks;

    private TenantPlan(Map<String, Integer> task, int tasks) {
        this.task = task;
        this.tasks = tasks;
    }

    /**
     * @param examples tenant -> training examples (of the tenants that get their own model)
     * @param tenantsPerTask target tenants per task
     * @return the plan
     */
    public static TenantPlan of(Map<String, Long> examples, int tenantsPerTask) {
        int tasks = Math.max(1, (int) Math.ceil(examples.size() / (double) tenantsPerTask));
        List<Map.Entry<String, Long>> bySize = new ArrayList<>(examples.entrySet());
        bySize.sort(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()));
        PriorityQueue<long[]> load = new PriorityQueue<>(Comparator.<long[]>comparingLong(l -> l[0])
                .thenComparingLong(l -> l[1]));
        for (int t = 0; t < tasks; t++) {
            load.add(new long[] {0, t});
        }
        Map<String, Integer> task = new HashMap<>();
        for (Map.Entry<String, Long> e : bySize) {
            long[] least = load.poll();
            task.put(e.getKey(), (int) least[1]);
            least[0] += e.getValue();
            load.add(least);
        }
        return new TenantPlan(task, tasks);
    }

    /**
     * @param tenant a tenant
     * @return whether it gets its own model
     */
    public boolean contains(String tenant) {
        return task.containsKey(tenant);
    }

    /** @return tenants in the plan */
    public int size() {
        return task.size();
    }

    @Override
    public int numPartitions() {
        return tasks;
    }

    @Override
    public int getPartition(Object key) {
        Integer t = task.get(String.valueOf(key));
        if (t == null) {
            throw new IllegalArgumentException("Tenant " + key + " is not in the training plan");
        }
        return t;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TenantPlan p && p.task.equals(task) && p.tasks == tasks;
    }

    @Override
    public int hashCode() {
        return task.hashCode() * 31 + tasks;
    }
}
