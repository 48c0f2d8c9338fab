package io.cxml.bench.embedding;

import ai.djl.Device;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.cxml.runtime.executor.ExecutorSettings;
import io.cxml.runtime.text.pretrained.PretrainedFolder;
import io.cxml.runtime.text.pretrained.SentenceEmbedder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Native memory of an embedding JVM as Spark uses it: batches of texts of varied length (one to five BANKING77
 * sentences joined, so batch shapes vary as tickets' do), each batch embedded on a <b>new thread</b>, as Spark's
 * executor starts task threads, through the shared {@link SentenceEmbedder}. Prints the process's resident set after
 * each batch and writes {@code bench-results/native-memory-<label>-<time>.json} with the glibc malloc variables in
 * force ({@link ExecutorSettings#MALLOC}'s keys), so runs with and without them can be compared.
 *
 * <p>Arguments: encoder folder, texts, label. System property {@code bench.data}: the datasets folder.
 */
public final class NativeMemoryBench {
    private static final int BATCH = 256;

    private NativeMemoryBench() {}

    /**
     * @param args encoder folder, number of texts, label of the run
     * @throws Exception when the encoder or the data cannot be read
     */
    public static void main(String[] args) throws Exception {
        Path folder = Path.of(args[0]);
        int texts = Integer.parseInt(args[1]);
        String label = args[2];
        List<String> sentences = new ArrayList<>();
        Path csv = Path.of(System.getProperty("bench.data", "datasets"), "banking77/banking_data/train.csv");
        for (String line : Files.readAllLines(csv, StandardCharsets.UTF_8)) {
            int comma = line.lastIndexOf(',');
            if (comma > 0 && sentences.size() < 2000 && !line.startsWith("text,")) {
                sentences.add(line.substring(0, comma).replace("\"", "")); // text,category
            }
        }
        Random random = new Random(7);
        Map<String, Object> result = new LinkedHashMap<>();
        Map<String, String> malloc = new LinkedHashMap<>();
        for (String key : ExecutorSettings.MALLOC.keySet()) {
            malloc.put(key, System.getenv(key) == null ? "(glibc default)" : System.getenv(key));
        }
        result.put("label", label);
        result.put("malloc", malloc);
        result.put("encoder", folder.getFileName().toString());
        try (SentenceEmbedder embedder = new SentenceEmbedder(PretrainedFolder.open(folder), Device.cpu(), 64, 128)) {
            long loaded = rssMb();
            result.put("rss_mb_after_load", loaded);
            List<Long> perBatch = new ArrayList<>();
            long start = System.nanoTime();
            for (int done = 0; done < texts; done += BATCH) {
                List<String> batch = new ArrayList<>();
                for (int i = 0; i < BATCH; i++) {
                    StringBuilder text = new StringBuilder();
                    for (int s = 1 + random.nextInt(5); s > 0; s--) {
                        text.append(sentences.get(random.nextInt(sentences.size()))).append(' ');
                    }
                    batch.add(text.toString());
                }
                Thread task = new Thread(() -> embedder.embedAll(batch), "bench-task-" + done);
                task.start();
                task.join();
                perBatch.add(rssMb());
                System.out.printf("%s: %d texts, %.1f texts/s, RSS %,d MB%n", label, done + BATCH,
                        (done + BATCH) / ((System.nanoTime() - start) / 1e9), perBatch.get(perBatch.size() - 1));
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            result.put("texts", perBatch.size() * BATCH);
            result.put("texts_per_s", Math.round(perBatch.size() * BATCH / seconds * 10) / 10.0);
            result.put("rss_mb_per_batch", perBatch);
            result.put("rss_mb_final", perBatch.get(perBatch.size() - 1));
            result.put("rss_mb_growth_after_load", perBatch.get(perBatch.size() - 1) - loaded);
        }
        result.put("load_average", Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
        Files.createDirectories(Path.of("bench-results"));
        Path out = Path.of("bench-results", "native-memory-" + label + "-"
                + Instant.now().toString().replace(":", "") + ".json");
        Files.writeString(out, new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(result));
        System.out.println(result);
        System.out.println("wrote " + out);
    }

    private static long rssMb() throws java.io.IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", "")) / 1024;
            }
        }
        return -1;
    }
}
