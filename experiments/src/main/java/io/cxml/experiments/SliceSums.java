package io.cxml.experiments;

import java.io.Serializable;
import java.util.Map;

/**
 * What the executors return for one arm and slice: the units assigned (for the sample-ratio check), the tickets and
 * how many are mature, and the sufficient statistics of each metric.
 *
 * @param arm the arm
 * @param slice {@code all}, {@code language=xx} or {@code tenant=id}
 * @param units units assigned to the arm in the slice (mature or not)
 * @param tickets tickets of those units
 * @param matureTickets tickets whose outcome is final (solved at least the maturity before the look)
 * @param metrics sums per metric
 */
public record SliceSums(String arm, String slice, long units, long tickets, long matureTickets,
        Map<Metric, MetricSums> metrics) implements Serializable {
    /** The slice of every unit. */
    public static final String ALL = "all";

    /** Copies the map. */
    public SliceSums {
        metrics = Map.copyOf(metrics);
    }

    /**
     * @param metric a metric
     * @return its sums (empty when no unit has an outcome)
     */
    public MetricSums sums(Metric metric) {
        return metrics.getOrDefault(metric, MetricSums.EMPTY);
    }
}
