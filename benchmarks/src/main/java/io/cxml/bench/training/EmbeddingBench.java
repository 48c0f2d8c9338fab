package io.cxml.bench.training;

import ai.djl.Device;
import io.cxml.runtime.text.pretrained.PretrainedFolder;
import io.cxml.runtime.text.pretrained.SentenceEmbedder;
import io.cxml.training.data.LabelledText;
import io.cxml.training.data.PublicDatasets;
import io.cxml.training.eval.ReportWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Sentence-embedding throughput of a pretrained folder in cxml (DJL, PyTorch threads as configured): the first
 * {@code bench.rows} BANKING77 texts, batches of {@code bench.batch}, after a warm-up batch. Writes {@code
 * bench-results/embeddings-cxml.json}; {@code scripts/bench_embeddings.py} measures the Python reference on the same
 * texts and threads. Usage: {@code EmbeddingBench <folder> [dataDir]}.
 */
public final class EmbeddingBench {
    private EmbeddingBench() {}

    /**
     * @param args {@code <folder> [dataDir]}
     * @throws Exception on failure
     */
    public static void main(String[] args) throws Exception {
        Path folder = Path.of(args[0]);
        Path shared = Path.of(args.length > 1 ? args[1] : "datasets");
        int rows = Integer.getInteger("bench.rows", 1000);
        int batch = Integer.getInteger("bench.batch", 32);
        List<String> texts = PublicDatasets.banking77(shared.resolve("banking77/banking_data/train.csv")).stream()
                .limit(rows).map(LabelledText::text).toList();
        try (SentenceEmbedder embedder = new SentenceEmbedder(PretrainedFolder.open(folder), Device.cpu(), batch)) {
            embedder.embed(texts.subList(0, Math.min(batch, texts.size())));
            long start = System.nanoTime();
            embedder.embed(texts);
            double seconds = (System.nanoTime() - start) / 1e9;
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("implementation", "cxml (DJL " + ai.djl.engine.Engine.getDjlVersion() + ", PyTorch engine)");
            out.put("model", folder.toString());
            out.put("rows", texts.size());
            out.put("batch", batch);
            out.put("threads", System.getProperty("ai.djl.pytorch.num_threads", "default"));
            out.put("seconds", seconds);
            out.put("rowsPerSecond", texts.size() / seconds);
            Path results = Path.of("bench-results");
            Files.createDirectories(results);
            ReportWriter.JSON.writeValue(results.resolve("embeddings-cxml.json").toFile(), out);
            System.out.printf("cxml: %d rows in %.2f s = %.1f rows/s%n", texts.size(), seconds, texts.size() / seconds);
        }
    }
}
