package io.cxml.runtime.executor;

import io.cxml.offline.OfflineDefaults;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.SparkEnv;

/**
 * The DJL and PyTorch settings of every JVM that runs a model: never download, never phone home (the switches of
 * {@link OfflineDefaults}, their one home), and as many PyTorch
 * intra-op threads as the Spark task has cores ({@code spark.task.cpus}; one inter-op thread), so concurrent tasks
 * do not oversubscribe the executor's cores. The session factory passes them to executors as JVM options and
 * environment ({@link #javaOptions}, {@link #environment}); {@link #apply} sets the same values as system properties
 * where they are still unset, before the first model loads, so they also hold where the launcher did not pass them
 * (DJL reads each of them from the environment or a system property).
 */
public final class ExecutorSettings {
    /** DJL: never download models or native libraries. */
    public static final String OFFLINE = "ai.djl.offline";
    /** DJL: no telemetry call (which also reads EC2 instance metadata). */
    public static final String OPT_OUT_TRACKING = "OPT_OUT_TRACKING";
    /** PyTorch intra-op threads. */
    public static final String PYTORCH_THREADS = "ai.djl.pytorch.num_threads";
    /** PyTorch inter-op threads. */
    public static final String PYTORCH_INTEROP_THREADS = "ai.djl.pytorch.num_interop_threads";
    /** OpenMP threads of the native library (environment only). */
    public static final String OMP_NUM_THREADS = "OMP_NUM_THREADS";
    /**
     * glibc: at most this many malloc arenas (environment only). Every new thread that runs PyTorch gets an arena of
     * its own by default (up to 8 per core), and each keeps the gigabyte or so of activation buffers it freed.
     */
    public static final String MALLOC_ARENA_MAX = "MALLOC_ARENA_MAX";
    /**
     * glibc: buffers from this size up are mapped and unmapped on their own (environment only). A fixed value turns
     * off glibc's adaptive threshold, which otherwise rises to 32 MB and keeps PyTorch's activations in the arenas.
     * Measured: an embedding JVM whose Spark tasks start new threads grew by 1.5 GB per thread with glibc's
     * defaults and stays flat with these two (docs/embeddings.md, "Native memory").
     */
    public static final String MALLOC_MMAP_THRESHOLD = "MALLOC_MMAP_THRESHOLD_";
    /** The glibc settings above, as every JVM that runs a model gets them. */
    public static final Map<String, String> MALLOC = Map.of(MALLOC_ARENA_MAX, "2", MALLOC_MMAP_THRESHOLD, "131072");
    /** AWS SDK: no instance-metadata lookups. */
    public static final String AWS_EC2_METADATA_DISABLED = "AWS_EC2_METADATA_DISABLED";
    /** Folder of a libtorch to use instead of the CPU one in the jar (a CUDA build on GPU clusters). */
    public static final String PYTORCH_LIBRARY_PATH = "PYTORCH_LIBRARY_PATH";
    /** Flavor of that libtorch, e.g. {@code cu124}. */
    public static final String PYTORCH_FLAVOR = "PYTORCH_FLAVOR";
    /** Version of that libtorch, e.g. {@code 2.7.1}. */
    public static final String PYTORCH_VERSION = "PYTORCH_VERSION";

    private static final List<String> REPORTED = List.of(OFFLINE, OPT_OUT_TRACKING, PYTORCH_THREADS,
            PYTORCH_INTEROP_THREADS, OMP_NUM_THREADS, MALLOC_ARENA_MAX, MALLOC_MMAP_THRESHOLD,
            AWS_EC2_METADATA_DISABLED, PYTORCH_LIBRARY_PATH, PYTORCH_FLAVOR,
            PYTORCH_VERSION);

    private ExecutorSettings() {}

    /**
     * @param taskCpus cores per Spark task
     * @return the system properties every executor JVM needs, as {@code -Dkey=value} options
     */
    public static List<String> javaOptions(int taskCpus) {
        return properties(taskCpus).entrySet().stream().map(e -> "-D" + e.getKey() + "=" + e.getValue()).toList();
    }

    /**
     * @param taskCpus cores per Spark task
     * @return the environment variables every executor needs ({@code spark.executorEnv.*})
     */
    public static Map<String, String> environment(int taskCpus) {
        Map<String, String> env = new LinkedHashMap<>(new java.util.TreeMap<>(OfflineDefaults.EXECUTOR_ENVIRONMENT));
        env.put(OMP_NUM_THREADS, String.valueOf(taskCpus));
        env.putAll(new java.util.TreeMap<>(MALLOC));
        env.put(AWS_EC2_METADATA_DISABLED, "true");
        return env;
    }

    /**
     * Sets the settings as system properties where neither the environment nor a system property set them yet.
     * Call before the first DJL use in the JVM (the executor plugin does at executor start).
     *
     * @param taskCpus cores per Spark task
     */
    public static synchronized void apply(int taskCpus) {
        properties(taskCpus).forEach((key, value) -> {
            if (System.getenv(key) == null && System.getProperty(key) == null) {
                System.setProperty(key, value);
            }
        });
    }

    /** Applies the settings with this executor's {@code spark.task.cpus} (1 outside Spark). */
    public static void applyForThisExecutor() {
        apply(taskCpus());
    }

    /** @return {@code spark.task.cpus} of this JVM's Spark environment, 1 when there is none */
    public static int taskCpus() {
        SparkEnv env = SparkEnv.get();
        return env == null ? 1 : Math.max(1, env.conf().getInt("spark.task.cpus", 1));
    }

    /** @return the settings in force in this JVM (environment first, then system properties), for reports */
    public static Map<String, String> inForce() {
        Map<String, String> out = new LinkedHashMap<>();
        for (String key : REPORTED) {
            String value = System.getenv(key) != null ? System.getenv(key) : System.getProperty(key);
            if (value != null) {
                out.put(key, value);
            }
        }
        return out;
    }

    private static Map<String, String> properties(int taskCpus) {
        Map<String, String> p = new LinkedHashMap<>(new java.util.TreeMap<>(OfflineDefaults.SYSTEM_PROPERTIES));
        p.put(PYTORCH_THREADS, String.valueOf(Math.max(1, taskCpus)));
        p.put(PYTORCH_INTEROP_THREADS, "1");
        return p;
    }
}
