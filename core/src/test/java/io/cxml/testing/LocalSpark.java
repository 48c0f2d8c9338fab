package io.cxml.testing;

import java.nio.file.Path;
import org.apache.spark.sql.SparkSession;

/**
 * One real local SparkSession per test JVM, shared by every test class (starting Spark costs seconds). Bound to
 * 127.0.0.1, two threads, few shuffle partitions, dynamic partition overwrite and UTC, like the jobs' sessions.
 * Shared with the other modules through this module's test-jar.
 */
public final class LocalSpark {
    private static SparkSession session;

    private LocalSpark() {}

    /** @return the shared session, created on first use */
    public static synchronized SparkSession get() {
        if (session == null || session.sparkContext().isStopped()) {
            session = SparkSession.builder()
                    .appName("cxml-tests")
                    .master("local[2]")
                    .config("spark.driver.bindAddress", "127.0.0.1")
                    .config("spark.driver.host", "127.0.0.1")
                    .config("spark.ui.enabled", "false")
                    .config("spark.sql.shuffle.partitions", "4")
                    .config("spark.default.parallelism", "4")
                    .config("spark.sql.sources.partitionOverwriteMode", "dynamic")
                    .config("spark.sql.session.timeZone", "UTC")
                    .config("spark.sql.warehouse.dir", Path.of("target", "spark-warehouse").toAbsolutePath().toString())
                    .getOrCreate();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> session.stop()));
        }
        return session;
    }

    /** @return the project root (parent of the modules), for fixtures shared by the modules */
    public static Path projectDir() {
        return Path.of(System.getProperty("cxml.project.dir", "..")).toAbsolutePath().normalize();
    }

    /** @return the repo's public data sets (BANKING77, xSID) with their licences: {@code datasets/README.md} */
    public static Path datasetsDir() {
        return projectDir().resolve("datasets");
    }
}
