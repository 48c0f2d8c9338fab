package io.cxml.runtime.embedding;

import io.cxml.runtime.text.pretrained.PretrainedFolder;
import io.cxml.runtime.text.pretrained.SafeTensors;
import java.io.Serializable;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The frozen pretrained encoder whose sentence embeddings a job stores and its heads read: where the Hugging Face
 * folder is (local path or {@code s3a://}, readable by every executor), the SHA-256 of its files (the base model's
 * identity: a head only scores vectors of the encoder it was trained on, and the {@code ticket_embedding} view gets a
 * new version per encoder), and the most tokens embedded per text (longer texts are truncated, and counted).
 * Opened on the driver, which checks the folder before Spark reads any data; small and serializable.
 *
 * @param location the folder
 * @param name the model's name ({@code _name_or_path}, else the folder name)
 * @param checksum SHA-256 of the folder's files ({@link PretrainedFolder#checksum})
 * @param maxTokens most tokens per text, special tokens included
 */
public record BaseEncoder(String location, String name, String checksum, int maxTokens) implements Serializable {
    private static final Map<String, String> CHECKSUMS = new ConcurrentHashMap<>();

    /** Validates. */
    public BaseEncoder {
        Objects.requireNonNull(location, "location");
        Objects.requireNonNull(checksum, "checksum");
        if (maxTokens < 2) {
            throw new IllegalArgumentException("Cannot embed at most " + maxTokens + " tokens per text: need at least"
                    + " 2 (the special tokens)");
        }
    }

    /**
     * Opens (and, when remote, copies to this machine) the folder, checks that its weights file is whole and
     * fingerprints it; the checksum of an unchanged folder is computed once per JVM.
     *
     * @param location the folder
     * @param maxTokens most tokens per text, capped by the folder's own maximum
     * @param hadoop Hadoop settings for remote folders
     * @return the encoder
     */
    public static BaseEncoder open(String location, int maxTokens, Map<String, String> hadoop) {
        PretrainedFolder folder = PretrainedFolder.localize(location, hadoop);
        String weights = folder.dir().resolve(PretrainedFolder.WEIGHTS).toString();
        java.io.File file = new java.io.File(weights);
        String key = folder.dir().toAbsolutePath() + ":" + file.length() + ":" + file.lastModified();
        String checksum = CHECKSUMS.computeIfAbsent(key, k -> {
            try {
                SafeTensors.check(folder.dir().resolve(PretrainedFolder.WEIGHTS));
            } catch (java.io.IOException e) {
                throw new IllegalArgumentException(e.getMessage() + ". The encoder folder at " + location
                        + " is incomplete or corrupt: fetch or copy it again", e);
            }
            return folder.checksum();
        });
        return new BaseEncoder(location, folder.name(), checksum, Math.min(maxTokens, folder.maxSeqLength()));
    }

    /** @return what identifies the stored vectors: the checksum's first 16 digits and the token limit */
    public String fingerprint() {
        return checksum.substring(0, Math.min(16, checksum.length())) + ";maxTokens=" + maxTokens;
    }

    /** @return the spec parameters of a head trained on this encoder */
    public Map<String, String> toParams() {
        Map<String, String> p = new TreeMap<>();
        p.put("baseLocation", location);
        p.put("baseName", name);
        p.put("baseChecksum", checksum);
        p.put("maxTokens", String.valueOf(maxTokens));
        return p;
    }

    /**
     * @param params parameters written by {@link #toParams}
     * @return the encoder they describe
     */
    public static BaseEncoder fromParams(Map<String, String> params) {
        for (String key : new String[] {"baseLocation", "baseChecksum", "maxTokens"}) {
            if (!params.containsKey(key)) {
                throw new IllegalArgumentException("Cannot read the base encoder of a head: its spec lacks '" + key
                        + "'. The version is incomplete; retrain it");
            }
        }
        return new BaseEncoder(params.get("baseLocation"), params.getOrDefault("baseName", ""),
                params.get("baseChecksum"), Integer.parseInt(params.get("maxTokens")));
    }

    /**
     * @param otherLocation where the same encoder is found now (e.g. another cluster's copy)
     * @return this encoder at that location (the checksum still has to match when it loads)
     */
    public BaseEncoder at(String otherLocation) {
        return new BaseEncoder(otherLocation, name, checksum, maxTokens);
    }

    /**
     * @return the column its vectors go to in a pipeline, so that every head on this encoder (and token limit) and
     *     routing's projection find them
     */
    public String column() {
        return EmbeddingStore.EMBEDDING + "_" + checksum.substring(0, Math.min(12, checksum.length())) + "_"
                + maxTokens;
    }

    @Override
    public String toString() {
        return name + " (" + location + ", sha256 " + checksum.substring(0, Math.min(12, checksum.length()))
                + ", " + maxTokens + " tokens)";
    }
}
