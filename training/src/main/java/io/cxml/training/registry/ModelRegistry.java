package io.cxml.training.registry;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.cxml.storage.StorageLayout;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The model registry under {@code <root>/models/<name>/}: one folder per version ({@code v1, v2, ...}) holding
 * {@value #CLAIM} (who allocated it), {@value #MODEL_DIR}/ (model files), {@value #REPORT_DIR}/ (metrics.json,
 * report.html, PNGs) and {@value #MANIFEST} written last (a version without a manifest is invisible), plus the alias
 * history {@value #ALIAS_HISTORY}/ (one immutable, numbered {@link AliasChange} per promote, rollback or challenger
 * change; the highest number is the current state). Works on any Hadoop file system (local or S3A).
 *
 * <p>Concurrent writers are safe: a version is allocated by creating its claim file exclusively
 * ({@link ExclusiveCreate}), and an alias change by creating the next history entry exclusively, re-reading and
 * re-applying the change when another writer took that number first. Readers never see a half-written file.
 */
public final class ModelRegistry {
    /** Manifest file name. */
    public static final String MANIFEST = "model.json";
    /** The alias file of registries written before the alias history; read when there is no history yet. */
    public static final String LEGACY_ALIASES = "aliases.json";
    /** Folder of the alias history. */
    public static final String ALIAS_HISTORY = "aliases";
    /** File that allocates a version folder to one training run. */
    public static final String CLAIM = "claim.json";
    /** How often an alias change is re-applied when other writers keep taking the next number first. */
    static final int MAX_ALIAS_ATTEMPTS = 100;
    /** Folder of the model files inside a version. */
    public static final String MODEL_DIR = "model";
    /** Folder of the evaluation report inside a version. */
    public static final String REPORT_DIR = "report";
    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS).enable(SerializationFeature.INDENT_OUTPUT);

    private final StorageLayout layout;
    private final Configuration hadoop;

    /**
     * @param layout the storage layout
     * @param hadoop Hadoop configuration (S3A settings)
     */
    public ModelRegistry(StorageLayout layout, Configuration hadoop) {
        this.layout = layout;
        this.hadoop = hadoop;
    }

    /** @return the storage layout the registry lives in */
    public StorageLayout layout() {
        return layout;
    }

    /**
     * Allocates a new version to the caller: the lowest {@code v<n>} above every existing folder whose claim file
     * this call creates (exclusively, so concurrent trainings get distinct versions). Folders without a manifest
     * count, so a failed or running training keeps its number.
     *
     * @param name model name
     * @param owner who allocates it (a run id), recorded in the claim
     * @return the allocated version
     */
    public String allocateVersion(String name, String owner) {
        int next = 1;
        for (String v : versionFolders(name)) {
            next = Math.max(next, Integer.parseInt(v.substring(1)) + 1);
        }
        try {
            FileSystem fs = new Path(layout.models(name)).getFileSystem(hadoop);
            while (true) {
                String version = "v" + next;
                byte[] claim = JSON.writeValueAsBytes(java.util.Map.of("version", version, "owner", owner,
                        "claimed_at", java.time.Instant.now().toString()));
                if (ExclusiveCreate.create(fs, new Path(versionUri(name, version), CLAIM), claim)) {
                    return version;
                }
                next++;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot allocate a version of model " + name + " under "
                    + layout.models(name) + ": " + e.getMessage() + ". Check that the storage root is writable", e);
        }
    }

    /**
     * @param name model name
     * @param version version
     * @return URI of the version's model folder (write model files here before {@link #publish})
     */
    public String modelUri(String name, String version) {
        return versionUri(name, version) + "/" + MODEL_DIR;
    }

    /** @return the Hadoop configuration the registry reads and writes with */
    public Configuration hadoop() {
        return hadoop;
    }

    /**
     * @param name model name
     * @param version version
     * @return URI of the version folder
     */
    public String versionUri(String name, String version) {
        return layout.models(name) + "/" + version;
    }

    /**
     * Copies the local report folder into the version and then writes the manifest, last.
     *
     * @param manifest the manifest
     * @param localReport local report folder (metrics.json, report.html, PNGs), or null
     */
    public void publish(ModelManifest manifest, java.nio.file.Path localReport) {
        try {
            Path version = new Path(versionUri(manifest.name(), manifest.version()));
            FileSystem fs = version.getFileSystem(hadoop);
            if (fs.exists(new Path(version, MANIFEST))) {
                throw new IllegalStateException("Cannot publish " + manifest.name() + "@" + manifest.version()
                        + ": it is already published. Versions are immutable; train a new version");
            }
            if (localReport != null) {
                Path report = new Path(version, REPORT_DIR);
                fs.mkdirs(report);
                try (var files = Files.list(localReport)) {
                    for (java.nio.file.Path file : files.toList()) {
                        fs.copyFromLocalFile(false, true, new Path(file.toUri()),
                                new Path(report, file.getFileName().toString()));
                    }
                }
            }
            if (!ExclusiveCreate.create(fs, new Path(version, MANIFEST), JSON.writeValueAsBytes(manifest))) {
                throw new IllegalStateException("Cannot publish " + manifest.name() + "@" + manifest.version()
                        + ": another run published it first. Versions are immutable; train a new version");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot publish " + manifest.name() + "@" + manifest.version() + ": "
                    + e.getMessage(), e);
        }
    }

    /** @return names of the models that have at least one folder */
    public List<String> models() {
        Path root = new Path(layout.resolve("models"));
        List<String> out = new ArrayList<>();
        try {
            FileSystem fs = root.getFileSystem(hadoop);
            if (fs.exists(root)) {
                for (FileStatus s : fs.listStatus(root)) {
                    if (s.isDirectory()) {
                        out.add(s.getPath().getName());
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list models under " + root + ": " + e.getMessage(), e);
        }
        out.sort(Comparator.naturalOrder());
        return out;
    }

    /**
     * @param name model name
     * @return the published versions (with a manifest), oldest first
     */
    public List<ModelManifest> versions(String name) {
        List<ModelManifest> out = new ArrayList<>();
        for (String v : versionFolders(name)) {
            readManifest(name, v).ifPresent(out::add);
        }
        return out;
    }

    /**
     * @param ref a reference
     * @return the manifest it resolves to
     */
    public ModelManifest resolve(ModelRef ref) {
        String version;
        if (ref.isVersion()) {
            version = ref.selector();
        } else if (ref.selector() != null) {
            version = aliases(ref.name()).resolve(ref.selector());
            if (version == null) {
                throw new IllegalArgumentException("Cannot resolve " + ref + ": alias '" + ref.selector()
                        + "' is not set. Run `cxml models promote " + ref.name() + "@<version>` first");
            }
        } else {
            String champion = aliases(ref.name()).champion();
            List<ModelManifest> all = versions(ref.name());
            if (champion != null) {
                version = champion;
            } else if (!all.isEmpty()) {
                version = all.get(all.size() - 1).version();
            } else {
                throw new IllegalArgumentException("Cannot resolve " + ref + ": model '" + ref.name()
                        + "' has no published version. Train one with `cxml train " + ref.name() + "`");
            }
        }
        String resolved = version;
        return readManifest(ref.name(), version).orElseThrow(() -> new IllegalArgumentException(
                "Cannot resolve " + ref + ": version " + resolved + " has no " + MANIFEST
                        + " (not published or failed). See `cxml models list " + ref.name() + "`"));
    }

    /**
     * Copies a version's model folder to a local directory (to load it with DJL).
     *
     * @param manifest the version
     * @param localDir target directory (created)
     * @return the local model directory
     */
    public java.nio.file.Path fetchModel(ModelManifest manifest, java.nio.file.Path localDir) {
        return fetchModel(manifest.name(), manifest.version(), localDir);
    }

    /**
     * Copies a version's model folder (published or not yet) to a local directory.
     *
     * @param name model name
     * @param version version
     * @param localDir target directory (created)
     * @return the local model directory
     */
    public java.nio.file.Path fetchModel(String name, String version, java.nio.file.Path localDir) {
        try {
            Files.createDirectories(localDir);
            Path source = new Path(modelUri(name, version));
            FileSystem fs = source.getFileSystem(hadoop);
            for (FileStatus s : fs.listStatus(source)) {
                fs.copyToLocalFile(false, s.getPath(),
                        new Path(localDir.resolve(s.getPath().getName()).toUri()), true);
            }
            return localDir;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot fetch model " + name + "@" + version
                    + ": " + e.getMessage(), e);
        }
    }

    /**
     * Resolves a reference, copies its model files locally and loads it: the entry point for batch scoring.
     *
     * @param ref e.g. {@code intent@champion}
     * @param localDir where the model files are copied
     * @param device where to run it
     * @param topK labels per prediction
     * @return the loaded classifier (close it)
     */
    public io.cxml.runtime.model.TextClassifier load(ModelRef ref, java.nio.file.Path localDir, ai.djl.Device device,
            int topK) {
        return io.cxml.runtime.model.TextClassifier.load(fetchModel(resolve(ref), localDir), device, topK);
    }

    /**
     * @param name model name
     * @return its current aliases (none when nothing was ever promoted)
     */
    public Aliases aliases(String name) {
        return latestAliasChange(name).map(AliasChange::aliases).orElseGet(() -> legacyAliases(name));
    }

    /**
     * @param name model name
     * @return every alias change, oldest first (empty when nothing was ever promoted)
     */
    public List<AliasChange> aliasHistory(String name) {
        List<AliasChange> out = new ArrayList<>();
        for (long seq : aliasSequence(name)) {
            out.add(readAliasChange(name, seq));
        }
        return out;
    }

    /**
     * Applies a change to the current aliases and records it as the next history entry. When another writer
     * recorded a change first, the change is applied again to the newer state, so no update is lost; the function
     * may throw to refuse (e.g. a quality gate against the champion it is given).
     *
     * @param name model name
     * @param action what the change is ({@code promote}, {@code rollback}, {@code challenger})
     * @param runId the run that makes it
     * @param change from the current aliases to the new ones
     * @return the recorded change
     */
    public AliasChange updateAliases(String name, String action, String runId, UnaryOperator<Aliases> change) {
        try {
            FileSystem fs = new Path(layout.models(name)).getFileSystem(hadoop);
            for (int attempt = 0; attempt < MAX_ALIAS_ATTEMPTS; attempt++) {
                Optional<AliasChange> latest = latestAliasChange(name);
                Aliases current = latest.map(AliasChange::aliases).orElseGet(() -> legacyAliases(name));
                long seq = latest.map(AliasChange::sequence).orElse(0L) + 1;
                AliasChange next = new AliasChange(seq, action, runId, java.time.Instant.now(), change.apply(current));
                if (ExclusiveCreate.create(fs, aliasFile(name, seq), JSON.writeValueAsBytes(next))) {
                    return next;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot record the alias change of model " + name + ": " + e.getMessage()
                    + ". Check that the storage root is writable", e);
        }
        throw new IllegalStateException("Cannot record the alias change of model " + name + ": other writers took "
                + "the next entry " + MAX_ALIAS_ATTEMPTS + " times in a row. Retry the command");
    }

    private Optional<AliasChange> latestAliasChange(String name) {
        List<Long> seqs = aliasSequence(name);
        return seqs.isEmpty() ? Optional.empty() : Optional.of(readAliasChange(name, seqs.get(seqs.size() - 1)));
    }

    private Path aliasFile(String name, long seq) {
        return new Path(layout.models(name) + "/" + ALIAS_HISTORY + "/" + String.format("%012d.json", seq));
    }

    private List<Long> aliasSequence(String name) {
        Path dir = new Path(layout.models(name) + "/" + ALIAS_HISTORY);
        List<Long> out = new ArrayList<>();
        try {
            FileSystem fs = dir.getFileSystem(hadoop);
            if (!fs.exists(dir)) {
                return out;
            }
            for (FileStatus s : fs.listStatus(dir)) {
                String f = s.getPath().getName();
                if (s.isFile() && f.matches("\\d{12}\\.json")) {
                    out.add(Long.parseLong(f.substring(0, 12)));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list " + dir + ": " + e.getMessage(), e);
        }
        out.sort(Comparator.naturalOrder());
        return out;
    }

    private AliasChange readAliasChange(String name, long seq) {
        Path file = aliasFile(name, seq);
        try (InputStream in = file.getFileSystem(hadoop).open(file)) {
            return JSON.readValue(in, AliasChange.class);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private Aliases legacyAliases(String name) {
        Path file = new Path(layout.models(name) + "/" + LEGACY_ALIASES);
        try {
            FileSystem fs = file.getFileSystem(hadoop);
            if (!fs.exists(file)) {
                return Aliases.none();
            }
            try (InputStream in = fs.open(file)) {
                return JSON.readValue(in, Aliases.class);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * @param name model name
     * @param version version
     * @return its manifest, empty when the version is not published
     */
    public Optional<ModelManifest> readManifest(String name, String version) {
        Path file = new Path(versionUri(name, version) + "/" + MANIFEST);
        try {
            FileSystem fs = file.getFileSystem(hadoop);
            if (!fs.exists(file)) {
                return Optional.empty();
            }
            try (InputStream in = fs.open(file)) {
                return Optional.of(JSON.readValue(in, ModelManifest.class));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private List<String> versionFolders(String name) {
        Path dir = new Path(layout.models(name));
        List<String> out = new ArrayList<>();
        try {
            FileSystem fs = dir.getFileSystem(hadoop);
            if (!fs.exists(dir)) {
                return out;
            }
            for (FileStatus s : fs.listStatus(dir)) {
                String v = s.getPath().getName();
                if (s.isDirectory() && v.matches("v\\d+")) {
                    out.add(v);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list " + dir + ": " + e.getMessage(), e);
        }
        out.sort(Comparator.comparingInt(v -> Integer.parseInt(v.substring(1))));
        return out;
    }
}
