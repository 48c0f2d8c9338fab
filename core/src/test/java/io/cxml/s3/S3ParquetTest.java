package io.cxml.s3;

import static org.assertj.core.api.Assertions.assertThat;

import io.cxml.testing.S3TestServer;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.UUID;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Spark writes and reads Parquet on {@code s3a://} against a real S3 server (s3proxy) with the magic committer. */
class S3ParquetTest {
    private static final String BUCKET = "cxml-parquet-" + UUID.randomUUID().toString().substring(0, 8);
    private static SparkSession spark;

    @BeforeAll
    static void connect() {
        spark = S3TestServer.shared().sessionFor(BUCKET);
        spark.conf().set("spark.sql.sources.partitionOverwriteMode", "static");
    }

    @Test
    void writesAndReadsPartitionedParquetThroughTheMagicCommitter() throws Exception {
        String path = "s3a://" + BUCKET + "/curated/numbers";
        Dataset<Row> df = spark.range(0, 1000).selectExpr("id", "cast(id % 7 as int) as k", "concat('t', id) as s")
                .repartition(3);

        df.write().mode(SaveMode.Overwrite).partitionBy("k").parquet(path);
        df.write().mode(SaveMode.Overwrite).partitionBy("k").parquet(path);

        Dataset<Row> back = spark.read().parquet(path);
        assertThat(back.count()).isEqualTo(1000);
        assertThat(back.selectExpr("sum(id)").first().getLong(0)).isEqualTo(999L * 1000 / 2);
        assertThat(back.select("k").distinct().count()).isEqualTo(7);

        Path success = new Path(path, "_SUCCESS");
        FileSystem fs = success.getFileSystem(spark.sparkContext().hadoopConfiguration());
        String manifest;
        try (InputStream in = fs.open(success)) {
            manifest = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        // The S3A committers write a JSON manifest naming the committer; the classic committer an empty file.
        assertThat(manifest).contains("\"committer\"").contains("magic");
        FileStatus[] top = fs.listStatus(new Path(path));
        assertThat(Arrays.stream(top).map(f -> f.getPath().getName()))
                .noneMatch(n -> n.startsWith("__magic")).contains("k=0", "k=6", "_SUCCESS");
    }
}
