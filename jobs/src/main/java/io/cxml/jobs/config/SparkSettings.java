package io.cxml.jobs.config;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Spark area: the master and app name used outside spark-submit, the free-form Spark settings and the executors'
 * native runtime ({@code cxml.spark.*}, {@code cxml.runtime.*}). Resolved once by {@link Settings#resolve}; the only
 * place these keys are read. Defaults live in {@code conf/application.conf}.
 */
public final class SparkSettings {
    /** Config key of the master used when spark-submit did not set one. */
    public static final String MASTER = "cxml.spark.master";
    /** Config key of the application name prefix. */
    public static final String APP_NAME = "cxml.spark.app-name";
    /** Config key of the free-form Spark settings. */
    public static final String SPARK_CONF = "cxml.spark.conf";
    /** Config key of the CUDA libtorch folder of the executors ("" = the CPU libtorch in the jar). */
    public static final String PYTORCH_LIBRARY_PATH = "cxml.runtime.pytorch-library-path";
    /** Config key of the libtorch flavor of the executors. */
    public static final String PYTORCH_FLAVOR = "cxml.runtime.pytorch-flavor";
    /** Config key of the libtorch version of the executors. */
    public static final String PYTORCH_VERSION = "cxml.runtime.pytorch-version";

    private final String master;
    private final String appName;
    private final Map<String, String> conf;
    private final String pytorchLibraryPath;
    private final String pytorchFlavor;
    private final String pytorchVersion;

    private SparkSettings(CxmlConfig config) {
        this.master = config.getString(MASTER);
        this.appName = config.getString(APP_NAME);
        this.conf = new TreeMap<>(config.getStringMap(SPARK_CONF));
        this.pytorchLibraryPath = config.getString(PYTORCH_LIBRARY_PATH);
        this.pytorchFlavor = config.getString(PYTORCH_FLAVOR);
        this.pytorchVersion = config.getString(PYTORCH_VERSION);
    }

    /**
     * @param config the validated config
     * @return the Spark settings
     */
    public static SparkSettings resolve(CxmlConfig config) {
        return new SparkSettings(config);
    }

    /** @return the master used when spark-submit did not set one */
    public String master() {
        return master;
    }

    /** @return the application name prefix */
    public String appName() {
        return appName;
    }

    /** @return the free-form Spark settings, sorted by key */
    public Map<String, String> conf() {
        return new TreeMap<>(conf);
    }

    /**
     * @return the executors' native runtime by key suffix ({@code pytorch-library-path}, {@code pytorch-flavor},
     *     {@code pytorch-version}); blank values mean "not configured"
     */
    public Map<String, String> runtime() {
        Map<String, String> out = new LinkedHashMap<>();
        out.put("pytorch-library-path", pytorchLibraryPath);
        out.put("pytorch-flavor", pytorchFlavor);
        out.put("pytorch-version", pytorchVersion);
        return out;
    }

    /** @return the CUDA libtorch folder, blank for the CPU libtorch in the jar */
    public String pytorchLibraryPath() {
        return pytorchLibraryPath;
    }

    /** @return the libtorch flavor, blank when not set */
    public String pytorchFlavor() {
        return pytorchFlavor;
    }

    /** @return the libtorch version, blank when not set */
    public String pytorchVersion() {
        return pytorchVersion;
    }
}
