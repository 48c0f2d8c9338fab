package io.cxml.jobs.sample;

import java.io.Serializable;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/**
 * A change planted in the sample data from a given day on, so that drift monitoring and retraining can be shown
 * end to end ({@code generate-sample --scenario KIND[:DATE]}):
 * <ul>
 *   <li>{@link Kind#LANGUAGE_SHIFT}: {@value #LANGUAGE_SHIFT_SHARE} of every tenant's tickets come in
 *       {@value #LANGUAGE_SHIFT_TARGET} (a market opening);
 *   <li>{@link Kind#NEW_INTENT}: an English intent that no earlier ticket had appears, in
 *       {@value #NEW_INTENT_SHARE} of the English tickets (a new product);
 *   <li>{@link Kind#TEAM_REORG}: the largest tenant with three or more teams merges two of them into a new team
 *       (every ticket of either goes to it).
 * </ul>
 * Decisions draw from a random stream of their own, so a sample without scenarios is byte for byte what it was.
 *
 * @param kind what changes
 * @param from first day of the change (UTC)
 */
public record DriftScenario(Kind kind, LocalDate from) implements Serializable {
    /** Share of tickets switched to the target language. */
    public static final double LANGUAGE_SHIFT_SHARE = 0.4;
    /** Target language of the shift (ISO 639-1). */
    public static final String LANGUAGE_SHIFT_TARGET = "de";
    /** Share of English tickets that carry the new intent. */
    public static final double NEW_INTENT_SHARE = 0.25;

    /** The kinds of change. */
    public enum Kind {
        /** The language mix shifts. */
        LANGUAGE_SHIFT,
        /** A new intent appears. */
        NEW_INTENT,
        /** A tenant reorganises its teams. */
        TEAM_REORG;

        /** @return the command-line name, e.g. {@code language-shift} */
        public String cliName() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    /** Checks the arguments. */
    public DriftScenario {
        if (kind == null || from == null) {
            throw new IllegalArgumentException("Cannot plant a drift scenario without a kind and a first day");
        }
    }

    /**
     * @param text {@code KIND[:YYYY-MM-DD]}, e.g. {@code language-shift:2026-01-20}
     * @param defaultFrom the day used when none is given
     * @return the scenario
     */
    public static DriftScenario parse(String text, LocalDate defaultFrom) {
        String[] parts = text.trim().split(":", 2);
        Kind kind = null;
        for (Kind k : Kind.values()) {
            if (k.cliName().equals(parts[0].toLowerCase(Locale.ROOT))) {
                kind = k;
            }
        }
        if (kind == null) {
            throw new IllegalArgumentException("Cannot plant drift scenario '" + text + "': the kinds are "
                    + "language-shift, new-intent and team-reorg (KIND[:YYYY-MM-DD])");
        }
        try {
            return new DriftScenario(kind, parts.length > 1 ? LocalDate.parse(parts[1]) : defaultFrom);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("Cannot plant drift scenario '" + text + "': '" + parts[1]
                    + "' is not a date (YYYY-MM-DD)");
        }
    }

    /** @return {@code KIND:DATE} */
    @Override
    public String toString() {
        return kind.cliName() + ":" + from;
    }
}
