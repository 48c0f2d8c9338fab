package io.cxml.jobs.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.cxml.jobs.Cxml;
import io.cxml.runtime.executor.ExecutorSettings;
import io.cxml.testing.LocalSpark;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's first command as a newcomer runs it: {@code pipeline --sample --train} with the default sample, the
 * default base encoder (multilingual-e5-small from {@code ./setup.sh}'s cache) and the <b>default quality gates</b>.
 * Every model it trains must pass them and be promoted, and the scored table must carry intent, sentiment and
 * routing.
 *
 * <p>It runs in its own JVM, launched as {@code bin/cxml} launches one (the flags of {@code conf/jvm.options}, its
 * heap, its environment), not inside the test JVM: the encoder's native memory then starts from zero as it does for
 * a user, instead of on top of everything the module's earlier tests left in the shared test JVM (that sum was
 * killed by the kernel at 23.5 GB on the 24 GB CI machine). About 21 minutes on 2 cores, most of it the encoder.
 */
@Tag("slow")
class ReadmeMainJobTest {
    private static final long TIMEOUT_MINUTES = 40;

    @TempDir
    Path root;

    @Test
    void theReadmeJobPromotesEveryModelThroughTheDefaultGatesAndScoresWithThem() throws Exception {
        Path log = root.resolve("pipeline.log");
        Process job = launchLikeBinCxml(log, "pipeline", "--sample", "--train",
                "--conf", "cxml.storage.root=" + root.resolve("store"));
        boolean finished = job.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES);
        if (!finished) {
            job.destroyForcibly().waitFor();
        }
        String printed = Files.readString(log, StandardCharsets.UTF_8);
        assertThat(finished).as("finished within %d minutes; output:%n%s", TIMEOUT_MINUTES, tail(printed)).isTrue();
        assertThat(job.exitValue()).as(tail(printed)).isZero();

        assertThat(printed).contains("intent@champion is now v1", "sentiment@champion is now v1",
                "routing@champion is now v1", "pipeline succeeded: 10 stage(s)");
        // The heads' figures come with the hashed n-gram model's and the baseline's of the same split.
        assertThat(printed).contains("hashed n-grams (same split)").contains("baseline");

        Dataset<Row> scored = LocalSpark.get().read().parquet(root.resolve("store/scored/tickets").toString());
        assertThat(scored.count()).isPositive();
        assertThat(scored.where("intent IS NULL OR sentiment IS NULL OR routed_team IS NULL").count())
                .as("every scored ticket has an intent, a sentiment and a team").isZero();
        assertThat(scored.select("intent_model").distinct().collectAsList()).extracting(r -> r.getString(0))
                .containsExactly("intent@v1");
        assertThat(scored.select("sentiment_model").distinct().collectAsList()).extracting(r -> r.getString(0))
                .containsExactly("sentiment@v1");
    }

    /**
     * A JVM started as {@code bin/cxml} starts one: {@code conf/jvm.options}, its default heap and environment, the
     * repo's {@code conf/}, on this test's classpath (the module's classes and Spark, as the jar plus the provided
     * classpath give {@code bin/cxml}). The tests' {@code CXML_EMBEDDINGS_ENCODER=none} is removed, so the default
     * base encoder applies.
     */
    private static Process launchLikeBinCxml(Path log, String... args) throws IOException {
        Path project = LocalSpark.projectDir();
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String line : Files.readAllLines(project.resolve("conf/jvm.options"), StandardCharsets.UTF_8)) {
            if (!line.isBlank() && !line.strip().startsWith("#")) {
                command.add(line.strip());
            }
        }
        command.add("-Xmx4g");
        command.add("-Dcxml.conf.dir=" + project.resolve("conf"));
        command.add("-Dlog4j2.configurationFile=" + project.resolve("conf/log4j2.properties"));
        command.add("-Dspark.driver.bindAddress=127.0.0.1");
        command.add("-Dspark.driver.host=127.0.0.1");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(Cxml.class.getName());
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().remove("CXML_EMBEDDINGS_ENCODER");
        // What bin/cxml exports, glibc's malloc settings included (docs/embeddings.md, "Native memory").
        builder.environment().putAll(Map.of("OPT_OUT_TRACKING", "true", "AWS_EC2_METADATA_DISABLED", "true",
                "OMP_NUM_THREADS", "1", "SPARK_LOCAL_IP", "127.0.0.1"));
        builder.environment().putAll(ExecutorSettings.MALLOC);
        return builder.start();
    }

    private static String tail(String text) {
        return text.length() <= 20_000 ? text : text.substring(text.length() - 20_000);
    }
}
