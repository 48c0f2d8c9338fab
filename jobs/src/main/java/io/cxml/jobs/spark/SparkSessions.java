package io.cxml.jobs.spark;

import io.cxml.jobs.config.CxmlConfig;
import io.cxml.jobs.config.Secrets;
import io.cxml.jobs.cli.JobRun;
import io.cxml.jobs.storage.StorageConfig;
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

    /** Config key of the master used when spark-submit did not set one. */
    public static final String MASTER = "cxml.spark.master";
    /** Config key of the application name prefix. */
    public static final String APP_NAME = "cxml.spark.app-name";
    /** Config key of the free-form Spark settings. */
    public static final String SPARK_CONF = "cxml.spark.conf";
    /** Config key of the free-form Hadoop settings (become {@code spark.hadoop.*}). */
    public static final String HADOOP_CONF = "cxml.hadoop.conf";

    private SparkSessions() {}

    /**
     * Builds the SparkConf a job runs with.
     *
     * @param config the effective config
     * @param job the job name, appended to the app name
     * @return the conf
     */
    public static SparkConf sparkConf(CxmlConfig config, String job) {
        SparkConf conf = new SparkConf(); // picks up spark.* system properties set by spark-submit
        if (!conf.contains("spark.master")) {
            conf.setMaster(config.getString(MASTER));
        }
        if (!conf.contains("spark.app.name")) {
            conf.setAppName(config.getString(APP_NAME) + "-" + job);
        }
        for (Map.Entry<String, String> e : config.getStringMap(SPARK_CONF).entrySet()) {
            conf.setIfMissing(e.getKey(), e.getValue());
        }
        StorageConfig.sparkOptions(config, config.getString(JobRun.STORAGE_ROOT)).forEach(conf::setIfMissing);
        for (Map.Entry<String, String> e : config.getStringMap(HADOOP_CONF).entrySet()) {
            conf.setIfMissing("spark.hadoop." + e.getKey(), e.getValue());
        }
        // Guarantees the jobs rely on: idempotent partition rewrites and UTC dates.
        conf.set("spark.sql.sources.partitionOverwriteMode", "dynamic");
        conf.setIfMissing("spark.sql.session.timeZone", "UTC");
        return conf;
    }

    /**
     * Creates (or reuses) the session.
     *
     * @param config the effective config
     * @param job the job name
     * @return the session
     */
    public static SparkSession create(CxmlConfig config, String job) {
        SparkConf conf = sparkConf(config, job);
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
