package io.cxml.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cxml.testing.S3TestServer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The S3 server goes down in the middle of a Parquet write (after half of the tasks committed their files): the job
 * fails with a clear message, no partial output is visible, and a re-run after the restart writes exactly the data.
 * Runs its own s3proxy child process so that it can stop and restart it.
 */
class S3OutageTest {
    private static final String BUCKET = "cxml-outage-" + UUID.randomUUID().toString().substring(0, 8);
    private static final int PARTITIONS = 4;
    private static final int ROWS_PER_PARTITION = 500;
    /** Tasks of the second half wait here until the server is down (local mode: one JVM, statics are shared). */
    private static final CountDownLatch SERVER_DOWN = new CountDownLatch(1);
    private static final AtomicInteger FIRST_HALF_DONE = new AtomicInteger();

    private static S3TestServer server;
    private static SparkSession spark;

    @BeforeAll
    static void start() {
        server = S3TestServer.startOwn(Path.of("target", "s3proxy-outage-" + UUID.randomUUID()));
        spark = server.sessionFor(BUCKET);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void writeInterruptedByAnOutageLeavesNothingVisibleAndReRunIsExact() throws Exception {
        String path = "s3a://" + BUCKET + "/scored/tickets";
        SparkListener listener = new SparkListener() {
            @Override
            public void onTaskEnd(SparkListenerTaskEnd end) {
                if (end.taskInfo().successful() && end.taskInfo().index() < PARTITIONS / 2) {
                    FIRST_HALF_DONE.incrementAndGet();
                }
            }
        };
        spark.sparkContext().addSparkListener(listener);
        Thread outage = new Thread(() -> {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (FIRST_HALF_DONE.get() < PARTITIONS / 2 && System.nanoTime() < deadline) {
                sleep(50);
            }
            server.stop();
            SERVER_DOWN.countDown();
        });
        outage.start();
        try {
            assertThatThrownBy(() -> write(gatedData(), path))
                    .isInstanceOf(StorageException.class)
                    .hasMessageStartingWith("Cannot write " + path + ": the S3 endpoint is unreachable")
                    .hasMessageContaining("No partial output is visible");
        } finally {
            outage.join();
            spark.sparkContext().removeSparkListener(listener);
        }
        assertThat(FIRST_HALF_DONE.get()).as("tasks committed before the outage").isEqualTo(PARTITIONS / 2);

        server.restart();
        FileSystem fs = new org.apache.hadoop.fs.Path(path).getFileSystem(spark.sparkContext().hadoopConfiguration());
        assertThat(visibleFiles(fs, path)).as("visible output after the failed job").isEmpty();

        write(gatedData(), path);
        Dataset<Row> back = spark.read().parquet(path);
        long rows = (long) PARTITIONS * ROWS_PER_PARTITION;
        assertThat(back.count()).isEqualTo(rows);
        assertThat(back.selectExpr("sum(id)").first().getLong(0)).isEqualTo(rows * (rows - 1) / 2);
        assertThat(visibleFiles(fs, path)).filteredOn(f -> f.endsWith(".parquet")).hasSize(PARTITIONS);
    }

    private static void write(Dataset<Row> data, String path) {
        try {
            data.write().mode(SaveMode.Overwrite).parquet(path);
        } catch (Exception e) { // Spark throws SparkException, checked, without declaring it
            throw S3Failures.explain("write", path, e);
        }
    }

    private static Dataset<Row> gatedData() {
        List<Integer> partitions = new ArrayList<>();
        for (int p = 0; p < PARTITIONS; p++) {
            partitions.add(p);
        }
        JavaRDD<Row> rows = JavaSparkContext.fromSparkContext(spark.sparkContext())
                .parallelize(partitions, PARTITIONS)
                .mapPartitionsWithIndex((index, it) -> {
                    if (index >= PARTITIONS / 2) {
                        SERVER_DOWN.await(120, TimeUnit.SECONDS);
                    }
                    List<Row> out = new ArrayList<>();
                    for (long i = 0; i < ROWS_PER_PARTITION; i++) {
                        long id = (long) index * ROWS_PER_PARTITION + i;
                        out.add(RowFactory.create(id, "ticket-" + id));
                    }
                    return out.iterator();
                }, true);
        StructType schema = new StructType().add("id", DataTypes.LongType).add("ticket_id", DataTypes.StringType);
        return spark.createDataFrame(rows, schema);
    }

    /** Files a reader would see: everything except the committer's {@code __magic*} work area. */
    private static List<String> visibleFiles(FileSystem fs, String path) throws Exception {
        List<String> files = new ArrayList<>();
        org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(path);
        if (!fs.exists(p)) {
            return files;
        }
        RemoteIterator<LocatedFileStatus> it = fs.listFiles(p, true);
        while (it.hasNext()) {
            String name = it.next().getPath().toString();
            if (!name.contains("/__magic")) {
                files.add(name);
            }
        }
        return files;
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
