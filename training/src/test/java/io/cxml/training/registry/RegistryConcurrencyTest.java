package io.cxml.training.registry;

import static org.assertj.core.api.Assertions.assertThat;

import io.cxml.storage.StorageLayout;
import io.cxml.testing.S3TestServer;
import java.net.URI;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * N trainings that allocate, write and publish a version and then promote it, all at once, on local files and on
 * S3 (s3proxy through S3A): every run gets its own version, every promotion is one alias-history entry, and each
 * entry follows from the one before it (no lost update).
 */
class RegistryConcurrencyTest {
    private static final int RUNS = 8;
    private static final QualityGates OPEN_GATES = new QualityGates(0.0, 0.0, 1.0, 1.0, 0.0, 1.0, 30);

    @TempDir
    Path dir;

    @Test
    void concurrentTrainsAndPromotesOnLocalFiles() throws Exception {
        Configuration hadoop = new Configuration();
        check(new ModelRegistry(StorageLayout.of(dir.toString()), hadoop), hadoop);
    }

    @Test
    void concurrentTrainsAndPromotesOnS3() throws Exception {
        S3TestServer s3 = S3TestServer.shared();
        String bucket = "cxml-registry-" + UUID.randomUUID().toString().substring(0, 8);
        s3.createBucket(bucket);
        Configuration hadoop = new Configuration();
        s3.settings(bucket).applyTo(hadoop);
        check(new ModelRegistry(StorageLayout.of("s3a://" + bucket + "/root"), hadoop), hadoop);
    }

    private void check(ModelRegistry registry, Configuration hadoop) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(RUNS);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<String>> runs = new ArrayList<>();
        try {
            for (int i = 0; i < RUNS; i++) {
                String runId = "run-" + i;
                Callable<String> train = () -> {
                    start.await();
                    String version = registry.allocateVersion("intent", runId);
                    writeModel(registry, hadoop, version);
                    registry.publish(manifest(version, runId), null);
                    new Promotion(registry, OPEN_GATES).promote(ModelRef.parse("intent@" + version), runId);
                    return version;
                };
                runs.add(pool.submit(train));
            }
            start.countDown();
            List<String> versions = new ArrayList<>();
            for (Future<String> f : runs) {
                versions.add(f.get());
            }
            List<String> expected = new ArrayList<>();
            for (int i = 1; i <= RUNS; i++) {
                expected.add("v" + i);
            }
            assertThat(versions).as("versions allocated").doesNotHaveDuplicates()
                    .containsExactlyInAnyOrderElementsOf(expected);
            assertThat(registry.versions("intent")).extracting(ModelManifest::version).containsExactlyElementsOf(expected);

            List<AliasChange> history = registry.aliasHistory("intent");
            assertThat(history).extracting(AliasChange::sequence).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L);
            assertThat(history).extracting(AliasChange::action).containsOnly("promote");
            assertThat(history).extracting(c -> c.aliases().champion()).containsExactlyInAnyOrderElementsOf(expected);
            Aliases before = Aliases.none();
            for (AliasChange c : history) {
                assertThat(c.aliases()).as("entry %d follows from entry %d", c.sequence(), c.sequence() - 1)
                        .isEqualTo(before.promote(c.aliases().champion()));
                assertThat(registry.readManifest("intent", c.aliases().champion()).orElseThrow().runId())
                        .as("entry %d was written by the run that trained its champion", c.sequence())
                        .isEqualTo(c.runId());
                before = c.aliases();
            }
            assertThat(registry.aliases("intent")).isEqualTo(history.get(RUNS - 1).aliases());
        } finally {
            pool.shutdownNow();
        }
    }

    private static void writeModel(ModelRegistry registry, Configuration hadoop, String version) throws Exception {
        URI uri = URI.create(registry.modelUri("intent", version) + "/weights.bin");
        org.apache.hadoop.fs.Path file = new org.apache.hadoop.fs.Path(uri);
        FileSystem fs = file.getFileSystem(hadoop);
        try (FSDataOutputStream out = fs.create(file, true)) {
            out.write(("weights of " + version).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
    }

    private static ModelManifest manifest(String version, String runId) {
        return new ModelManifest("intent", version, "intent", Instant.now(), Map.of("dim", "64"), "test data",
                Map.of(), "dev", new ModelManifest.MetricsSummary(500, 0.8, 0.78, 0.03,
                        Map.of("en", new ModelManifest.Slice(500, 0.8))), null, runId);
    }
}
