package io.cxml.features;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.cxml.features.view.FeatureViewDefinition;
import io.cxml.storage.StorageLayout;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.types.StructField;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The machine-readable registry of feature views and their versions, {@code features/_registry.json}, stored beside
 * the data. A view's version is derived from its definition's fingerprint: the same fingerprint maps to the same
 * version forever, a new fingerprint gets {@code v(N+1)} and its own folder, so a changed definition never overwrites
 * data written by an older one. Training sets record the versions they read from here.
 *
 * <p>The file is rewritten whole through a temporary file and a rename. One writer at a time (the {@code features
 * build} job); readers may run concurrently.
 */
public final class FeatureRegistry {
    private static final Logger LOG = LoggerFactory.getLogger(FeatureRegistry.class);
    /** Format version of the registry file. */
    public static final int FORMAT = 1;

    static final ObjectMapper JSON = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(SerializationFeature.INDENT_OUTPUT);

    private final StorageLayout layout;
    private final Configuration hadoop;

    /**
     * @param layout storage layout
     * @param hadoop Hadoop configuration (from the session, so S3A settings apply)
     */
    public FeatureRegistry(StorageLayout layout, Configuration hadoop) {
        this.layout = layout;
        this.hadoop = hadoop;
    }

    /** The registry file. */
    @JsonPropertyOrder({"format", "views"})
    public static final class Document {
        public int format = FORMAT;
        /** Views by name. */
        public Map<String, ViewEntry> views = new TreeMap<>();
    }

    /** One view: its versions, oldest first. */
    public static final class ViewEntry {
        public List<VersionEntry> versions = new ArrayList<>();

        /** @return the newest version, if any */
        public Optional<VersionEntry> latest() {
            return versions.isEmpty() ? Optional.empty() : Optional.of(versions.get(versions.size() - 1));
        }
    }

    /** One version of a view: its definition and what has been materialized. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"version", "fingerprint", "path", "entityKey", "eventTimeColumn", "columns", "logicVersion",
        "ttlSeconds", "owner", "description", "registeredAt", "materializedFrom", "materializedTo", "lastBuildRunId",
        "lastBuiltAt"})
    public static final class VersionEntry {
        public int version;
        public String fingerprint;
        /** Path relative to the storage root. */
        public String path;
        public String entityKey;
        public String eventTimeColumn;
        /** Feature column name to Spark SQL type. */
        public Map<String, String> columns = new LinkedHashMap<>();
        public String logicVersion;
        public long ttlSeconds;
        public String owner;
        public String description;
        public Instant registeredAt;
        /** First event date materialized (inclusive). */
        public String materializedFrom;
        /** Last event date materialized (inclusive). */
        public String materializedTo;
        public String lastBuildRunId;
        public Instant lastBuiltAt;
    }

    /** @return the registry, empty when none has been written */
    public Document read() {
        Path file = new Path(layout.featureRegistry());
        try {
            FileSystem fs = file.getFileSystem(hadoop);
            if (!fs.exists(file)) {
                return new Document();
            }
            try (InputStream in = fs.open(file)) {
                Document doc = JSON.readValue(in, Document.class);
                if (doc.format != FORMAT) {
                    throw new IllegalStateException("Cannot read feature registry " + file + ": format "
                            + doc.format + " is not " + FORMAT + ". Upgrade cxml");
                }
                return doc;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read feature registry " + file + ": " + e.getMessage()
                    + ". Fix or remove the file", e);
        }
    }

    /**
     * Returns the version of a definition, registering a new one when its fingerprint is new. Owner, description and
     * TTL do not change the data: they are updated in place.
     *
     * @param definition a view definition
     * @return its version entry
     */
    public VersionEntry register(FeatureViewDefinition definition) {
        Document doc = read();
        ViewEntry view = doc.views.computeIfAbsent(definition.name(), k -> new ViewEntry());
        String fingerprint = definition.fingerprint();
        for (VersionEntry v : view.versions) {
            if (v.fingerprint.equals(fingerprint)) {
                if (describe(v, definition)) {
                    write(doc);
                }
                return v;
            }
        }
        VersionEntry v = new VersionEntry();
        v.version = view.versions.stream().mapToInt(e -> e.version).max().orElse(0) + 1;
        v.fingerprint = fingerprint;
        v.path = relative(layout.features(definition.name(), v.version));
        v.entityKey = definition.entityKey();
        v.eventTimeColumn = definition.eventTimeColumn();
        for (StructField f : definition.features().fields()) {
            v.columns.put(f.name(), f.dataType().catalogString());
        }
        v.logicVersion = definition.logicVersion();
        v.registeredAt = Instant.now();
        describe(v, definition);
        view.versions.add(v);
        write(doc);
        LOG.info("Registered feature view {} v{} (fingerprint {})", definition.name(), v.version, fingerprint);
        return v;
    }

    /**
     * Records a successful build of a window.
     *
     * @param view view name
     * @param version version built
     * @param from first event date built
     * @param to last event date built
     * @param runId the build's run id
     */
    public void recordBuild(String view, int version, LocalDate from, LocalDate to, String runId) {
        Document doc = read();
        VersionEntry v = find(doc, view, version);
        if (v.materializedFrom == null || from.toString().compareTo(v.materializedFrom) < 0) {
            v.materializedFrom = from.toString();
        }
        if (v.materializedTo == null || to.toString().compareTo(v.materializedTo) > 0) {
            v.materializedTo = to.toString();
        }
        v.lastBuildRunId = runId;
        v.lastBuiltAt = Instant.now();
        write(doc);
    }

    /**
     * @param view view name
     * @return its newest version
     */
    public VersionEntry latest(String view) {
        ViewEntry entry = read().views.get(view);
        if (entry == null || entry.versions.isEmpty()) {
            throw new IllegalArgumentException("Cannot find feature view '" + view + "' in "
                    + layout.featureRegistry() + ": it was never built. Run bin/cxml features build first");
        }
        return entry.latest().orElseThrow();
    }

    /**
     * @param view view name
     * @param version a version
     * @return that version
     */
    public VersionEntry version(String view, int version) {
        return find(read(), view, version);
    }

    /**
     * @param entry a version entry
     * @return the absolute path of its data
     */
    public String pathOf(VersionEntry entry) {
        return layout.resolve(entry.path);
    }

    private VersionEntry find(Document doc, String view, int version) {
        ViewEntry entry = doc.views.get(view);
        if (entry != null) {
            for (VersionEntry v : entry.versions) {
                if (v.version == version) {
                    return v;
                }
            }
        }
        throw new IllegalArgumentException("Cannot find feature view " + view + " v" + version + " in "
                + layout.featureRegistry() + ". Run bin/cxml features list to see the versions");
    }

    /**
     * @param definition a view definition
     * @return the registered version with its fingerprint, if any (nothing is registered)
     */
    public Optional<VersionEntry> find(FeatureViewDefinition definition) {
        ViewEntry entry = read().views.get(definition.name());
        if (entry == null) {
            return Optional.empty();
        }
        return entry.versions.stream().filter(v -> definition.fingerprint().equals(v.fingerprint)).findFirst();
    }

    private static boolean describe(VersionEntry v, FeatureViewDefinition d) {
        boolean changed = !d.owner().equals(v.owner) || !d.description().equals(v.description)
                || d.ttl().toSeconds() != v.ttlSeconds;
        v.owner = d.owner();
        v.description = d.description();
        v.ttlSeconds = d.ttl().toSeconds();
        return changed;
    }

    private String relative(String absolute) {
        return absolute.substring(layout.root().length() + 1);
    }

    private void write(Document doc) {
        Path target = new Path(layout.featureRegistry());
        Path temp = new Path(target.getParent(), "_registry.json." + Long.toHexString(System.nanoTime()) + ".tmp");
        try {
            FileSystem fs = target.getFileSystem(hadoop);
            try (OutputStream out = fs.create(temp, true)) {
                out.write(JSON.writeValueAsString(doc).getBytes(StandardCharsets.UTF_8));
            }
            if (fs.exists(target) && !fs.delete(target, false)) {
                throw new IOException("could not replace " + target);
            }
            if (!fs.rename(temp, target)) {
                throw new IOException("rename " + temp + " -> " + target + " returned false");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write feature registry " + target + ": " + e.getMessage(), e);
        }
    }
}
