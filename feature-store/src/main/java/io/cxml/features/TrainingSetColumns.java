package io.cxml.features;

import io.cxml.features.view.TicketTextView;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which columns of a training set are the model's inputs, recorded in its manifest so that a trainer reads exactly
 * them (and fails naming a missing one) instead of guessing. The trainer-facing contract built from them is
 * {@code io.cxml.features.TrainingColumns}.
 *
 * @param text the text column, e.g. {@code ticket_text__text_normalized}
 * @param language the language column, or null when the set has none
 * @param tenant the tenant (account) column, or null when the set has none
 * @param labelTime the label time column (the split and the point-in-time join use it)
 * @param tasks per task ({@code intent}, {@code sentiment}, ...) its label column and, when it differs, its text
 */
public record TrainingSetColumns(String text, String language, String tenant, String labelTime,
        Map<String, Task> tasks) {
    /** Text column of the {@code ticket_text} view as the builder joins it. */
    public static final String VIEW_TEXT = TicketTextView.NAME + TrainingSetBuilder.SEPARATOR + TicketTextView.TEXT;
    /** Language column of the {@code ticket_text} view as the builder joins it. */
    public static final String VIEW_LANGUAGE = TicketTextView.NAME + TrainingSetBuilder.SEPARATOR
            + TicketTextView.LANGUAGE;

    /**
     * The columns of one task.
     *
     * @param label its label column
     * @param text its text column when it is not the set's {@link #text()}, else null
     * @param weakLabels how the labels were derived when they are weak, else null
     */
    public record Task(String label, String text, String weakLabels) {
        /** Checks the label. */
        public Task {
            if (label == null || label.isBlank()) {
                throw new IllegalArgumentException("Cannot record a training-set task without a label column");
            }
        }
    }

    /** Checks the required columns. */
    public TrainingSetColumns {
        if (text == null || text.isBlank() || labelTime == null || labelTime.isBlank()) {
            throw new IllegalArgumentException("Cannot describe a training set without its text column (" + text
                    + ") and label time column (" + labelTime + ")");
        }
        tasks = tasks == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(tasks));
    }

    /**
     * The usual columns: the {@code ticket_text} view's text and language when that view is joined, else the labels'
     * {@code text} and {@code language}; the tenant from {@code account_id} (or {@code tenant}). What is not there is
     * null, and {@link #check} then names it.
     *
     * @param labelColumns the label rows' columns
     * @param views the joined views
     * @param labelTime the label time column
     * @param tasks the tasks' columns
     * @return the columns
     */
    public static TrainingSetColumns defaults(List<String> labelColumns, List<TrainingSetBuilder.ViewRef> views,
            String labelTime, Map<String, Task> tasks) {
        boolean textView = views.stream().anyMatch(v -> TicketTextView.NAME.equals(v.name()));
        String text = textView ? VIEW_TEXT : labelColumns.contains("text") ? "text" : null;
        String language = textView ? VIEW_LANGUAGE : labelColumns.contains("language") ? "language" : null;
        String tenant = labelColumns.contains("account_id") ? "account_id"
                : labelColumns.contains("tenant") ? "tenant" : null;
        return new TrainingSetColumns(text == null ? "text" : text, language, tenant, labelTime, tasks);
    }

    /**
     * Checks that every recorded column is one of {@code columns}.
     *
     * @param columns the training set's columns
     * @param where what is being read or written, for the message
     * @throws IllegalArgumentException naming the first missing column and its role
     */
    public void check(String[] columns, String where) {
        List<String> have = Arrays.asList(columns);
        for (Map.Entry<String, String> role : roles().entrySet()) {
            if (!have.contains(role.getValue())) {
                throw new IllegalArgumentException("Cannot use " + where + ": its " + role.getKey() + " column '"
                        + role.getValue() + "' is not among its columns " + have + ". Rebuild it with `cxml features training-set`, naming the column (--text-column, "
                        + "--language-column, --tenant-column, --label-time, --task-label TASK=COLUMN)");
            }
        }
    }

    /** @return role (e.g. {@code text}, {@code intent label}) -> column, for every column recorded */
    public Map<String, String> roles() {
        Map<String, String> out = new LinkedHashMap<>();
        out.put("text", text);
        if (language != null) {
            out.put("language", language);
        }
        if (tenant != null) {
            out.put("tenant", tenant);
        }
        out.put("label-time", labelTime);
        for (String task : new ArrayList<>(tasks.keySet())) {
            Task t = tasks.get(task);
            out.put(task + " label", t.label());
            if (t.text() != null) {
                out.put(task + " text", t.text());
            }
        }
        return out;
    }
}
