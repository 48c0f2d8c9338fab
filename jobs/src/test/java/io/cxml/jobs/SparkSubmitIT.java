package io.cxml.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.api.Assumptions.assumeThat;

import ai.djl.Device;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cxml.runtime.model.Prediction;
import io.cxml.runtime.model.TextClassifier;
import io.cxml.runtime.text.pretrained.PretrainedEncoder;
import io.cxml.testing.LocalSpark;
import io.cxml.testing.TestServers;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.Row;
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
        Path log = root.resolve("spark-submit-" + System.nanoTime() + ".log");
        Process p = start(master, log, jobArgs);
        return finish(p, log);
    }

    private Process start(String master, Path log, String... jobArgs) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(SPARK_SUBMIT.toString(), "--master", master,
                "--class", "io.cxml.jobs.Cxml",
                "--conf", "spark.driver.bindAddress=127.0.0.1", "--conf", "spark.driver.host=127.0.0.1",
                "--conf", "spark.ui.enabled=false", "--conf", "spark.executor.memory=1g",
                "--driver-java-options", "-Dai.djl.offline=true",
                JAR.toString()));
        cmd.addAll(List.of(jobArgs));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
        if (System.getenv(TestServers.PG_PASSWORD) != null) { // secrets through the environment, never argv
            pb.environment().put("CXML_WAREHOUSE_PASSWORD", System.getenv(TestServers.PG_PASSWORD));
        }
        pb.environment().remove("SPARK_HOME"); // the pyspark package is its own SPARK_HOME...
        // ...found by a script that runs the `python3` on PATH: make it the venv's.
        pb.environment().put("PATH", SPARK_SUBMIT.getParent() + ":" + System.getenv("PATH"));
        return pb.start();
    }

    private static String finish(Process p, Path log) throws IOException, InterruptedException {
        boolean done = p.waitFor(12, TimeUnit.MINUTES);
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

    @Test
    void zendeskIngestSerializesAcrossExecutorJvmsInLocalCluster() throws Exception {
        requireSparkSubmit();
        Path fixture = PROJECT.resolve("feature-store/src/test/resources/zendesk/export");
        try (var files = Files.walk(fixture)) {
            for (Path f : files.toList()) {
                Path to = root.resolve("raw/zendesk").resolve(fixture.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(f, to);
                }
            }
        }

        String output = submit("local-cluster[2,1,1024]", "ingest", "--source", "zendesk", "--from", "2026-03-02",
                "--to", "2026-03-04", "--conf", "cxml.storage.root=" + root);

        assertThat(output).contains("ingest succeeded").containsPattern("curated\\s+4")
                .containsPattern("quarantined\\s+6").containsPattern("comments_read\\s+12");
    }

    /**
     * Trains, promotes and scores in local-cluster mode, publishing to PostgreSQL: DJL runs in the executor JVMs with
     * cxml's settings, each executor loads the model once (its own report, not timing), and an executor killed mid
     * scoring still ends with the same rows and no duplicates.
     */
    @Test
    void scoresInExecutorJvmsLoadingTheModelOnceEachAndSurvivesAKilledExecutor() throws Exception {
        requireSparkSubmit();
        String pgUrl = System.getenv(TestServers.PG_URL);
        if (System.getenv("CI") != null) {
            assertThat(pgUrl).as("PostgreSQL from .ci/services.sh").isNotNull();
        }
        List<String> args = new ArrayList<>(List.of("--conf", "cxml.storage.root=" + root,
                "--conf", "cxml.training.intent.buckets=16384", "--conf", "cxml.training.intent.dim=32",
                "--conf", "cxml.training.intent.epochs=3", "--conf", "cxml.training.baseline.features=4096",
                "--conf", "cxml.models.gates.min-accuracy=0", "--conf", "cxml.models.gates.min-macro-f1=0",
                "--conf", "cxml.models.gates.min-language-accuracy=0", "--conf", "spark.sql.shuffle.partitions=8",
                "--conf", "cxml.scoring.batch-size=16", "--conf", "cxml.routing.tenants-per-task=3",
                "--conf", "cxml.routing.min-tenant-examples=20", "--conf", "cxml.routing.epochs=10"));
        if (pgUrl != null) {
            args.addAll(List.of("--conf", "cxml.warehouse.url=" + pgUrl,
                    "--conf", "cxml.warehouse.user=" + System.getenv(TestServers.PG_USER),
                    "--conf", "cxml.scoring.table=scored_it_" + Math.abs(root.hashCode())));
        }
        String master = "local-cluster[2,1,2048]";
        List<String> pipeline = new ArrayList<>(List.of("pipeline", "--sample", "--train", "--tickets", "2500",
                "--accounts", "30", "--days", "4"));
        pipeline.addAll(args);
        String output = submit(master, pipeline.toArray(new String[0]));
        assertThat(output).contains("score succeeded", "scored tickets");
        // The baseline's regression is fitted inside one task: here an executor JVM (its closure and result travel).
        assertThat(output).contains("baseline TF-IDF + LR: accuracy");

        JsonNode run = lastRunRecord("score");
        JsonNode executors = run.at("/details/executors");
        assertThat(executors.isObject()).as("executor reports in %s", run).isTrue();
        List<Long> pids = new ArrayList<>();
        executors.fields().forEachRemaining(e -> {
            assertThat(e.getKey()).as("a separate executor JVM").isNotEqualTo("driver");
            JsonNode settings = e.getValue().get("settings");
            assertThat(settings.get("ai.djl.offline").asText()).isEqualTo("true");
            assertThat(settings.get("OPT_OUT_TRACKING").asText()).isEqualTo("true");
            assertThat(settings.get("ai.djl.pytorch.num_threads").asText()).isEqualTo("1");
            assertThat(settings.get("OMP_NUM_THREADS").asText()).isEqualTo("1");
            e.getValue().get("model_loads").fields().forEachRemaining(load ->
                    assertThat(load.getValue().asInt()).as("loads of %s in executor %s", load.getKey(), e.getKey())
                            .isEqualTo(1));
            pids.add(e.getValue().get("pid").asLong());
        });
        assertThat(pids).doesNotHaveDuplicates().doesNotContain(ProcessHandle.current().pid());
        // Routing: many tenant models trained in tasks on both executor JVMs, packed a few per artifact, and every
        // scored ticket routed by one of them or by the global fallback.
        JsonNode index = new ObjectMapper().readTree(root.resolve("models/routing/v1/model/routing-index.json")
                .toFile());
        assertThat(index.get("tenants").size()).isGreaterThanOrEqualTo(6);
        assertThat(index.get("artifacts").size()).isGreaterThan(2).isLessThan(index.get("tenants").size() + 1);
        JsonNode routingRun = lastRunRecord("train-routing");
        assertThat(routingRun.at("/status").asText()).isEqualTo("succeeded");
        SparkSession spark = LocalSpark.get();
        assertThat(spark.read().parquet(root.resolve("scored/tickets").toString())
                .where("routed_team is null or routing_source is null").count()).isZero();
        assertThat(run.at("/versions/routing").asText()).isEqualTo("routing@v1");
        List<String> first = comparable(spark.read().parquet(root.resolve("scored/tickets").toString()));
        assertThat((long) first.size()).isEqualTo(run.at("/counts/scored").asLong());
        if (pgUrl != null) {
            assertThat(run.at("/counts/published").asLong()).isEqualTo(first.size());
        }

        // Score the window again and kill one executor JVM while it scores.
        Path log = root.resolve("spark-submit-kill.log");
        List<String> score = new ArrayList<>(List.of("score", "--from", "2026-01-01", "--to", "2026-01-05"));
        score.addAll(args);
        Process p = start(master, log, score.toArray(new String[0]));
        boolean killed = false;
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(6);
        while (!killed && p.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(200);
            String sofar = Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
            if (sofar.contains("Step 2/3")) {
                ProcessHandle executor = p.descendants().filter(h -> h.info().commandLine().orElse("")
                        .contains("CoarseGrainedExecutorBackend")).findFirst().orElse(null);
                if (executor != null) {
                    killed = executor.destroyForcibly();
                }
            }
        }
        String killedOutput = finish(p, log);
        assertThat(killed).as("an executor was killed mid-job:\n" + tail(killedOutput)).isTrue();
        List<String> again = comparable(spark.read().parquet(root.resolve("scored/tickets").toString()));
        assertThat(again).as("same rows, no duplicates, after losing an executor").isEqualTo(first);
        JsonNode rerun = lastRunRecord("score");
        assertThat(rerun.at("/counts/read").asLong()).isEqualTo(run.at("/counts/read").asLong());
        assertThat(rerun.at("/counts/scored").asLong()).isEqualTo(first.size());
    }

    /** The scored rows without the run's own columns, ordered, as JSON: compared bit for bit. */
    private static List<String> comparable(org.apache.spark.sql.Dataset<Row> scored) {
        return scored.drop("run_id", "scored_at").orderBy("ticket_id").toJSON().collectAsList();
    }

    /**
     * The {@code ticket_embedding} view is built in executor JVMs (issue 26): the base encoder (the tiny XLM-R
     * fixture) reaches each executor by its path and checksum, each executor JVM loads it once and embeds its tasks'
     * texts, and the stored vectors are the encoder's own embeddings of the tickets' normalized texts.
     */
    @Test
    void buildsTheEmbeddingViewInExecutorJvms() throws Exception {
        requireSparkSubmit();
        String storage = "cxml.storage.root=" + root;
        Path tiny = PROJECT.resolve("model-runtime/src/test/resources/io/cxml/runtime/text/tiny-xlmr");
        submit("local[2]", "generate-sample", "--tickets", "600", "--accounts", "3", "--days", "2", "--conf", storage);
        submit("local[2]", "ingest", "--from", "2026-01-01", "--to", "2026-01-03", "--conf", storage);
        String output = submit("local-cluster[2,1,1024]", "features", "build", "--from", "2026-01-01", "--to",
                "2026-01-03", "--views", "ticket_embedding", "--conf", storage,
                "--conf", "cxml.embeddings.encoder.path=" + tiny, "--conf", "cxml.embeddings.encoder.max-tokens=48",
                "--conf", "cxml.embeddings.encoder.batch-size=32", "--conf", "spark.sql.shuffle.partitions=4",
                // Four embedding tasks, not one coalesced: each executor JVM must embed (and load the encoder).
                "--conf", "spark.sql.adaptive.coalescePartitions.enabled=false",
                "--conf", "spark.scheduler.minRegisteredResourcesRatio=1.0");
        assertThat(output).contains("features-build succeeded");
        JsonNode run = lastRunRecord("features-build");
        long rows = run.at("/counts/ticket_embedding.rows").asLong();
        assertThat(rows).isGreaterThan(500);
        assertThat(run.at("/counts/ticket_embedding.embedded").asLong()).isPositive().isLessThanOrEqualTo(rows);
        JsonNode executors = run.at("/details/executors");
        assertThat(executors.size()).as("executor reports in %s", run).isEqualTo(2);
        List<Long> pids = new ArrayList<>();
        executors.fields().forEachRemaining(e -> {
            JsonNode loads = e.getValue().get("model_loads");
            assertThat(loads.size()).as("loads in executor %s: %s", e.getKey(), loads).isEqualTo(1);
            loads.fields().forEachRemaining(load -> {
                assertThat(load.getKey()).startsWith("encoder ");
                assertThat(load.getValue().asInt()).as("loads of %s in %s", load.getKey(), e.getKey()).isEqualTo(1);
            });
            pids.add(e.getValue().get("pid").asLong());
        });
        assertThat(pids).doesNotHaveDuplicates().doesNotContain(ProcessHandle.current().pid());

        SparkSession spark = LocalSpark.get();
        List<Row> stored = spark.read().parquet(root.resolve("features/ticket_embedding/v1").toString())
                .join(spark.read().parquet(root.resolve("curated/interactions").toString()).select("ticket_id", "text"),
                        "ticket_id")
                .orderBy("ticket_id").limit(25).collectAsList();
        List<String> texts = stored.stream().map(r -> r.<String>getAs("text").toLowerCase(java.util.Locale.ROOT))
                .toList();
        float[][] expected;
        try (var embedder = new io.cxml.runtime.text.pretrained.SentenceEmbedder(
                io.cxml.runtime.text.pretrained.PretrainedFolder.open(tiny), Device.cpu(), 8, 48)) {
            expected = embedder.embed(texts);
        }
        for (int i = 0; i < stored.size(); i++) {
            List<Float> v = stored.get(i).getList(stored.get(i).fieldIndex("embedding"));
            for (int j = 0; j < v.size(); j++) {
                assertThat((double) v.get(j)).as("ticket %s dim %s", i, j)
                        .isCloseTo(expected[i][j], org.assertj.core.data.Offset.offset(1e-5));
            }
        }
    }

    /**
     * A fine-tuned pretrained encoder (the tiny XLM-R fixture, issue 10) scores in executor JVMs: trained with
     * {@code cxml.training.encoder.kind=pretrained} on a small sample, scored in local-cluster mode where both
     * executor JVMs load the registered model (tokenizer.json and weights from the version's directory only), and
     * the scored intents and confidences are the model's own predictions for those tickets. Only the steps it needs
     * (generate-sample, ingest, train intent, score the version; no features build, routing or promotion: score takes
     * {@code --model intent=intent@v1}), at the smallest sizes that still give a model with several distinct answers.
     */
    @Test
    void scoresAFineTunedPretrainedEncoderInExecutorJvms() throws Exception {
        requireSparkSubmit();
        long started = System.nanoTime();
        List<String> steps = new ArrayList<>();
        String storage = "cxml.storage.root=" + root;
        submit("local[2]", "generate-sample", "--tickets", "400", "--accounts", "3", "--days", "2", "--conf", storage);
        steps.add(String.format("generate-sample %.1f s", (System.nanoTime() - started) / 1e9));
        submit("local[2]", "ingest", "--from", "2026-01-01", "--to", "2026-01-03", "--conf", storage);
        steps.add(String.format("ingest %.1f s", (System.nanoTime() - started) / 1e9));
        Path tiny = PROJECT.resolve("model-runtime/src/test/resources/io/cxml/runtime/text/tiny-xlmr");
        String trained = submit("local[2]", "train", "intent", "--conf", storage,
                "--conf", "cxml.training.encoder.kind=pretrained", "--conf", "cxml.training.encoder.path=" + tiny,
                "--conf", "cxml.training.encoder.epochs=3", "--conf", "cxml.training.encoder.max-seq-length=48",
                "--conf", "cxml.training.encoder.batch-size=16", "--conf", "cxml.training.encoder.learning-rate=3e-3",
                "--conf", "cxml.training.baseline.features=0");
        assertThat(trained).contains("model intent@v1");
        steps.add(String.format("train %.1f s", (System.nanoTime() - started) / 1e9));
        Path model = root.resolve("models/intent/v1/model");
        JsonNode manifest = new ObjectMapper().readTree(root.resolve("models/intent/v1/model.json").toFile());
        assertThat(manifest.at("/params/encoder").asText()).isEqualTo("pretrained");
        assertThat(model.resolve("tokenizer.json")).exists();

        // Both executors must be up before the first task, so that each scores (and loads the model) itself.
        String output = submit("local-cluster[2,1,1024]", "score", "--from", "2026-01-01", "--to", "2026-01-03",
                "--model", "intent=intent@v1", "--model", "sentiment=none", "--model", "routing=none",
                "--conf", storage, "--conf", "cxml.scoring.batch-size=16",
                "--conf", "spark.scheduler.minRegisteredResourcesRatio=1.0");
        assertThat(output).contains("score succeeded");
        steps.add(String.format("score %.1f s", (System.nanoTime() - started) / 1e9));
        JsonNode run = lastRunRecord("score");
        assertThat(run.at("/versions/intent").asText()).isEqualTo("intent@v1");
        JsonNode executors = run.at("/details/executors");
        assertThat(executors.size()).as("executor reports in %s", run).isEqualTo(2);
        List<Long> pids = new ArrayList<>();
        executors.fields().forEachRemaining(e -> {
            assertThat(e.getKey()).as("a separate executor JVM").isNotEqualTo("driver");
            assertThat(e.getValue().get("model_loads").get("intent@v1 @ cpu()").asInt())
                    .as("loads of intent@v1 in executor %s: %s", e.getKey(), e.getValue()).isEqualTo(1);
            pids.add(e.getValue().get("pid").asLong());
        });
        assertThat(pids).doesNotHaveDuplicates().doesNotContain(ProcessHandle.current().pid());

        SparkSession spark = LocalSpark.get();
        List<Row> rows = spark.read().parquet(root.resolve("scored/tickets").toString())
                .select("ticket_id", "intent", "intent_confidence")
                .join(spark.read().parquet(root.resolve("curated/interactions").toString()).select("ticket_id", "text"),
                        "ticket_id")
                .orderBy("ticket_id").collectAsList();
        assertThat((long) rows.size()).isEqualTo(run.at("/counts/scored").asLong()).isGreaterThan(300);
        List<String> texts = rows.stream().map(r -> r.getString(3)).toList();
        try (TextClassifier classifier = TextClassifier.load(model, Device.cpu(), 3)) {
            assertThat(classifier.spec().encoder().kind()).isEqualTo(PretrainedEncoder.KIND);
            List<Prediction> own = classifier.predict(texts);
            for (int i = 0; i < rows.size(); i++) {
                Row r = rows.get(i);
                assertThat(r.getString(1)).as("intent of %s", r.getString(0)).isEqualTo(own.get(i).label());
                assertThat(r.getDouble(2)).as("confidence of %s", r.getString(0))
                        .isCloseTo(own.get(i).confidence(), within(1e-4));
            }
        }
        assertThat(rows.stream().map(r -> r.getString(1)).distinct().count()).as("not a constant model")
                .isGreaterThan(1);
        steps.add(String.format("checks %.1f s", (System.nanoTime() - started) / 1e9));
        System.out.println("SparkSubmitIT pretrained encoder, elapsed after each step: " + String.join(", ", steps));
    }

    private JsonNode lastRunRecord(String job) throws IOException {
        try (var files = Files.list(root.resolve("runs/" + job))) {
            Path last = files.sorted().reduce((a, b) -> b).orElseThrow();
            return new ObjectMapper().readTree(last.toFile());
        }
    }
}
