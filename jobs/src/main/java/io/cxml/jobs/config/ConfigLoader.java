package io.cxml.jobs.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;
import com.typesafe.config.ConfigValueType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Builds the effective configuration from its layers and validates it before any job starts.
 *
 * <p>Precedence, highest first: {@code --conf key=value} overrides; environment variables (referenced from the conf
 * files as {@code ${?VAR}}, the only way secrets get in); {@code --config-file FILE}; the {@code --env} overlay
 * {@code <env>.conf}; {@code application.conf}. Conf files are read from {@code -Dcxml.conf.dir} (set by
 * {@code bin/cxml} to the repo's {@code conf/}) or else from the copies bundled in the jar.
 *
 * <p>{@code application.conf} declares every key: a key it does not declare is an error (with the closest declared
 * key as a hint), as is a value whose type differs from the declared default's. Free-form sub-trees such as
 * {@code cxml.spark.conf} accept any key. An override {@code spark.*=value} is taken as a Spark setting.
 */
public final class ConfigLoader {
    /** System property naming the directory of the conf files. */
    public static final String CONF_DIR_PROPERTY = "cxml.conf.dir";
    /** The base file. */
    public static final String BASE_FILE = "application.conf";
    /** Where the jar bundles the conf files. */
    static final String BUNDLED_PREFIX = "cxml-conf/";
    /** Sub-trees whose keys are not declared in advance. */
    public static final List<String> FREE_FORM = List.of("cxml.spark.conf", "cxml.hadoop.conf");

    private String env;
    private Path configFile;
    private Path confDir;
    private final List<String> overrides = new ArrayList<>();

    /** @return a loader with no overlay and no override */
    public static ConfigLoader create() {
        return new ConfigLoader();
    }

    /**
     * @param name environment overlay name ({@code dev}, {@code prod}, ...), or null
     * @return this loader
     */
    public ConfigLoader optEnv(String name) {
        this.env = name;
        return this;
    }

    /**
     * @param file an extra HOCON file, or null
     * @return this loader
     */
    public ConfigLoader optConfigFile(Path file) {
        this.configFile = file;
        return this;
    }

    /**
     * @param dir the directory holding application.conf and the overlays, or null for the default
     * @return this loader
     */
    public ConfigLoader optConfDir(Path dir) {
        this.confDir = dir;
        return this;
    }

    /**
     * @param keyValues {@code key=value} overrides, applied in order
     * @return this loader
     */
    public ConfigLoader addOverrides(List<String> keyValues) {
        overrides.addAll(keyValues);
        return this;
    }

    /**
     * Loads, resolves and validates.
     *
     * @return the effective configuration
     * @throws ConfigError naming the key and the fix
     */
    public CxmlConfig load() {
        List<String> sources = new ArrayList<>();
        Config reference = read(BASE_FILE, true).orElseThrow();
        sources.add(describe(reference));
        Config merged = reference;
        if (env != null && !env.isBlank()) {
            Config overlay = read(env + ".conf", false).orElseThrow(() -> new ConfigError(
                    "Cannot use --env " + env + ": no " + env + ".conf in " + describeConfDir()
                            + ". Known environments are the *.conf files there (e.g. dev, prod)"));
            merged = overlay.withFallback(merged);
            sources.add(describe(overlay));
        }
        if (configFile != null) {
            if (!Files.isRegularFile(configFile)) {
                throw new ConfigError("Cannot read --config-file " + configFile + ": no such file");
            }
            merged = parse(() -> ConfigFactory.parseFile(configFile.toFile(),
                    ConfigParseOptions.defaults().setAllowMissing(false)), configFile.toString()).withFallback(merged);
            sources.add(configFile.toString());
        }
        for (String kv : overrides) {
            merged = override(kv).withFallback(merged);
        }
        if (!overrides.isEmpty()) {
            sources.add("--conf (" + overrides.size() + ")");
        }
        Config resolved;
        try {
            resolved = merged.resolve();
        } catch (ConfigException e) {
            throw new ConfigError("Cannot resolve the configuration: " + e.getMessage(), e);
        }
        validate(resolved, reference.resolve());
        return new CxmlConfig(resolved, sources);
    }

    private static String describe(Config layer) {
        String file = layer.origin().filename();
        return file != null ? file : layer.origin().resource() != null ? "jar:" + layer.origin().resource()
                : layer.origin().description();
    }

    private String describeConfDir() {
        Path dir = confDir();
        return dir != null ? dir.toString() : "the jar (" + BUNDLED_PREFIX + ")";
    }

    private Path confDir() {
        if (confDir != null) {
            return confDir;
        }
        String prop = System.getProperty(CONF_DIR_PROPERTY);
        return prop == null || prop.isBlank() ? null : Path.of(prop);
    }

    private Optional<Config> read(String name, boolean required) {
        Path dir = confDir();
        if (dir != null) {
            Path file = dir.resolve(name);
            if (Files.isRegularFile(file)) {
                return Optional.of(parse(() -> ConfigFactory.parseFile(file.toFile()), file.toString()));
            }
            if (required) {
                throw new ConfigError("Cannot load the configuration: " + file + " is missing (-D" + CONF_DIR_PROPERTY
                        + "=" + dir + ")");
            }
            return Optional.empty();
        }
        String resource = BUNDLED_PREFIX + name;
        if (ConfigLoader.class.getClassLoader().getResource(resource) == null) {
            if (required) {
                throw new ConfigError("Cannot load the configuration: " + resource + " is not in the jar");
            }
            return Optional.empty();
        }
        return Optional.of(parse(() -> ConfigFactory.parseResources(ConfigLoader.class.getClassLoader(), resource),
                "jar:" + resource));
    }

    private interface Parser {
        Config parse();
    }

    private static Config parse(Parser parser, String what) {
        try {
            return parser.parse();
        } catch (ConfigException e) {
            throw new ConfigError("Cannot parse " + what + ": " + e.getMessage(), e);
        }
    }

    /** Turns {@code key=value} into a one-key config; {@code spark.*} keys go under {@code cxml.spark.conf}. */
    static Config override(String keyValue) {
        int eq = keyValue.indexOf('=');
        if (eq <= 0) {
            throw new ConfigError("Cannot use --conf '" + keyValue + "': expected KEY=VALUE, e.g. --conf "
                    + "cxml.storage.root=/tmp/cxml");
        }
        String key = keyValue.substring(0, eq).trim();
        String value = keyValue.substring(eq + 1);
        String path;
        if (key.startsWith("spark.")) {
            path = ConfigUtil.joinPath("cxml", "spark", "conf", key);
        } else {
            try {
                path = ConfigUtil.joinPath(ConfigUtil.splitPath(key));
            } catch (ConfigException e) {
                throw new ConfigError("Cannot use --conf '" + keyValue + "': '" + key + "' is not a valid key");
            }
        }
        String trimmed = value.trim();
        if (trimmed.startsWith("[") || trimmed.startsWith("{")) {
            Config parsed = parse(() -> ConfigFactory.parseString("v = " + trimmed), "--conf " + key);
            return ConfigFactory.empty("--conf " + key).withValue(path, parsed.getValue("v"));
        }
        return ConfigFactory.empty("--conf " + key).withValue(path,
                ConfigValueFactory.fromAnyRef(value, "--conf " + key));
    }

    private static void validate(Config effective, Config reference) {
        Set<String> declared = new TreeSet<>(reference.entrySet().stream().map(Map.Entry::getKey).toList());
        for (Map.Entry<String, ConfigValue> e : effective.entrySet()) {
            String key = e.getKey();
            if (!key.startsWith("cxml.") || isFreeForm(key)) {
                continue;
            }
            String origin = e.getValue().origin().description();
            if (!reference.hasPathOrNull(key)) {
                throw new ConfigError("Unknown config key '" + key + "' (from " + origin + ")"
                        + suggestion(key, declared) + " Run `cxml config --show` to list the keys");
            }
            if (reference.getIsNull(key)) {
                continue;
            }
            ConfigValueType expected = reference.getValue(key).valueType();
            if (!compatible(expected, e.getValue())) {
                throw new ConfigError("Wrong type for config key '" + key + "' (from " + origin + "): expected "
                        + describe(expected) + ", got " + e.getValue().render());
            }
        }
    }

    private static boolean isFreeForm(String key) {
        return FREE_FORM.stream().anyMatch(p -> key.equals(p) || key.startsWith(p + "."));
    }

    private static boolean compatible(ConfigValueType expected, ConfigValue actual) {
        Object value = actual.unwrapped();
        return switch (expected) {
            case NUMBER -> actual.valueType() == ConfigValueType.NUMBER || isNumber(value);
            case BOOLEAN -> actual.valueType() == ConfigValueType.BOOLEAN
                    || (value instanceof String s && Set.of("true", "false", "yes", "no", "on", "off")
                            .contains(s.trim().toLowerCase(java.util.Locale.ROOT)));
            case LIST -> actual.valueType() == ConfigValueType.LIST;
            case OBJECT -> actual.valueType() == ConfigValueType.OBJECT;
            default -> actual.valueType() != ConfigValueType.LIST && actual.valueType() != ConfigValueType.OBJECT;
        };
    }

    private static boolean isNumber(Object value) {
        if (!(value instanceof String s)) {
            return false;
        }
        try {
            Double.parseDouble(s.trim());
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static String describe(ConfigValueType type) {
        return switch (type) {
            case NUMBER -> "a number";
            case BOOLEAN -> "true or false";
            case LIST -> "a list such as [a, b]";
            case OBJECT -> "an object";
            default -> "a string";
        };
    }

    private static String suggestion(String key, Set<String> declared) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : declared) {
            int d = distance(key, candidate);
            if (d < bestDistance) {
                bestDistance = d;
                best = candidate;
            }
        }
        return best != null && bestDistance <= Math.max(3, key.length() / 4) ? ": did you mean '" + best + "'?" : ".";
    }

    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
