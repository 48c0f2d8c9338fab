package io.cxml.runtime.executor;

import java.io.Serializable;
import java.util.Map;

/**
 * What one executor JVM tells the driver about itself: which JVM it is, the DJL settings in force there, and how
 * many times it loaded each model version (one per version and device when the cache works).
 *
 * @param executorId Spark's executor id ({@code driver} in local mode)
 * @param pid the JVM's process id
 * @param settings {@link ExecutorSettings#inForce()} in that JVM
 * @param modelLoads loads per model key ({@code uri @ device})
 */
public record ExecutorReport(String executorId, long pid, Map<String, String> settings,
        Map<String, Integer> modelLoads) implements Serializable {
    /** Copies the maps. */
    public ExecutorReport {
        settings = Map.copyOf(settings);
        modelLoads = Map.copyOf(modelLoads);
    }
}
