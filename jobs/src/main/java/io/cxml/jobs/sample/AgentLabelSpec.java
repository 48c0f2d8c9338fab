package io.cxml.jobs.sample;

import java.io.Serializable;
import java.time.LocalDate;

/**
 * How the sample's agents fill the contact-reason custom field ({@link AgentLabels}): on part of the tickets, sometimes
 * wrong (a similar intent), and before a taxonomy change with the old label names.
 *
 * @param field the custom field's name in {@code custom_fields}
 * @param coverage share of tickets with the field set, in [0, 1]
 * @param errorRate share of set fields holding a wrong (similar) intent, in [0, 0.5]
 * @param taxonomyChange tickets created before this day carry the old taxonomy's names; null = half-way through
 *     the history
 */
public record AgentLabelSpec(String field, double coverage, double errorRate, LocalDate taxonomyChange)
        implements Serializable {
    /** Field name, coverage and error rate of {@code cxml.sample.labels} in application.conf. */
    public static final AgentLabelSpec DEFAULT = new AgentLabelSpec("contact_reason", 0.7, 0.08, null);

    /** Checks the bounds. */
    public AgentLabelSpec {
        if (field == null || field.isBlank()) {
            throw new IllegalArgumentException("Cannot generate sample data: the label field name is empty "
                    + "(cxml.sample.labels.field)");
        }
        if (!(coverage >= 0 && coverage <= 1)) {
            throw new IllegalArgumentException("Cannot generate sample data: label coverage must be in [0, 1], got "
                    + coverage + " (cxml.sample.labels.coverage)");
        }
        if (!(errorRate >= 0 && errorRate <= 0.5)) {
            throw new IllegalArgumentException("Cannot generate sample data: label error rate must be in [0, 0.5], "
                    + "got " + errorRate + " (cxml.sample.labels.error-rate)");
        }
    }

    /**
     * @param spec the sample
     * @return the day the taxonomy changed
     */
    LocalDate changeDay(SampleSpec spec) {
        return taxonomyChange != null ? taxonomyChange : spec.startDate().plusDays(spec.days() / 2);
    }
}
