package io.cxml.jobs.features;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.cxml.features.FeatureRegistry;
import io.cxml.features.view.FeatureView;
import io.cxml.features.view.FeatureViewDefinition;
import io.cxml.features.view.FeatureViews;
import io.cxml.jobs.cli.CxmlCommand;
import io.cxml.jobs.config.Settings;
import io.cxml.storage.StorageLayout;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.types.StructField;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code cxml features list}: the views defined in code, with the versions registered beside the data. Starts no
 * Spark session.
 */
@Command(name = "list", mixinStandardHelpOptions = true,
        description = {"List the feature views defined in code (name, entity, event time, TTL, owner, columns) and "
                + "the versions registered in features/_registry.json; 'current' marks the version the code would "
                + "build now ('new' when the definition changed and the next build writes a new version)."})
public final class FeaturesListCommand extends CxmlCommand {
    @Option(names = "--json", description = "Print JSON instead of a table.")
    boolean json;

    @Override
    public Integer call() {
        Settings config = settings();
        StorageLayout layout = config.storage().layout();
        Configuration hadoop = config.storage().hadoop();
        FeatureRegistry.Document registry = new FeatureRegistry(layout, hadoop).read();
        List<Map<String, Object>> views = new ArrayList<>();
        FeatureViews catalog;
        try {
            catalog = EmbeddingViews.catalog(config);
        } catch (io.cxml.jobs.config.ConfigError e) { // listing needs no encoder: show the others
            System.err.println("ticket_embedding not listed: " + e.getMessage());
            catalog = FeatureViews.builtIn(config.features().options());
        }
        for (FeatureView view : catalog.all()) {
            views.add(describe(view.definition(), registry.views.get(view.definition().name())));
        }
        if (json) {
            try {
                System.out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
                        .writeValueAsString(Map.of("registry", layout.featureRegistry(), "views", views)));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        } else {
            print(views, layout);
        }
        return 0;
    }

    private static Map<String, Object> describe(FeatureViewDefinition d, FeatureRegistry.ViewEntry entry) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("name", d.name());
        v.put("entityKey", d.entityKey());
        v.put("eventTimeColumn", d.eventTimeColumn());
        v.put("ttl", human(d.ttl()));
        v.put("owner", d.owner());
        v.put("fingerprint", d.fingerprint());
        v.put("logicVersion", d.logicVersion());
        v.put("description", d.description());
        Map<String, String> columns = new LinkedHashMap<>();
        for (StructField f : d.features().fields()) {
            columns.put(f.name(), f.dataType().catalogString());
        }
        v.put("columns", columns);
        List<Map<String, Object>> versions = new ArrayList<>();
        Integer current = null;
        if (entry != null) {
            for (FeatureRegistry.VersionEntry e : entry.versions) {
                Map<String, Object> ver = new LinkedHashMap<>();
                ver.put("version", e.version);
                ver.put("fingerprint", e.fingerprint);
                ver.put("path", e.path);
                ver.put("materialized", e.materializedFrom == null ? null
                        : e.materializedFrom + ".." + e.materializedTo);
                versions.add(ver);
                if (e.fingerprint.equals(d.fingerprint())) {
                    current = e.version;
                }
            }
        }
        v.put("currentVersion", current);
        v.put("versions", versions);
        return v;
    }

    /** @return {@code 365d}, {@code 12h} or the ISO form for other durations */
    static String human(java.time.Duration d) {
        if (d.toSeconds() % 86_400 == 0) {
            return d.toDays() + "d";
        }
        return d.toSeconds() % 3_600 == 0 ? d.toHours() + "h" : d.toString();
    }

    @SuppressWarnings("unchecked")
    private static void print(List<Map<String, Object>> views, StorageLayout layout) {
        System.out.printf("%-18s %-14s %-11s %-10s %-8s %s%n", "VIEW", "ENTITY", "EVENT TIME", "TTL", "VERSION",
                "MATERIALIZED");
        for (Map<String, Object> v : views) {
            Object current = v.get("currentVersion");
            String materialized = "-";
            for (Map<String, Object> ver : (List<Map<String, Object>>) v.get("versions")) {
                if (ver.get("version").equals(current) && ver.get("materialized") != null) {
                    materialized = (String) ver.get("materialized");
                }
            }
            System.out.printf("%-18s %-14s %-11s %-10s %-8s %s%n", v.get("name"), v.get("entityKey"),
                    v.get("eventTimeColumn"), v.get("ttl"), current == null ? "new" : "v" + current, materialized);
            System.out.printf("    %s%n    owner %s, fingerprint %s, columns %s%n", v.get("description"),
                    v.get("owner"), v.get("fingerprint"), ((Map<String, String>) v.get("columns")).keySet());
        }
        System.out.printf("registry: %s%n", layout.featureRegistry());
    }
}
