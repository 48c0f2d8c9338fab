package io.cxml.training.data;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import io.cxml.contract.CuratedInteractions;
import java.util.Locale;
import java.util.Objects;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;

/**
 * Where the labels of a classification task come from in the help desk's own export (curated interactions): an
 * agent-set field ({@link CuratedInteractions#CUSTOM_FIELDS}: a custom field or the ticket form) or the first tag
 * with a prefix ({@code reason_card_arrival}), mapped through a {@link Taxonomy}, optionally only on tickets an agent
 * answered. The hidden {@link CuratedInteractions#TRUE_INTENT} of generated data is never a label: {@link #measure}
 * compares with it.
 *
 * @param kind where the value is
 * @param name the field name, or the tag prefix
 * @param taxonomy old labels to current ones
 * @param requireAgentReply keep labels only on tickets with an agent message: a field set while an agent worked
 *     the ticket, not one a customer picked in a form before anyone read it
 */
public record ExportLabels(Kind kind, String name, Taxonomy taxonomy, boolean requireAgentReply)
        implements java.io.Serializable {
    /** Where in the export the label is. */
    public enum Kind {
        /** A key of {@link CuratedInteractions#CUSTOM_FIELDS}. */
        FIELD,
        /** The first tag starting with a prefix, without the prefix. */
        TAG;

        /**
         * @param value {@code field} or {@code tag}
         * @return the kind
         * @throws IllegalArgumentException for anything else
         */
        public static Kind parse(String value) {
            try {
                return valueOf(value.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("Cannot use label source '" + value + "': use field (a custom field"
                        + " or the ticket form) or tag (a tag prefix)");
            }
        }
    }

    /** Checks the values. */
    public ExportLabels {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(taxonomy, "taxonomy");
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("Cannot read labels from the export: no " + (kind == Kind.TAG
                    ? "tag prefix" : "field name") + " is set");
        }
    }

    /** @return the value as the export holds it (old or current taxonomy), null where unset */
    public Column raw() {
        Column value = kind == Kind.FIELD
                ? functions.try_element_at(col(CuratedInteractions.CUSTOM_FIELDS), lit(name))
                : functions.try_element_at(functions.filter(col(CuratedInteractions.TAGS),
                        t -> t.startsWith(name)), lit(1)).substr(name.length() + 1, Integer.MAX_VALUE);
        Column cleaned = functions.nullif(functions.trim(value), lit(""));
        return requireAgentReply ? when(agentReplied(), cleaned) : cleaned;
    }

    /** @return the current label, null where the ticket has none or it is retired with no successor */
    public Column label() {
        return taxonomy.current(raw());
    }

    private static Column agentReplied() {
        return functions.exists(col(CuratedInteractions.MESSAGES), m -> m.getField("author").equalTo(lit("agent")));
    }

    /**
     * Coverage, unmapped labels and, where the rows carry it, agreement with the hidden truth: one aggregation on the
     * executors.
     *
     * @param curated curated interactions (a window of them)
     * @return the counts
     */
    public LabelStats measure(Dataset<Row> curated) {
        Column raw = raw();
        Column label = taxonomy.current(raw);
        Column truth = col(CuratedInteractions.TRUE_INTENT);
        Row r = curated.agg(count(lit(1)), count(raw), sum(when(taxonomy.unmapped(raw), 1L).otherwise(0L)),
                count(label), count(when(label.isNotNull(), truth)),
                sum(when(label.isNotNull().and(label.equalTo(truth)), 1L).otherwise(0L))).first();
        return new LabelStats(describe(), r.getLong(0), r.getLong(1), r.isNullAt(2) ? 0 : r.getLong(2), r.getLong(3),
                r.getLong(4), r.isNullAt(5) ? 0 : r.getLong(5));
    }

    /** @return e.g. {@code custom field contact_reason, taxonomy contact-reason-v2.tsv (9 old labels)} */
    public String describe() {
        return (kind == Kind.FIELD ? "custom field " + name : "tag prefix " + name) + ", " + taxonomy.describe()
                + (requireAgentReply ? ", agent-answered tickets only" : "");
    }
}
