package io.cxml.jobs.cli;

import java.time.LocalDate;
import picocli.CommandLine.Option;

/**
 * The optional {@code --from DATE --to DATE} window of the training commands: ticket creation days {@code [from, to)},
 * half-open like every cxml window and Airflow's data intervals ({@code --to} is the first day left out).
 */
public final class DayWindow {
    @Option(names = "--from", paramLabel = "DATE",
            description = "First ticket creation day (curated data or feature store; default: all).")
    LocalDate from;

    @Option(names = "--to", paramLabel = "DATE", description = "First ticket creation day left out: the window is "
            + "[--from, --to) (default: all).")
    LocalDate to;

    /** @return the first day, or null */
    public LocalDate from() {
        return from;
    }

    /** @return the first day left out, or null */
    public LocalDate to() {
        return to;
    }
}
