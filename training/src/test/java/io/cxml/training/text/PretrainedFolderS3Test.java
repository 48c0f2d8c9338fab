package io.cxml.training.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import io.cxml.runtime.executor.DevicePreference;
import io.cxml.runtime.model.Prediction;
import io.cxml.runtime.model.TextClassifier;
import io.cxml.runtime.text.pretrained.PretrainedFolder;
import io.cxml.runtime.text.pretrained.SentenceEmbedder;
import io.cxml.runtime.text.pretrained.TestEncoders;
import io.cxml.testing.S3TestServer;
import io.cxml.training.TestData;
import io.cxml.training.data.LabelledText;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Hugging Face encoder folder on {@code s3a://}, read through the real hadoop-aws S3A client from s3proxy on
 * 127.0.0.1 (the shared one under CI, else an own child process): it embeds and fine-tunes exactly as the same folder
 * on local disk, a missing file is named, and a folder rewritten at the same URI is copied again.
 */
class PretrainedFolderS3Test {
    private static final List<String> FILES = List.of(PretrainedFolder.CONFIG, PretrainedFolder.TOKENIZER,
            PretrainedFolder.WEIGHTS, PretrainedFolder.MODULES, "1_Pooling/config.json");
    private static final List<String> SENTENCES = List.of("my card payment was declined", "",
            "Wie lange dauert eine Überweisung?", "je n'ai pas reçu mon virement", "カードが届きません",
            "¿puedo cambiar mi PIN en el cajero?", "😀 top up failed again!!");

    private static String bucket;
    private static Map<String, String> hadoop;
    private static final List<Path> caches = new ArrayList<>();

    @TempDir
    Path dir;

    @BeforeAll
    static void server() {
        S3TestServer s3 = S3TestServer.shared();
        bucket = "cxml-encoders-" + UUID.randomUUID().toString().substring(0, 8);
        s3.createBucket(bucket);
        hadoop = s3.settings(bucket).hadoopOptions();
    }

    @AfterAll
    static void dropLocalCopies() throws IOException {
        for (Path cache : caches) {
            if (Files.isDirectory(cache)) {
                try (Stream<Path> files = Files.walk(cache)) {
                    for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                        Files.delete(p);
                    }
                }
            }
        }
    }

    /** Uploads the given files of a local folder under s3a://bucket/prefix/ and returns that URI. */
    private static String upload(Path from, String prefix, List<String> files) throws IOException {
        String uri = "s3a://" + bucket + "/" + prefix;
        Configuration conf = new Configuration();
        hadoop.forEach(conf::set);
        FileSystem fs = new org.apache.hadoop.fs.Path(uri).getFileSystem(conf);
        for (String file : files) {
            fs.copyFromLocalFile(false, true, new org.apache.hadoop.fs.Path(from.resolve(file).toUri()),
                    new org.apache.hadoop.fs.Path(uri + "/" + file));
        }
        return uri;
    }

    private static PretrainedFolder localize(String uri) {
        PretrainedFolder folder = PretrainedFolder.localize(uri, hadoop);
        caches.add(folder.dir());
        return folder;
    }

    /** Localizes a folder that must fail, dropping the partial local copy it leaves. */
    private static IllegalArgumentException localizeFails(String uri) throws IOException {
        Path root = Path.of(System.getProperty("java.io.tmpdir"), "cxml-encoders");
        List<Path> before = copies(root);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PretrainedFolder.localize(uri, hadoop));
        copies(root).stream().filter(p -> !before.contains(p)).forEach(caches::add);
        return e;
    }

    private static List<Path> copies(Path root) throws IOException {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> dirs = Files.list(root)) {
            return dirs.toList();
        }
    }

    @Test
    void anS3aFolderEmbedsAsTheLocalFolder() throws Exception {
        Path local = TestEncoders.tinyXlmr();
        String uri = upload(local, "tiny-xlmr", FILES);
        PretrainedFolder remote = localize(uri);
        PretrainedFolder same = PretrainedFolder.open(local);
        assertEquals(uri, remote.location());
        assertTrue(remote.dir().startsWith(Path.of(System.getProperty("java.io.tmpdir"), "cxml-encoders")),
                "copied into the local cache: " + remote.dir());
        assertEquals(same.checksum(), remote.checksum());
        assertEquals(same.config().pooling(), remote.config().pooling(), "1_Pooling/config.json came along");
        assertEquals(same.maxSeqLength(), remote.maxSeqLength());
        try (SentenceEmbedder a = new SentenceEmbedder(remote, Device.cpu(), 4);
                SentenceEmbedder b = new SentenceEmbedder(same, Device.cpu(), 4)) {
            float[][] got = a.embed(SENTENCES);
            float[][] want = b.embed(SENTENCES);
            for (int i = 0; i < SENTENCES.size(); i++) {
                assertArrayEquals(want[i], got[i], 1e-6f, "sentence " + i);
            }
        }
        assertEquals(remote.dir(), localize(uri).dir(), "a second open reuses the copy");
    }

    @Test
    void aSeededFineTuneFromS3aPredictsAsFromTheLocalFolder() throws Exception {
        Path local = TestEncoders.tinyXlmr();
        String uri = upload(local, "tiny-xlmr-finetune", FILES);
        List<LabelledText> all = TestData.banking77(4, 16);
        List<LabelledText> train = new ArrayList<>();
        List<LabelledText> validation = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
            (i % 4 == 0 ? validation : train).add(all.get(i));
        }
        List<String> labels = all.stream().map(LabelledText::label).distinct().sorted().toList();
        List<String> texts = validation.stream().map(LabelledText::text).toList();
        List<List<Prediction>> predictions = new ArrayList<>();
        for (String path : List.of(uri, local.toString())) {
            TrainingOptions options = TrainingOptions.builder().optSeed(11).optPatience(10)
                    .optDevice(DevicePreference.CPU)
                    .optPretrained(FineTuneOptions.builder().setPath(path).setMaxSeqLength(32).setEpochs(2)
                            .setBatchSize(8).setLearningRate(3e-3f).setWarmupFraction(0.1f).setWeightDecay(0.01f)
                            .setClipNorm(1.0f).setFrozenLayers(0).build())
                    .build();
            Path model = dir.resolve(path.startsWith("s3a:") ? "from-s3a" : "from-local");
            PretrainedFineTuner.train(train, validation, labels, options, Device.cpu(), model, hadoop);
            if (path.startsWith("s3a:")) {
                localize(path); // the fine-tuner's copy (same key), dropped after the tests
            }
            try (TextClassifier classifier = TextClassifier.load(model, Device.cpu(), 2)) {
                assertEquals(path, classifier.spec().encoder().params().get("baseLocation"));
                predictions.add(classifier.predict(texts));
            }
        }
        for (int i = 0; i < texts.size(); i++) {
            Prediction s3a = predictions.get(0).get(i);
            Prediction file = predictions.get(1).get(i);
            assertEquals(file.label(), s3a.label(), "text " + i);
            assertArrayEquals(file.probabilities(), s3a.probabilities(), 1e-6f, "text " + i);
        }
    }

    @Test
    void anS3aFolderWithoutWeightsFailsNamingTheFile() throws Exception {
        String uri = upload(TestEncoders.tinyXlmr(), "no-weights",
                List.of(PretrainedFolder.CONFIG, PretrainedFolder.TOKENIZER));
        IllegalArgumentException e = localizeFails(uri);
        assertTrue(e.getMessage().contains(uri) && e.getMessage().contains("model.safetensors is missing"),
                e.getMessage());
    }

    @Test
    void aFolderRewrittenAtTheSameUriIsCopiedAgain() throws Exception {
        Path local = TestEncoders.tinyXlmr();
        String uri = upload(local, "rewritten", FILES);
        PretrainedFolder before = localize(uri);
        // The same URI now holds another config.json of the same length (so the length alone cannot tell).
        Path other = dir.resolve("other");
        for (String file : FILES) {
            Files.createDirectories(other.resolve(file).getParent());
            Files.copy(local.resolve(file), other.resolve(file));
        }
        String config = Files.readString(local.resolve(PretrainedFolder.CONFIG));
        Files.writeString(other.resolve(PretrainedFolder.CONFIG), config.replace("\"initializer_range\": 0.02",
                "\"initializer_range\": 0.03"));
        assertEquals(Files.size(local.resolve(PretrainedFolder.CONFIG)), Files.size(other.resolve(
                PretrainedFolder.CONFIG)));
        upload(other, "rewritten", List.of(PretrainedFolder.CONFIG));
        PretrainedFolder after = localize(uri);
        assertNotEquals(before.checksum(), after.checksum(), "the rewritten config.json was copied");
        assertEquals(PretrainedFolder.open(other).checksum(), after.checksum());

        // Then the weights are deleted remotely: the earlier copy must not hide that.
        Configuration conf = new Configuration();
        hadoop.forEach(conf::set);
        org.apache.hadoop.fs.Path weights = new org.apache.hadoop.fs.Path(uri + "/" + PretrainedFolder.WEIGHTS);
        weights.getFileSystem(conf).delete(weights, false);
        IllegalArgumentException e = localizeFails(uri);
        assertTrue(e.getMessage().contains("model.safetensors is missing"), e.getMessage());
    }
}
