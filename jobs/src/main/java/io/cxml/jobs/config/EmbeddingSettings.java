package io.cxml.jobs.config;

import io.cxml.runtime.embedding.BaseEncoder;
import io.cxml.runtime.text.pretrained.PretrainedFolder;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Embeddings area ({@code cxml.embeddings.*}): the frozen base encoder whose sentence embeddings the
 * {@code ticket_embedding} view stores and the heads read, its token limit, the rows per encoder call and the view's
 * TTL. Resolved once by {@link Settings#resolve}; the only place these keys are read. The folder is checked (files
 * present) only by the jobs that embed ({@link #requireEncoder}), before Spark starts; its checksum is computed once,
 * on first use.
 */
public final class EmbeddingSettings {
    /** Prefix of the keys. */
    public static final String EMBEDDINGS = "cxml.embeddings";
    /** The encoder folder: "" for the default one that setup fetches, "none" for no base encoder. */
    public static final String ENCODER_PATH = EMBEDDINGS + ".encoder.path";
    /** Most tokens embedded per text. */
    public static final String MAX_TOKENS = EMBEDDINGS + ".encoder.max-tokens";
    /** Rows per encoder call inside a task. */
    public static final String BATCH_SIZE = EMBEDDINGS + ".encoder.batch-size";
    /** TTL of the view. */
    public static final String TTL = EMBEDDINGS + ".ttl";
    /** The value of {@link #ENCODER_PATH} that turns the base encoder off. */
    public static final String NONE = "none";
    /** Where {@code scripts/fetch-multilingual-e5.sh} (run by {@code ./setup.sh}) puts the default encoder. */
    public static final String FETCH_COMMAND = "scripts/fetch-multilingual-e5.sh";

    private final String location;
    private final int maxTokens;
    private final int batchSize;
    private final Duration ttl;
    private volatile BaseEncoder encoder;

    private EmbeddingSettings(CxmlConfig config) {
        String path = config.getString(ENCODER_PATH).trim();
        this.location = path.isEmpty() ? defaultLocation() : NONE.equals(path.toLowerCase(Locale.ROOT)) ? null
                : path.startsWith("~/") ? Paths.get(System.getProperty("user.home"), path.substring(2)).toString()
                : path;
        this.maxTokens = config.getInt(MAX_TOKENS);
        this.batchSize = config.getInt(BATCH_SIZE);
        if (maxTokens < 2 || batchSize < 1) {
            throw new ConfigError("Cannot embed with " + MAX_TOKENS + " = " + maxTokens + " and " + BATCH_SIZE + " = "
                    + batchSize + ": use at least 2 tokens (the special tokens) and 1 row");
        }
        try {
            this.ttl = config.raw().getDuration(TTL);
        } catch (RuntimeException e) {
            throw new ConfigError("Cannot read " + TTL + ": " + e.getMessage() + ". Use a HOCON duration, e.g. 365d",
                    e);
        }
    }

    /**
     * @param config the validated config
     * @return the settings
     */
    public static EmbeddingSettings resolve(CxmlConfig config) {
        return new EmbeddingSettings(config);
    }

    /** @return the default encoder folder: {@code ${CXML_CACHE:-~/.cache/cxml}/models/multilingual-e5-small-q4} */
    static String defaultLocation() {
        String cache = System.getenv("CXML_CACHE");
        Path base = cache == null || cache.isBlank() ? Paths.get(System.getProperty("user.home"), ".cache", "cxml")
                : Paths.get(cache);
        return base.resolve("models").resolve("multilingual-e5-small-q4").toString();
    }

    /** @return whether a base encoder is configured ({@value #ENCODER_PATH} is not "none") */
    public boolean enabled() {
        return location != null;
    }

    /** @return the encoder folder as configured (null when none) */
    public String location() {
        return location;
    }

    /** @return rows per encoder call inside a task */
    public int batchSize() {
        return batchSize;
    }

    /** @return how long a stored vector stays joinable after the ticket's creation */
    public Duration ttl() {
        return ttl;
    }

    /**
     * Checks the folder (a local one: its required files; a remote one is checked when it is copied) and fingerprints
     * it, once. Call before Spark starts, in every job that embeds.
     *
     * @return the base encoder
     * @throws ConfigError naming the path, the missing file and the command that fetches the default encoder
     */
    public BaseEncoder requireEncoder() {
        if (location == null) {
            throw new ConfigError("Cannot embed: " + ENCODER_PATH + " is 'none'. Set it to a Hugging Face encoder "
                    + "folder, or leave it empty for the default (fetched by " + FETCH_COMMAND + ")");
        }
        BaseEncoder e = encoder;
        if (e != null) {
            return e;
        }
        URI uri = URI.create(location.replace(" ", "%20"));
        if (uri.getScheme() == null || "file".equals(uri.getScheme())) {
            Path dir = uri.getScheme() == null ? Paths.get(location) : Paths.get(uri);
            for (String file : List.of(PretrainedFolder.CONFIG, PretrainedFolder.TOKENIZER, PretrainedFolder.WEIGHTS)) {
                if (!Files.isRegularFile(dir.resolve(file))) {
                    throw new ConfigError("Cannot load the base encoder at " + dir + ": " + file + " is missing. "
                            + (location.equals(defaultLocation()) ? "Fetch it with " + FETCH_COMMAND + " (./setup.sh "
                            + "runs it)" : "Point " + ENCODER_PATH + " at a Hugging Face folder (config.json, "
                            + "tokenizer.json, model.safetensors), or leave it empty for the default")
                            + "; " + ENCODER_PATH + "=none turns embeddings off");
                }
            }
        }
        try {
            e = BaseEncoder.open(location, maxTokens, Map.of());
        } catch (RuntimeException ex) {
            throw new ConfigError("Cannot load the base encoder at " + location + ": " + ex.getMessage(), ex);
        }
        encoder = e;
        return e;
    }
}
