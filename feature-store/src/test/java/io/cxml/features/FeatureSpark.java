package io.cxml.features;

import io.cxml.testing.LocalSpark;
import org.apache.spark.sql.SparkSession;

/**
 * The shared local session, with Spark's plain commit protocol for local partitioned writes. Spark core switches to
 * spark-hadoop-cloud's {@code PathOutputCommitProtocol} whenever that jar is on the classpath (test scope here), and
 * the 4.1.2 jar is not binary compatible with Spark core 4.1.0 for dynamic-partition writes ({@code
 * IllegalAccessError} on {@code HadoopMapReduceCommitProtocol.partitionPaths()}). Remove once the versions match or
 * {@link LocalSpark} sets it.
 */
final class FeatureSpark {
    static final String COMMIT_PROTOCOL = "spark.sql.sources.commitProtocolClass";
    static final String PLAIN_PROTOCOL =
            "org.apache.spark.sql.execution.datasources.SQLHadoopMapReduceCommitProtocol";

    private FeatureSpark() {}

    static SparkSession get() {
        SparkSession spark = LocalSpark.get();
        spark.conf().set(COMMIT_PROTOCOL, PLAIN_PROTOCOL);
        return spark;
    }
}
