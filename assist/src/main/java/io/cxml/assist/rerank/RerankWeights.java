package io.cxml.assist.rerank;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Weights of the re-ranking score ({@link Reranker}): the cosine counts 1, each feature its weight. Kept as
 * {@code assist/rerank/weights-v<N>.json} under the storage root, one file per fit, the highest N in use;
 * {@link #IDENTITY} (all zero: pure similarity) when none was fitted.
 *
 * @param version {@code rerank@vN}, or {@code identity}
 * @param csat tickets: weight of the neighbour's CSAT, (csat - 3) / 2 in -1..1, 0 when unrated
 * @param reopened tickets: weight of "the neighbour was reopened" (1 or 0)
 * @param recency tickets: weight of exp(-age / 30 days), age = the query's creation - the neighbour's solve
 * @param freshness articles: weight of exp(-age / 90 days), age = the query's creation - the version's publication
 */
public record RerankWeights(String version, double csat, double reopened, double recency, double freshness) {
    /** Folder under the storage root. */
    public static final String PATH = "assist/rerank";
    /** Pure similarity: what the search found, in its order. */
    public static final RerankWeights IDENTITY = new RerankWeights("identity", 0, 0, 0, 0);
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final String PREFIX = "weights-v";

    /** @return the weights by name, as written to files and run records */
    public Map<String, Double> asMap() {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("csat", csat);
        m.put("reopened", reopened);
        m.put("recency", recency);
        m.put("freshness", freshness);
        return m;
    }

    /** @return these weights with another version label */
    RerankWeights withVersion(String label) {
        return new RerankWeights(label, csat, reopened, recency, freshness);
    }

    /**
     * @param dir the weights folder ({@link #PATH} resolved)
     * @param hadoop the Hadoop configuration
     * @return the latest fitted weights, or {@link #IDENTITY} when none were fitted
     */
    public static RerankWeights latest(String dir, Configuration hadoop) {
        return latestVersion(dir, hadoop).map(v -> read(new Path(dir, PREFIX + v + ".json"), hadoop))
                .orElse(IDENTITY);
    }

    /**
     * Writes the next version.
     *
     * @param dir the weights folder
     * @param hadoop the Hadoop configuration
     * @param fitted the weights (their version is replaced)
     * @param provenance what they were fitted on (window, relevance source, objective), written beside them
     * @return the weights with their new version label
     */
    public static RerankWeights saveNext(String dir, Configuration hadoop, RerankWeights fitted,
            Map<String, Object> provenance) {
        int next = latestVersion(dir, hadoop).orElse(0) + 1;
        RerankWeights saved = fitted.withVersion("rerank@v" + next);
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("version", saved.version());
        doc.put("weights", saved.asMap());
        doc.putAll(provenance);
        Path target = new Path(dir, PREFIX + next + ".json");
        try (OutputStream out = target.getFileSystem(hadoop).create(target, false)) {
            JSON.writeValue(out, doc);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + target, e);
        }
        return saved;
    }

    private static Optional<Integer> latestVersion(String dir, Configuration hadoop) {
        Path folder = new Path(dir);
        try {
            FileSystem fs = folder.getFileSystem(hadoop);
            if (!fs.exists(folder)) {
                return Optional.empty();
            }
            int best = 0;
            for (FileStatus f : fs.listStatus(folder)) {
                String name = f.getPath().getName();
                if (name.startsWith(PREFIX) && name.endsWith(".json")) {
                    best = Math.max(best, Integer.parseInt(name.substring(PREFIX.length(), name.length() - 5)));
                }
            }
            return best == 0 ? Optional.empty() : Optional.of(best);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list " + folder, e);
        } catch (NumberFormatException e) {
            throw new IllegalStateException("Cannot read the re-ranking weights in " + folder + ": a file named "
                    + PREFIX + "<N>.json has no number; remove or rename it", e);
        }
    }

    private static RerankWeights read(Path file, Configuration hadoop) {
        try (InputStream in = file.getFileSystem(hadoop).open(file)) {
            var doc = JSON.readTree(in);
            var w = doc.path("weights");
            for (String name : IDENTITY.asMap().keySet()) {
                if (!w.path(name).isNumber()) {
                    throw new IllegalStateException("Cannot read the re-ranking weights " + file + ": weights."
                            + name + " is missing or not a number; re-run `cxml fit-rerank`");
                }
            }
            return new RerankWeights(doc.path("version").asText(), w.get("csat").asDouble(),
                    w.get("reopened").asDouble(), w.get("recency").asDouble(), w.get("freshness").asDouble());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file, e);
        }
    }
}
