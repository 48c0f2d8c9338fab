package io.cxml.jobs.config;

import io.cxml.training.data.ExportLabels;
import io.cxml.training.data.Taxonomy;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Label area ({@code cxml.training.labels.*}): where the intent labels are in the help desk's export (an agent-set
 * custom field or ticket form, or a tag prefix), the taxonomy file that maps old label names to current ones, and the
 * agreement rule. Resolved once by {@link Settings#resolve} (the taxonomy file is read then, so a bad file fails
 * before Spark starts); the only place these keys are read. A labelled file instead is {@code train --data}.
 */
public final class LabelSettings {
    /** Prefix of the label keys. */
    public static final String LABELS = "cxml.training.labels";
    /** {@code field} (a key of custom_fields) or {@code tag} (a tag prefix). */
    public static final String SOURCE = LABELS + ".source";
    /** The custom field's name, or the tag prefix. */
    public static final String NAME = LABELS + ".name";
    /** Taxonomy TSV ({@code old<TAB>new}): relative to the conf folder (bundled in the jar), or absolute; "" = none. */
    public static final String TAXONOMY = LABELS + ".taxonomy";
    /** Keep labels only on tickets an agent answered. */
    public static final String REQUIRE_AGENT_REPLY = LABELS + ".require-agent-reply";

    private final ExportLabels intent;

    private LabelSettings(ExportLabels intent) {
        this.intent = intent;
    }

    /**
     * @param config the validated config
     * @return the label settings
     * @throws ConfigError when the source is unknown, the name empty or the taxonomy file unreadable
     */
    public static LabelSettings resolve(CxmlConfig config) {
        try {
            return new LabelSettings(new ExportLabels(ExportLabels.Kind.parse(config.getString(SOURCE)),
                    config.getString(NAME), taxonomy(config.getString(TAXONOMY)),
                    config.getBoolean(REQUIRE_AGENT_REPLY)));
        } catch (IllegalArgumentException e) {
            throw new ConfigError(e.getMessage() + " (" + LABELS + ")", e);
        }
    }

    /** @return where the intent labels are in the export */
    public ExportLabels intent() {
        return intent;
    }

    private static Taxonomy taxonomy(String location) {
        if (location == null || location.isBlank()) {
            return Taxonomy.NONE;
        }
        String name = Path.of(location).getFileName().toString();
        return Taxonomy.parse(name, lines(location));
    }

    /** An absolute path as given; a relative one in the conf folder (-Dcxml.conf.dir), else in the jar's copy. */
    private static List<String> lines(String location) {
        Path path = Path.of(location);
        String confDir = System.getProperty(ConfigLoader.CONF_DIR_PROPERTY);
        Path file = path.isAbsolute() ? path : confDir == null || confDir.isBlank() ? null
                : Path.of(confDir).resolve(location);
        try {
            if (file != null) {
                if (!Files.isRegularFile(file)) {
                    throw new ConfigError("Cannot read " + TAXONOMY + " " + location + ": no file " + file
                            + ". Point it at an old<TAB>new TSV (conf/taxonomy/) or set it to \"\" for none");
                }
                return Files.readAllLines(file, StandardCharsets.UTF_8);
            }
            try (InputStream in = LabelSettings.class.getClassLoader()
                    .getResourceAsStream(ConfigLoader.BUNDLED_PREFIX + location)) {
                if (in == null) {
                    throw new ConfigError("Cannot read " + TAXONOMY + " " + location + ": the jar has no "
                            + ConfigLoader.BUNDLED_PREFIX + location + ". Give an absolute path or set it to \"\"");
                }
                return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
            }
        } catch (IOException e) {
            throw new ConfigError("Cannot read " + TAXONOMY + " " + location + ": " + e.getMessage(), e);
        }
    }
}
