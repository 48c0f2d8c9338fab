package io.cxml.runtime.text.pretrained;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cxml.storage.ListingFingerprint;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;

/**
 * A Hugging Face encoder folder on local disk: {@value #CONFIG}, {@value #TOKENIZER} and {@value #WEIGHTS} (required),
 * and the sentence-transformers files when present ({@value #MODULES} naming a Pooling and a Normalize module, the
 * pooling {@code config.json}, {@value #SENTENCE_CONFIG} with {@code max_seq_length}, {@value #PROMPTS_CONFIG}
 * with the model's input prompts). Model-specific input conventions (e5's {@code "query: "} prefix) come from these
 * files, not from code. A folder on another file system ({@code s3a://...}) is copied to a local cache first
 * ({@link #localize}), keyed by the remote files' listing so that a folder rewritten at the same URI is copied again.
 * A missing file fails with a message naming it.
 */
public final class PretrainedFolder {
    /** Architecture file. */
    public static final String CONFIG = "config.json";
    /** Tokenizer file. */
    public static final String TOKENIZER = "tokenizer.json";
    /** Weights file. */
    public static final String WEIGHTS = "model.safetensors";
    /** sentence-transformers module list. */
    public static final String MODULES = "modules.json";
    /** sentence-transformers settings. */
    public static final String SENTENCE_CONFIG = "sentence_bert_config.json";
    /**
     * sentence-transformers model settings: {@code prompts} (name to text) and {@code default_prompt_name}, the prompt
     * sentence-transformers prepends to every input unless told otherwise.
     */
    public static final String PROMPTS_CONFIG = "config_sentence_transformers.json";
    private static final String POOLING_DIR = "1_Pooling";
    private static final List<String> REQUIRED = List.of(CONFIG, TOKENIZER, WEIGHTS);
    private static final List<String> OPTIONAL = List.of(MODULES, SENTENCE_CONFIG, POOLING_DIR + "/" + CONFIG,
            PROMPTS_CONFIG);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path dir;
    private final String location;
    private final TransformerConfig config;
    private final int maxSeqLength;
    private final String name;
    private final String defaultPrompt;

    private PretrainedFolder(Path dir, String location) {
        this.dir = dir;
        this.location = location;
        for (String file : REQUIRED) {
            if (!Files.isRegularFile(dir.resolve(file))) {
                throw new IllegalArgumentException("Cannot load the pretrained encoder at " + location + ": " + file
                        + " is missing (a Hugging Face encoder folder needs " + REQUIRED + ")");
            }
        }
        JsonNode raw = read(CONFIG);
        JsonNode modules = Files.isRegularFile(dir.resolve(MODULES)) ? read(MODULES) : null;
        String poolingPath = POOLING_DIR;
        boolean normalize = false;
        if (modules != null) {
            for (JsonNode module : modules) {
                String type = module.path("type").asText("");
                if (type.endsWith(".Pooling")) {
                    poolingPath = module.path("path").asText(POOLING_DIR);
                } else if (type.endsWith(".Normalize")) {
                    normalize = true;
                }
            }
        }
        Path pooling = dir.resolve(poolingPath).resolve(CONFIG);
        JsonNode poolingConfig = Files.isRegularFile(pooling) ? read(poolingPath + "/" + CONFIG) : null;
        this.config = TransformerConfig.of(raw, poolingConfig, normalize);
        this.defaultPrompt = Files.isRegularFile(dir.resolve(PROMPTS_CONFIG)) ? defaultPromptOf(read(PROMPTS_CONFIG))
                : "";
        if (!defaultPrompt.isEmpty() && poolingConfig != null
                && !poolingConfig.path("include_prompt").asBoolean(true)) {
            // sentence-transformers would then pool without the prompt's tokens, which the encoder block cannot do.
            throw new IllegalArgumentException("Cannot load the pretrained encoder at " + location + ": its pooling"
                    + " config sets include_prompt false, which is not supported. Use a folder whose pooling"
                    + " includes the prompt, or remove default_prompt_name from " + PROMPTS_CONFIG);
        }
        int fromFolder = Files.isRegularFile(dir.resolve(SENTENCE_CONFIG))
                ? read(SENTENCE_CONFIG).path("max_seq_length").asInt(0) : 0;
        int positions = config.maxPositions() - (config.robertaPositions() ? config.padTokenId() + 1 : 0);
        this.maxSeqLength = fromFolder > 0 ? Math.min(fromFolder, positions) : Math.min(512, positions);
        String named = raw.path("_name_or_path").asText("");
        this.name = named.isBlank() ? dir.getFileName().toString() : named;
    }

    /**
     * @param dir a local folder
     * @return the folder, validated
     */
    public static PretrainedFolder open(Path dir) {
        return new PretrainedFolder(dir, dir.toString());
    }

    /**
     * Opens a folder given as a local path, {@code file:} URI or any Hadoop file system URI ({@code s3a://}); remote
     * folders are copied into {@code java.io.tmpdir/cxml-encoders/<key>}, the key a hash of the URI and of the
     * remote files' names, lengths, modification times and ETags (when the file system gives them): a folder
     * rewritten at the same URI gets a fresh copy, an unchanged one is copied once per machine.
     *
     * @param location the folder
     * @param hadoop Hadoop settings for remote file systems (may be empty)
     * @return the folder
     */
    public static PretrainedFolder localize(String location, Map<String, String> hadoop) {
        URI uri = URI.create(location.replace(" ", "%20"));
        if (uri.getScheme() == null || "file".equals(uri.getScheme())) {
            return open(uri.getScheme() == null ? Paths.get(location) : Paths.get(uri));
        }
        try {
            Configuration conf = new Configuration();
            hadoop.forEach(conf::set);
            org.apache.hadoop.fs.Path base = new org.apache.hadoop.fs.Path(location);
            FileSystem fs = base.getFileSystem(conf);
            List<String> files = new ArrayList<>(REQUIRED);
            files.addAll(OPTIONAL);
            List<String> present = new ArrayList<>();
            ListingFingerprint listing = ListingFingerprint.of(location);
            for (String file : files) {
                FileStatus status;
                try {
                    status = fs.getFileStatus(new org.apache.hadoop.fs.Path(base, file));
                } catch (FileNotFoundException absent) {
                    continue;
                }
                if (!status.isFile()) {
                    continue;
                }
                present.add(file);
                listing.add(file, status);
            }
            Path cache = Paths.get(System.getProperty("java.io.tmpdir"), "cxml-encoders",
                    listing.hex(16));
            for (String file : present) {
                Path target = cache.resolve(file);
                if (Files.isRegularFile(target)) {
                    continue;
                }
                Files.createDirectories(target.getParent());
                // Own partial name: tasks or executor JVMs on one machine may copy the same folder at once.
                Path partial = target.resolveSibling(target.getFileName() + "." + UUID.randomUUID() + ".partial");
                try {
                    fs.copyToLocalFile(false, new org.apache.hadoop.fs.Path(base, file),
                            new org.apache.hadoop.fs.Path(partial.toUri()), true);
                    Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } finally {
                    Files.deleteIfExists(partial);
                }
            }
            return new PretrainedFolder(cache, location);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot copy the pretrained encoder from " + location + ": "
                    + e.getMessage() + ". Check the path and the storage credentials", e);
        }
    }

    /** @return the local folder */
    public Path dir() {
        return dir;
    }

    /** @return where the folder was given (path or URI) */
    public String location() {
        return location;
    }

    /** @return the architecture and pooling */
    public TransformerConfig config() {
        return config;
    }

    /** @return the folder's maximum sequence length (sentence-transformers setting, capped by the positions) */
    public int maxSeqLength() {
        return maxSeqLength;
    }

    /** @return the model's name ({@code _name_or_path} of config.json, else the folder name) */
    public String name() {
        return name;
    }

    /**
     * The prompt sentence-transformers prepends to every input of this model by default: the entry of {@code prompts}
     * named by {@code default_prompt_name} in {@value #PROMPTS_CONFIG}, e.g. e5's {@code "query: "}.
     *
     * @return the prompt, or {@code ""} when the folder names none
     */
    public String defaultPrompt() {
        return defaultPrompt;
    }

    /** @return the tokenizer file */
    public Path tokenizer() {
        return dir.resolve(TOKENIZER);
    }

    /** @return the weights, read from {@value #WEIGHTS} */
    PretrainedWeights weights() {
        Path file = dir.resolve(WEIGHTS);
        try {
            return new PretrainedWeights(SafeTensors.read(file), location + "/" + WEIGHTS);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * SHA-256 over the required files' names and bytes, and the {@link #defaultPrompt()} when there is one (it changes
     * every embedding, so it is part of the model's identity; folders without a prompt checksum as they always did).
     *
     * @return the checksum: identifies the base model a version came from
     */
    public String checksum() {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[1 << 16];
            for (String file : REQUIRED) {
                digest.update(file.getBytes(StandardCharsets.UTF_8));
                try (InputStream in = Files.newInputStream(dir.resolve(file))) {
                    for (int n = in.read(buffer); n > 0; n = in.read(buffer)) {
                        digest.update(buffer, 0, n);
                    }
                }
            }
            if (!defaultPrompt.isEmpty()) {
                digest.update(PROMPTS_CONFIG.getBytes(StandardCharsets.UTF_8));
                digest.update(defaultPrompt.getBytes(StandardCharsets.UTF_8));
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot checksum " + dir + ": " + e.getMessage(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private String defaultPromptOf(JsonNode settings) {
        JsonNode named = settings.path("default_prompt_name");
        if (named.isMissingNode() || named.isNull()) {
            return "";
        }
        JsonNode prompts = settings.path("prompts");
        JsonNode prompt = prompts.path(named.asText());
        if (!prompt.isTextual()) {
            // sentence-transformers refuses such a folder too.
            List<String> names = new ArrayList<>();
            prompts.fieldNames().forEachRemaining(names::add);
            throw new IllegalArgumentException("Cannot load the pretrained encoder at " + location + ": "
                    + PROMPTS_CONFIG + " names the default prompt '" + named.asText() + "', but its prompts are "
                    + names + ". Fix default_prompt_name or add the prompt");
        }
        return prompt.asText();
    }

    private JsonNode read(String file) {
        try {
            return JSON.readTree(dir.resolve(file).toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file + " of the pretrained encoder at " + location + ": "
                    + e.getMessage(), e);
        }
    }
}
