package io.cxml.jobs.spark;

import io.cxml.jobs.config.Secrets;
import io.cxml.jobs.config.Settings;
import io.cxml.jobs.config.SparkSettings;
import io.cxml.runtime.CxmlSparkPlugin;
import io.cxml.runtime.executor.ExecutorSettings;
import java.util.List;
import java.util.Map;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the SparkSession of a job from the config. Settings given to spark-submit ({@code --master},
 * {@code --conf}) win over cxml's config, which only fills what spark-submit left unset; so the same jar runs in
 * local mode through {@code bin/cxml} and on a cluster through spark-submit.
 */
public final class SparkSessions {
    private static final Logger LOG = LoggerFactory.getLogger(SparkSessions.class);

    private static final String PLUGINS = "spark.plugins";
    private static final String EXECUTOR_JAVA_OPTIONS = "spark.executor.extraJavaOptions";

    private SparkSessions() {}

    /**
     * Builds the SparkConf a job runs with.
     *
     * @param settings the resolved settings
     * @param job the job name, appended to the app name
     * @return the conf
     */
    public static SparkConf sparkConf(Settings settings, String job) {
        SparkSettings spark = settings.spark();
        SparkConf conf = new SparkConf(); // picks up spark.* system properties set by spark-submit
        if (!conf.contains("spark.master")) {
            conf.setMaster(spark.master());
        }
        if (!conf.contains("spark.app.name")) {
            conf.setAppName(spark.appName() + "-" + job);
        }
        for (Map.Entry<String, String> e : spark.conf().entrySet()) {
            conf.setIfMissing(e.getKey(), e.getValue());
        }
        settings.storage().sparkOptions().forEach(conf::setIfMissing);
        for (Map.Entry<String, String> e : settings.storage().hadoopConf().entrySet()) {
            conf.setIfMissing("spark.hadoop." + e.getKey(), e.getValue());
        }
        executorRuntime(conf, spark);
        // Guarantees the jobs rely on: idempotent partition rewrites and UTC dates.
        conf.set("spark.sql.sources.partitionOverwriteMode", "dynamic");
        conf.setIfMissing("spark.sql.session.timeZone", "UTC");
        return conf;
    }

    /**
     * What every executor JVM needs to run a model, on every master: cxml's Spark plugin (applies the DJL settings at
     * executor start, closes models at executor stop, reports both), the DJL/PyTorch system properties (appended to
     * spark.executor.extraJavaOptions unless already there), their environment (spark.executorEnv.*, unless set) and,
     * when configured, a CUDA libtorch. PyTorch threads follow spark.task.cpus.
     */
    static void executorRuntime(SparkConf conf, SparkSettings spark) {
        int taskCpus = Math.max(1, conf.getInt("spark.task.cpus", 1));
        String plugins = conf.get(PLUGINS, "");
        if (!List.of(plugins.split(",")).contains(CxmlSparkPlugin.class.getName())) {
            conf.set(PLUGINS, plugins.isBlank() ? CxmlSparkPlugin.class.getName()
                    : plugins + "," + CxmlSparkPlugin.class.getName());
        }
        String options = conf.get(EXECUTOR_JAVA_OPTIONS, "");
        StringBuilder merged = new StringBuilder(options);
        for (String option : ExecutorSettings.javaOptions(taskCpus)) {
            String key = option.substring(0, option.indexOf('=') + 1);
            if (!options.contains(key)) {
                merged.append(merged.length() == 0 ? "" : " ").append(option);
            }
        }
        conf.set(EXECUTOR_JAVA_OPTIONS, merged.toString());
        ExecutorSettings.environment(taskCpus).forEach((k, v) -> conf.setIfMissing("spark.executorEnv." + k, v));
        Map<String, String> runtime = Map.of(ExecutorSettings.PYTORCH_LIBRARY_PATH, spark.pytorchLibraryPath(),
                ExecutorSettings.PYTORCH_FLAVOR, spark.pytorchFlavor(),
                ExecutorSettings.PYTORCH_VERSION, spark.pytorchVersion());
        runtime.forEach((env, value) -> {
            if (!value.isBlank()) {
                conf.setIfMissing("spark.executorEnv." + env, value);
            }
        });
    }

    /**
     * Creates (or reuses) the session.
     *
     * @param settings the resolved settings
     * @param job the job name
     * @return the session
     */
    public static SparkSession create(Settings settings, String job) {
        SparkConf conf = sparkConf(settings, job);
        SparkSession spark = SparkSession.builder().config(conf).getOrCreate();
        LOG.info("Spark {} master={} app={} parallelism={}", spark.version(), spark.sparkContext().master(),
                spark.sparkContext().appName(), spark.sparkContext().defaultParallelism());
        if (LOG.isDebugEnabled()) {
            for (scala.Tuple2<String, String> kv : conf.getAll()) {
                LOG.debug("spark conf {}={}", kv._1(), Secrets.isSecretKey(kv._1()) ? Secrets.REDACTED : kv._2());
            }
        }
        return spark;
    }
}
