package io.cxml.jobs.spark;

import static org.assertj.core.api.Assertions.assertThat;

import io.cxml.jobs.config.ConfigLoader;
import io.cxml.jobs.config.CxmlConfig;
import io.cxml.runtime.CxmlSparkPlugin;
import io.cxml.runtime.executor.ExecutorReports;
import io.cxml.testing.LocalSpark;
import java.util.List;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/** The session factory gives executors what they need to run a model, and keeps what spark-submit set. */
class SparkSessionsTest {
    private static CxmlConfig config(String... overrides) {
        return ConfigLoader.create().optConfDir(LocalSpark.projectDir().resolve("conf"))
                .addOverrides(List.of(overrides)).load();
    }

    @Test
    void executorsGetThePluginTheDjlPropertiesAndTheirEnvironment() {
        SparkConf conf = SparkSessions.sparkConf(io.cxml.jobs.config.Settings.resolve(config("spark.task.cpus=2",
                "spark.executor.extraJavaOptions=-Dmine=1 -Dai.djl.offline=false",
                "cxml.runtime.pytorch-library-path=/opt/libtorch-cu124/lib")), "test");

        assertThat(conf.get("spark.plugins")).isEqualTo(CxmlSparkPlugin.class.getName());
        assertThat(conf.get("spark.executor.extraJavaOptions")).as("the user's options win, ours are added")
                .startsWith("-Dmine=1 -Dai.djl.offline=false").contains("-DOPT_OUT_TRACKING=true")
                .contains("-Dai.djl.pytorch.num_threads=2").doesNotContain("-Dai.djl.offline=true");
        assertThat(conf.get("spark.executorEnv.OMP_NUM_THREADS")).isEqualTo("2");
        assertThat(conf.get("spark.executorEnv.MALLOC_ARENA_MAX")).isEqualTo("2");
        assertThat(conf.get("spark.executorEnv.MALLOC_MMAP_THRESHOLD_")).isEqualTo("131072");
        assertThat(conf.get("spark.executorEnv.PYTORCH_LIBRARY_PATH")).isEqualTo("/opt/libtorch-cu124/lib");
    }

    @Test
    void theLocalExecutorReportsItsSettingsToTheDriver() {
        SparkSession existing = SparkSession.getActiveSession().getOrElse(() -> null);
        if (existing != null) {
            existing.stop();
        }
        SparkSession spark = SparkSessions.create(io.cxml.jobs.config.Settings.resolve(config("cxml.spark.master=local[1]")), "plugin-test");
        try {
            spark.range(10).count();
            assertThat(ExecutorReports.snapshot()).containsKey("driver");
            assertThat(ExecutorReports.snapshot().get("driver").settings()).containsEntry("ai.djl.offline", "true");
        } finally {
            spark.stop();
        }
    }
}
