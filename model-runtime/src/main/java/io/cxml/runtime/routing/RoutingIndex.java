package io.cxml.runtime.routing;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * {@value #FILE}: what one routing version holds. Every tenant model lives in one of a few packed artifacts
 * ({@code tenants-*.bin}, one per training task) at an offset; the index says where, with the tenant's teams and
 * training facts, so loading one tenant reads only its bytes. Small tenants (below the history threshold) have no
 * model of their own: they use the global model, restricted to their teams.
 */
@JsonPropertyOrder({"format", "features", "options", "global", "tenants", "fallback", "artifacts"})
public final class RoutingIndex {
    /** Index file name inside the version's model directory. */
    public static final String FILE = "routing-index.json";
    /** Artifact of the global model. */
    public static final String GLOBAL_ARTIFACT = "global.bin";
    /** Format version of the index and artifacts. */
    public static final int FORMAT = 1;
    public static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    public int format = FORMAT;
    public RoutingFeatures features;
    public RoutingTrainingOptions options;
    public Entry global;
    /** Tenant -> its own model. */
    public Map<String, Entry> tenants = new TreeMap<>();
    /** Tenant -> teams and history of a tenant routed by the global model. */
    public Map<String, Fallback> fallback = new TreeMap<>();
    public List<String> artifacts = new ArrayList<>();

    /**
     * Where one model is.
     *
     * @param artifact file name in the model directory
     * @param offset byte offset
     * @param length byte length
     * @param teams the model's teams (the teams seen in the tenant's recent window)
     * @param examples training examples
     * @param mostFrequentTeam the most frequent team of those examples (the simple baseline)
     */
    public record Entry(String artifact, long offset, int length, List<String> teams, int examples,
            String mostFrequentTeam) {}

    /**
     * A tenant without a model of its own.
     *
     * @param teams teams seen in its recent window (the global model is restricted to them)
     * @param examples its training examples
     * @param mostFrequentTeam its most frequent team
     */
    public record Fallback(List<String> teams, int examples, String mostFrequentTeam) {}

    /**
     * @param modelUri the version's model directory
     * @param hadoop Hadoop configuration
     * @return the index
     */
    public static RoutingIndex read(String modelUri, Configuration hadoop) {
        Path file = new Path(modelUri, FILE);
        try (InputStream in = file.getFileSystem(hadoop).open(file)) {
            RoutingIndex index = JSON.readValue(in, RoutingIndex.class);
            if (index.format != FORMAT) {
                throw new IllegalArgumentException("Cannot read routing index " + file + ": format " + index.format
                        + ", this cxml reads format " + FORMAT + ". Retrain routing with this version");
            }
            return index;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read routing index " + file + " (" + e.getMessage()
                    + "). Is this a routing version? List them with `cxml models list routing`", e);
        }
    }

    /**
     * @param modelUri the version's model directory
     * @param hadoop Hadoop configuration
     */
    public void write(String modelUri, Configuration hadoop) {
        Path file = new Path(modelUri, FILE);
        try {
            FileSystem fs = file.getFileSystem(hadoop);
            try (OutputStream out = fs.create(file, true)) {
                JSON.writerWithDefaultPrettyPrinter().writeValue(out, this);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write routing index " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * @param tenant a tenant
     * @return the teams its routing may predict (its model's, or its fallback's), or null for an unknown tenant
     */
    public List<String> teamsOf(String tenant) {
        Entry e = tenants.get(tenant);
        if (e != null) {
            return e.teams();
        }
        Fallback f = fallback.get(tenant);
        return f == null ? null : f.teams();
    }

    /**
     * @param tenant a tenant
     * @return its most frequent training team, or null for an unknown tenant
     */
    public String mostFrequentTeam(String tenant) {
        Entry e = tenants.get(tenant);
        if (e != null) {
            return e.mostFrequentTeam();
        }
        Fallback f = fallback.get(tenant);
        return f == null ? null : f.mostFrequentTeam();
    }
}
