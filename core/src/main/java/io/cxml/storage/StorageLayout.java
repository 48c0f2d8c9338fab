package io.cxml.storage;

import java.io.Serializable;
import java.net.URI;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Where each dataset lives under the storage root. The root is a local directory (resolved against the current
 * directory when relative) or any Hadoop URI such as {@code s3a://bucket/cxml}; every dataset path is derived here, so
 * no other class concatenates storage paths.
 */
public final class StorageLayout implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String root;

    private StorageLayout(String root) {
        this.root = root;
    }

    /**
     * Creates the layout for a root.
     *
     * @param root a local path (absolute or relative to the current directory) or a URI with a scheme
     * @return the layout
     */
    public static StorageLayout of(String root) {
        Objects.requireNonNull(root, "root");
        String trimmed = root.trim();
        if (trimmed.isEmpty()) {
            throw new IllegalArgumentException(
                    "Cannot use an empty storage root: set cxml.storage.root to a directory or an s3a:// URI");
        }
        return new StorageLayout(normalize(trimmed));
    }

    private static String normalize(String root) {
        String stripped = root.endsWith("/") && root.length() > 1 ? root.substring(0, root.length() - 1) : root;
        if (hasScheme(stripped)) {
            return stripped;
        }
        return Path.of(stripped).toAbsolutePath().normalize().toUri().toString().replaceAll("/$", "");
    }

    private static boolean hasScheme(String path) {
        int colon = path.indexOf(':');
        // "C:" style drive letters are not schemes; every Hadoop scheme is at least two letters.
        return colon > 1 && URI.create(path.replace(" ", "%20")).getScheme() != null;
    }

    /** @return the root URI, without a trailing slash */
    public String root() {
        return root;
    }

    /** @return true when the root is on the local file system */
    public boolean isLocal() {
        return root.startsWith("file:");
    }

    /**
     * Resolves a path relative to the root.
     *
     * @param relative a relative path such as {@code curated/interactions}
     * @return the absolute URI string
     */
    public String resolve(String relative) {
        return root + "/" + relative;
    }

    /**
     * Resolves a path a user gave on the command line: absolute paths and URIs stay as they are, relative paths are
     * taken under the storage root (e.g. {@code training-sets/intent}).
     *
     * @param path the user's path
     * @return the path to use
     */
    public String resolveUserPath(String path) {
        boolean absolute = path.startsWith("/") || path.matches("^[a-zA-Z][a-zA-Z0-9+.-]+:.*");
        return absolute ? path : resolve(path);
    }

    /** @return the raw interaction export, partitioned by {@code dt} */
    public String rawInteractions() {
        return resolve("raw/interactions");
    }

    /** @return the Zendesk incremental export (API pages and JSON lines), partitioned by {@code dt} */
    public String rawZendesk() {
        return resolve("raw/zendesk");
    }

    /** @return the curated interactions table */
    public String curatedInteractions() {
        return resolve("curated/interactions");
    }

    /**
     * @param dataset the dataset whose rejects are kept
     * @return the quarantine of a dataset
     */
    public String quarantine(String dataset) {
        return resolve("quarantine/" + dataset);
    }

    /**
     * @param job the job name
     * @return the folder of a job's run records
     */
    public String runs(String job) {
        return resolve("runs/" + job);
    }

    /** @return the feature store's root folder, holding one folder per view and the registry */
    public String featuresRoot() {
        return resolve("features");
    }

    /**
     * @param view a feature view's name
     * @param version its version, from 1
     * @return the offline store of one version of a view, partitioned by {@code dt}
     */
    public String features(String view, int version) {
        if (version < 1) {
            throw new IllegalArgumentException(
                    "Cannot locate feature view " + view + " v" + version + ": versions start at 1");
        }
        return resolve("features/" + view + "/v" + version);
    }

    /** @return the machine-readable registry of feature views and versions */
    public String featureRegistry() {
        return resolve("features/_registry.json");
    }

    /**
     * @param name a model name such as {@code intent}
     * @return the registry folder of a model: {@code models/<name>} (versions and aliases below it)
     */
    public String models(String name) {
        return resolve("models/" + name);
    }

    /**
     * Datasets computed from the raw export: what must go when the export is replaced by a different one (a new
     * sample). Add every new derived dataset here.
     *
     * @return their paths
     */
    public java.util.List<String> derivedFromRaw() {
        return java.util.List.of(curatedInteractions(), quarantine("interactions"), featuresRoot());
    }

    @Override
    public String toString() {
        return root;
    }
}
