package io.cxml.s3;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.spark.sql.SparkSession;

/**
 * Chooses the commit protocol per write. The S3A committers refuse Spark's dynamic partition overwrite
 * ({@code PathOutputCommitter does not support dynamicPartitionOverwrite}), which the ingest uses to replace exactly
 * the partitions it rewrites. Such writes run with Spark's classic commit protocol: task output is staged under
 * {@code .spark-staging-<job>} and renamed into place at job commit. A failed task still leaves nothing visible; on
 * S3 the final rename copies objects, so it is slower and not atomic across partitions.
 */
public final class Committers {
    private Committers() {}

    /**
     * Runs writes that replace partitions with the classic commit protocol, then restores the session's binding.
     * Changes the session's SQL configuration for the duration: do not run other writes on the same session
     * concurrently.
     *
     * @param spark the session the writes run on
     * @param writes the writes
     * @param <T> what the writes return
     * @return what the writes returned
     */
    public static <T> T withClassicCommitter(SparkSession spark, Supplier<T> writes) {
        Map<String, String> saved = new LinkedHashMap<>();
        for (String key : new String[] {S3Settings.COMMIT_PROTOCOL, S3Settings.PARQUET_COMMITTER}) {
            if (spark.conf().contains(key)) {
                saved.put(key, spark.conf().get(key));
                spark.conf().unset(key);
            }
        }
        try {
            return writes.get();
        } finally {
            saved.forEach((k, v) -> spark.conf().set(k, v));
        }
    }
}
