package io.cxml.jobs.cli;

import java.time.LocalDate;
import picocli.CommandLine.Option;

/** The optional {@code --from DATE --to DATE} window of the training commands (ticket creation days, inclusive). */
public final class DayWindow {
    @Option(names = "--from", paramLabel = "DATE",
            description = "First ticket creation day (curated data or feature store; default: all).")
    LocalDate from;

    @Option(names = "--to", paramLabel = "DATE", description = "Last ticket creation day, inclusive.")
    LocalDate to;

    /** @return the first day, or null */
    public LocalDate from() {
        return from;
    }

    /** @return the last day (inclusive), or null */
    public LocalDate to() {
        return to;
    }
}
