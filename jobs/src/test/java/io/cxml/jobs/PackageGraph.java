package io.cxml.jobs;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The module and package graphs of the main code, as Mermaid text for docs/architecture.md. Packages are grouped by
 * module; the package graph leaves out an edge that a longer path already implies (the graph has no cycles, so this
 * transitive reduction is unique), which keeps the picture readable without hiding any layering.
 */
final class PackageGraph {
    /** Modules bottom-up, each with the package prefixes it owns. */
    static final Map<String, List<String>> MODULES = new LinkedHashMap<>();

    static {
        MODULES.put("core", List.of("io.cxml.contract", "io.cxml.offline", "io.cxml.runs", "io.cxml.s3",
                "io.cxml.storage", "io.cxml.warehouse"));
        MODULES.put("feature-store", List.of("io.cxml.features", "io.cxml.ingest", "io.cxml.language",
                "io.cxml.snowflake", "io.cxml.zendesk"));
        MODULES.put("model-runtime", List.of("io.cxml.runtime"));
        MODULES.put("training", List.of("io.cxml.training"));
        MODULES.put("experiments", List.of("io.cxml.experiments"));
        MODULES.put("batch-inference", List.of("io.cxml.inference"));
        MODULES.put("assist", List.of("io.cxml.assist"));
        MODULES.put("jobs", List.of("io.cxml.jobs"));
    }

    private static final String START = "<!-- generated: package-graph (scripts/architecture-graph.sh) -->";
    private static final String END = "<!-- end: package-graph -->";

    private final Map<String, Set<String>> edges;

    private PackageGraph(Map<String, Set<String>> edges) {
        this.edges = edges;
    }

    static PackageGraph of(JavaClasses classes) {
        Map<String, Set<String>> edges = new TreeMap<>();
        for (JavaClass c : classes) {
            String from = c.getPackageName();
            if (module(from) == null) {
                continue;
            }
            edges.computeIfAbsent(from, k -> new TreeSet<>());
            for (Dependency d : c.getDirectDependenciesFromSelf()) {
                String to = d.getTargetClass().getBaseComponentType().getPackageName();
                if (!to.equals(from) && module(to) != null) {
                    edges.get(from).add(to);
                    edges.computeIfAbsent(to, k -> new TreeSet<>());
                }
            }
        }
        return new PackageGraph(edges);
    }

    static String module(String pkg) {
        for (Map.Entry<String, List<String>> m : MODULES.entrySet()) {
            for (String prefix : m.getValue()) {
                if (pkg.equals(prefix) || pkg.startsWith(prefix + ".")) {
                    return m.getKey();
                }
            }
        }
        return null;
    }

    /** @return {@code doc} with the text between the markers replaced by the current graphs */
    String writeInto(String doc) {
        int a = doc.indexOf(START);
        int b = doc.indexOf(END);
        if (a < 0 || b < a) {
            throw new IllegalStateException("Cannot update docs/architecture.md: it lacks the markers " + START
                    + " ... " + END);
        }
        return doc.substring(0, a + START.length()) + "\n" + mermaid() + doc.substring(b);
    }

    private String mermaid() {
        StringBuilder out = new StringBuilder();
        out.append("\nModules (an arrow: imports):\n\n```mermaid\nflowchart BT\n");
        Set<String> moduleEdges = new TreeSet<>();
        edges.forEach((from, tos) -> tos.forEach(to -> {
            if (!module(from).equals(module(to))) {
                moduleEdges.add("  " + id(module(from)) + " --> " + id(module(to)));
            }
        }));
        for (String m : MODULES.keySet()) {
            out.append("  ").append(id(m)).append("[").append(m).append("]\n");
        }
        moduleEdges.forEach(e -> out.append(e).append('\n'));
        out.append("```\n\nPackages, grouped by module (an edge that a longer path implies is left out):\n\n");
        out.append("```mermaid\nflowchart BT\n");
        for (String m : MODULES.keySet()) {
            out.append("  subgraph ").append(id(m)).append("_m[").append(m).append("]\n");
            for (String p : edges.keySet()) {
                if (m.equals(module(p))) {
                    out.append("    ").append(id(p)).append("[").append(p.substring("io.cxml.".length()))
                            .append("]\n");
                }
            }
            out.append("  end\n");
        }
        for (Map.Entry<String, Set<String>> e : edges.entrySet()) {
            for (String to : e.getValue()) {
                if (!impliedByLongerPath(e.getKey(), to)) {
                    out.append("  ").append(id(e.getKey())).append(" --> ").append(id(to)).append('\n');
                }
            }
        }
        return out.append("```\n").toString();
    }

    private boolean impliedByLongerPath(String from, String to) {
        List<String> stack = new ArrayList<>();
        Set<String> seen = new TreeSet<>();
        for (String next : edges.get(from)) {
            if (!next.equals(to)) {
                stack.add(next);
            }
        }
        while (!stack.isEmpty()) {
            String p = stack.remove(stack.size() - 1);
            if (p.equals(to)) {
                return true;
            }
            if (seen.add(p)) {
                stack.addAll(edges.getOrDefault(p, Set.of()));
            }
        }
        return false;
    }

    private static String id(String name) {
        return name.replace('.', '_').replace('-', '_');
    }
}
