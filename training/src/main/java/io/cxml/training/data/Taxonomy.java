package io.cxml.training.data;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.functions;

/**
 * A versioned taxonomy change: labels of an older taxonomy mapped to the current ones. Read from a TSV file
 * ({@code conf/taxonomy/*.tsv}): one {@code old<TAB>new} line per renamed label, {@code old<TAB>} for a label retired
 * with no single successor (a split or a merge: its tickets are counted as unmapped and not used), {@code #} comments.
 * A label the file does not name is current and passes through unchanged.
 *
 * @param name the file's name, for reports (e.g. {@code contact-reason-v2.tsv})
 * @param successors old label to new label, {@code ""} for a retired label
 */
public record Taxonomy(String name, Map<String, String> successors) implements java.io.Serializable {
    /** No taxonomy change: every label is current. */
    public static final Taxonomy NONE = new Taxonomy("none", Map.of());

    /** Copies the map (sorted, so the Spark expression is the same whatever the file's order). */
    public Taxonomy {
        successors = Collections.unmodifiableMap(new TreeMap<>(successors));
    }

    /**
     * @param name the file's name
     * @param lines the file's lines
     * @return the taxonomy
     * @throws IllegalArgumentException naming the line that is not {@code old<TAB>new}
     */
    public static Taxonomy parse(String name, List<String> lines) {
        Map<String, String> successors = new TreeMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] parts = lines.get(i).split("\t", -1);
            if (parts.length != 2 || parts[0].isBlank()) {
                throw new IllegalArgumentException("Cannot read taxonomy " + name + " line " + (i + 1) + ": expected "
                        + "old<TAB>new (or old<TAB> for a retired label), got '" + line + "'");
            }
            if (successors.put(parts[0].strip(), parts[1].strip()) != null) {
                throw new IllegalArgumentException("Cannot read taxonomy " + name + " line " + (i + 1) + ": "
                        + parts[0].strip() + " is mapped twice");
            }
        }
        return new Taxonomy(name, successors);
    }

    /**
     * @param raw a label column of either taxonomy
     * @return the current label, null for a retired label with no successor (and for null)
     */
    public Column current(Column raw) {
        if (successors.isEmpty()) {
            return raw;
        }
        Column mapped = functions.try_element_at(lookup(), raw);
        return functions.when(mapped.isNull(), raw).when(mapped.notEqual(functions.lit("")), mapped);
    }

    /**
     * @param raw a label column of either taxonomy
     * @return true where the label is retired with no successor
     */
    public Column unmapped(Column raw) {
        if (successors.isEmpty()) {
            return functions.lit(false);
        }
        return functions.coalesce(functions.try_element_at(lookup(), raw).equalTo(functions.lit("")),
                functions.lit(false));
    }

    private Column lookup() {
        List<Column> kv = new ArrayList<>();
        successors.forEach((k, v) -> {
            kv.add(functions.lit(k));
            kv.add(functions.lit(v));
        });
        return functions.map(kv.toArray(new Column[0]));
    }

    /** @return e.g. {@code contact-reason-v2.tsv (12 old labels)} */
    public String describe() {
        return successors.isEmpty() ? "no taxonomy mapping" : "taxonomy " + name + " (" + successors.size()
                + " old labels)";
    }
}
