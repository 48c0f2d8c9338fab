package io.cxml.runtime.executor;

import ai.djl.Device;
import io.cxml.runtime.embedding.BaseEncoder;
import io.cxml.runtime.embedding.EmbeddingHead;
import io.cxml.runtime.model.ClassifierModel;
import io.cxml.runtime.text.pretrained.PretrainedFolder;
import io.cxml.runtime.text.pretrained.SentenceEmbedder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The models of this JVM: each version's files are copied once to an executor-local folder (atomically, so
 * concurrent tasks and JVMs on one host never read a half-copied folder), and its weights are loaded once per device
 * and shared by every task of the JVM. Closed when the executor stops ({@link io.cxml.runtime.CxmlSparkPlugin}) or the JVM exits.
 */
public final class ModelCache {
    /** System property of the executor-local folder for model files (default: {@code java.io.tmpdir}). */
    public static final String CACHE_DIR = "cxml.model.cache.dir";
    private static final Logger LOG = LoggerFactory.getLogger(ModelCache.class);
    private static final String COMPLETE = "_COMPLETE";
    private static final Map<String, ClassifierModel> MODELS = new ConcurrentHashMap<>();
    private static final Map<String, SentenceEmbedder> ENCODERS = new ConcurrentHashMap<>();
    private static final Map<String, EmbeddingHead> HEADS = new ConcurrentHashMap<>();
    private static final Map<String, AtomicInteger> LOADS = new ConcurrentHashMap<>();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(ModelCache::closeAll, "cxml-model-cache-close"));
    }

    private ModelCache() {}

    /**
     * @param source the model version
     * @param device the device its weights should live on
     * @return the shared loaded model (do not close it: the cache does)
     */
    public static ClassifierModel get(ModelSource source, Device device) {
        String key = source.fingerprint() + "@" + device;
        return MODELS.computeIfAbsent(key, k -> {
            ExecutorSettings.applyForThisExecutor();
            long start = System.nanoTime();
            Path local = materialize(source);
            ClassifierModel model = ClassifierModel.load(local, device);
            LOADS.computeIfAbsent(source.label() + " @ " + device, x -> new AtomicInteger()).incrementAndGet();
            LOG.info("loaded {} on {} in {} ms (cached for this executor)", source.label(), device,
                    (System.nanoTime() - start) / 1_000_000);
            ExecutorReports.send();
            return model;
        });
    }

    /**
     * The base encoder of this JVM: its folder copied to this machine once (when remote), checked against the
     * checksum the driver recorded, loaded once per device and shared by every task (embedding is thread-safe).
     *
     * @param base the encoder
     * @param device the device its weights should live on
     * @param hadoop Hadoop settings to read a remote folder with
     * @return the shared embedder (do not close it: the cache does)
     */
    public static SentenceEmbedder encoder(BaseEncoder base, Device device, Map<String, String> hadoop) {
        String key = base.checksum() + ";" + base.maxTokens() + "@" + device;
        return ENCODERS.computeIfAbsent(key, k -> {
            ExecutorSettings.applyForThisExecutor();
            long start = System.nanoTime();
            PretrainedFolder folder = PretrainedFolder.localize(base.location(), hadoop);
            BaseEncoder here = BaseEncoder.open(base.location(), base.maxTokens(), hadoop);
            if (!here.checksum().equals(base.checksum())) {
                throw new IllegalStateException("Cannot embed with the encoder at " + base.location() + ": its files "
                        + "(sha256 " + here.checksum().substring(0, 12) + ") are not the encoder the job or model "
                        + "expects (sha256 " + base.checksum().substring(0, 12) + "). Point cxml.embeddings.encoder"
                        + ".path at the same folder on every machine, or retrain the head on this one");
            }
            SentenceEmbedder embedder = new SentenceEmbedder(folder, device, 64, base.maxTokens());
            String label = "encoder " + base.name();
            LOADS.computeIfAbsent(label + " @ " + device, x -> new AtomicInteger()).incrementAndGet();
            LOG.info("loaded {} on {} in {} ms (cached for this executor)", label, device,
                    (System.nanoTime() - start) / 1_000_000);
            ExecutorReports.send();
            return embedder;
        });
    }

    /**
     * @param source a head version (its spec's encoder is of kind {@value EmbeddingHead#KIND})
     * @return its weights, read once per JVM
     */
    public static EmbeddingHead head(ModelSource source) {
        return HEADS.computeIfAbsent(source.fingerprint(), k -> {
            Path local = materialize(source);
            try (var in = Files.newInputStream(local.resolve(EmbeddingHead.PARAMS_FILE))) {
                EmbeddingHead head = EmbeddingHead.read(in, source.uri());
                LOADS.computeIfAbsent(source.label() + " @ cpu", x -> new AtomicInteger()).incrementAndGet();
                return head;
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot read the head " + source + ": " + e.getMessage()
                        + ". The version is incomplete; retrain it", e);
            }
        });
    }

    /** @return loads so far in this JVM per model label and device */
    public static Map<String, Integer> loads() {
        Map<String, Integer> out = new TreeMap<>();
        LOADS.forEach((k, v) -> out.put(k, v.get()));
        return out;
    }

    /** Closes and forgets every loaded model (native memory is freed). */
    public static synchronized void closeAll() {
        for (Map.Entry<String, ClassifierModel> e : MODELS.entrySet()) {
            try {
                e.getValue().close();
            } catch (RuntimeException ex) {
                LOG.warn("Could not close model {}: {}", e.getKey(), ex.getMessage());
            }
        }
        MODELS.clear();
        for (Map.Entry<String, SentenceEmbedder> e : ENCODERS.entrySet()) {
            try {
                e.getValue().close();
            } catch (RuntimeException ex) {
                LOG.warn("Could not close encoder {}: {}", e.getKey(), ex.getMessage());
            }
        }
        ENCODERS.clear();
        HEADS.clear();
    }

    /** Copies the version's files into the local cache unless a complete copy is there already. */
    static Path materialize(ModelSource source) {
        Path base = Path.of(System.getProperty(CACHE_DIR, System.getProperty("java.io.tmpdir")), "cxml-models");
        Path target = base.resolve(source.fingerprint());
        if (Files.exists(target.resolve(COMPLETE))) {
            return target;
        }
        Path staging = base.resolve(source.fingerprint() + ".tmp-" + UUID.randomUUID());
        try {
            Files.createDirectories(staging);
            org.apache.hadoop.fs.Path dir = new org.apache.hadoop.fs.Path(source.uri());
            FileSystem fs = dir.getFileSystem(source.hadoop());
            for (FileStatus f : fs.listStatus(dir)) {
                if (f.isFile()) {
                    fs.copyToLocalFile(false, f.getPath(),
                            new org.apache.hadoop.fs.Path(staging.resolve(f.getPath().getName()).toUri()), true);
                }
            }
            Files.createFile(staging.resolve(COMPLETE));
            try {
                Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException raced) {
                if (!Files.exists(target.resolve(COMPLETE))) {
                    throw raced;
                }
                deleteQuietly(staging); // another JVM on this host copied it first
            }
            return target;
        } catch (IOException e) {
            deleteQuietly(staging);
            throw new UncheckedIOException("Cannot copy model " + source + " to " + base + ": " + e.getMessage()
                    + ". Check the executor's access to the registry and free space under " + base, e);
        }
    }

    private static void deleteQuietly(Path dir) {
        try (var walk = Files.walk(dir)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException | UncheckedIOException ignored) {
            // best effort: a leftover staging folder is never read
        }
    }
}
