package io.cxml.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.cxml.testing.LocalSpark;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shaded jar through a real {@code spark-submit} (from the pyspark package of the same Spark version, in the
 * project's {@code .venv}): in local mode, and in {@code local-cluster} mode where executors are separate JVMs, so
 * every closure and broadcast really goes through serialization.
 */
@Tag("slow")
class SparkSubmitIT {
    private static final Path PROJECT = LocalSpark.projectDir();
    private static final Path SPARK_SUBMIT = Path.of(System.getProperty("cxml.spark.submit",
            PROJECT.resolve(".venv/bin/spark-submit").toString()));
    private static final Path JAR = PROJECT.resolve("jobs/target/cxml.jar");

    @TempDir
    Path root;

    private static void requireSparkSubmit() {
        boolean present = Files.isExecutable(SPARK_SUBMIT);
        if (System.getenv("CI") != null) {
            assertThat(present).as("spark-submit at %s (./setup.sh installs it)", SPARK_SUBMIT).isTrue();
        }
        assumeThat(present).as("spark-submit at " + SPARK_SUBMIT + "; run ./setup.sh").isTrue();
        assertThat(JAR).as("the shaded jar; run mvn package").exists();
    }

    private String submit(String master, String... jobArgs) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(SPARK_SUBMIT.toString(), "--master", master,
                "--class", "io.cxml.jobs.Cxml",
                "--conf", "spark.driver.bindAddress=127.0.0.1", "--conf", "spark.driver.host=127.0.0.1",
                "--conf", "spark.ui.enabled=false", "--conf", "spark.executor.memory=1g",
                "--driver-java-options", "-Dai.djl.offline=true",
                JAR.toString()));
        cmd.addAll(List.of(jobArgs));
        Path log = root.resolve("spark-submit-" + System.nanoTime() + ".log");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
        pb.environment().remove("SPARK_HOME"); // the pyspark package is its own SPARK_HOME...
        // ...found by a script that runs the `python3` on PATH: make it the venv's.
        pb.environment().put("PATH", SPARK_SUBMIT.getParent() + ":" + System.getenv("PATH"));
        Process p = pb.start();
        boolean done = p.waitFor(8, TimeUnit.MINUTES);
        if (!done) {
            p.destroyForcibly();
        }
        String output = Files.readString(log, StandardCharsets.UTF_8);
        assertThat(done).as("spark-submit finished in time:\n" + tail(output)).isTrue();
        assertThat(p.exitValue()).as("spark-submit exit code:\n" + tail(output)).isZero();
        return output;
    }

    private static String tail(String s) {
        return s.length() <= 6000 ? s : s.substring(s.length() - 6000);
    }

    @Test
    void pipelineRunsFromTheShadedJarInLocalMode() throws Exception {
        requireSparkSubmit();

        String output = submit("local[2]", "pipeline", "--sample", "--tickets", "2000", "--accounts", "5",
                "--days", "4", "--conf", "cxml.storage.root=" + root);

        assertThat(output).contains("pipeline succeeded: 3 stage(s)");
        assertThat(LocalSpark.get().read().parquet(root.resolve("curated/interactions").toString()).count())
                .isEqualTo(2000);
    }

    @Test
    void jobsSerializeAcrossExecutorJvmsInLocalCluster() throws Exception {
        requireSparkSubmit();

        String output = submit("local-cluster[2,1,1024]", "pipeline", "--sample", "--tickets", "3000",
                "--accounts", "6", "--days", "5", "--conf", "cxml.storage.root=" + root,
                "--conf", "cxml.sample.tickets-per-task=700");

        assertThat(output).contains("generate-sample succeeded", "ingest succeeded");
        SparkSession spark = LocalSpark.get();
        assertThat(spark.read().parquet(root.resolve("curated/interactions").toString()).count()).isEqualTo(3000);
        assertThat(spark.read().parquet(root.resolve("quarantine/interactions").toString()).count()).isPositive();
    }
}
