package io.cxml.jobs.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The effective, validated configuration: typed getters whose errors name the key. Created by {@link ConfigLoader};
 * immutable. Jobs turn it into the typed option records the libraries take, once, on the driver.
 */
public final class CxmlConfig {
    private final Config config;
    private final List<String> sources;

    CxmlConfig(Config config, List<String> sources) {
        this.config = config;
        this.sources = List.copyOf(sources);
    }

    /** @return the layers that made this config, lowest precedence first */
    public List<String> sources() {
        return sources;
    }

    /**
     * @param key a declared key
     * @param value its new value (a command-line option that stands for a config key)
     * @return a copy with that value
     */
    public CxmlConfig with(String key, Object value) {
        return new CxmlConfig(config.withValue(key, com.typesafe.config.ConfigValueFactory.fromAnyRef(value)),
                sources);
    }

    /** @return the underlying resolved config, for library edges that take a sub-tree */
    public Config raw() {
        return config;
    }

    /**
     * @param key the key
     * @return its string value
     */
    public String getString(String key) {
        return get(key, "a string", () -> config.getString(key));
    }

    /**
     * @param key the key
     * @return its int value
     */
    public int getInt(String key) {
        return get(key, "an integer", () -> config.getInt(key));
    }

    /**
     * @param key the key
     * @return its long value
     */
    public long getLong(String key) {
        return get(key, "an integer", () -> config.getLong(key));
    }

    /**
     * @param key the key
     * @return its double value
     */
    public double getDouble(String key) {
        return get(key, "a number", () -> config.getDouble(key));
    }

    /**
     * @param key the key
     * @return its boolean value
     */
    public boolean getBoolean(String key) {
        return get(key, "true or false", () -> config.getBoolean(key));
    }

    /**
     * @param key the key
     * @return its string list
     */
    public List<String> getStringList(String key) {
        return get(key, "a list of strings", () -> config.getStringList(key));
    }

    /**
     * @param key the key
     * @return its date value (YYYY-MM-DD)
     */
    public LocalDate getDate(String key) {
        String value = getString(key);
        try {
            return LocalDate.parse(value);
        } catch (DateTimeParseException e) {
            throw new ConfigError("Cannot read config key '" + key + "': '" + value + "' is not a date (YYYY-MM-DD)");
        }
    }

    /**
     * @param key the key
     * @return true when the key is set to a non-null value
     */
    public boolean has(String key) {
        return config.hasPath(key);
    }

    /**
     * A free-form sub-tree of string settings (e.g. Spark conf), with null values dropped.
     *
     * @param key the key of the object
     * @return the flattened entries, sorted by key
     */
    public Map<String, String> getStringMap(String key) {
        Map<String, String> out = new TreeMap<>();
        if (!config.hasPathOrNull(key) || config.getIsNull(key)) {
            return out;
        }
        for (Map.Entry<String, ConfigValue> e : config.getObject(key).entrySet()) {
            Object value = e.getValue().unwrapped();
            if (value != null) {
                out.put(e.getKey(), String.valueOf(value));
            }
        }
        return out;
    }

    /**
     * Renders the effective config for people: HOCON, comments off, secrets replaced by {@link Secrets#REDACTED}.
     *
     * @return the text
     */
    public String renderRedacted() {
        Config shown = config;
        for (Map.Entry<String, ConfigValue> e : config.entrySet()) {
            if (Secrets.isSecretKey(e.getKey()) && e.getValue().unwrapped() != null) {
                shown = shown.withValue(e.getKey(), ConfigValueFactory.fromAnyRef(Secrets.REDACTED));
            }
        }
        return shown.root().render(ConfigRenderOptions.defaults().setOriginComments(false).setJson(false));
    }

    /** @return every leaf key with its value, secrets redacted, for run records and logs */
    public Map<String, String> redactedEntries() {
        Map<String, String> out = new LinkedHashMap<>();
        new TreeMap<>(config.entrySet().stream().collect(java.util.stream.Collectors.toMap(
                Map.Entry::getKey, e -> String.valueOf(e.getValue().unwrapped()))))
                .forEach((k, v) -> out.put(k, Secrets.isSecretKey(k) ? Secrets.REDACTED : v));
        return out;
    }

    private interface Getter<T> {
        T get();
    }

    private <T> T get(String key, String expected, Getter<T> getter) {
        try {
            return getter.get();
        } catch (ConfigException.Missing e) {
            throw new ConfigError("Missing required config key '" + key + "': set it in a conf file, with --conf "
                    + key + "=..., or through its environment variable");
        } catch (ConfigException.WrongType | ConfigException.BadValue e) {
            throw new ConfigError("Wrong type for config key '" + key + "': expected " + expected + " ("
                    + e.getMessage().replaceAll("^.*?: ", "") + ")");
        }
    }
}
