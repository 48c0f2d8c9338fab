package io.cxml.jobs.cli;

import io.cxml.jobs.config.ConfigError;
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

    /**
     * Checks a half-open day window, the one rule every day-window job shares.
     *
     * @param action what the job does, for the message ("ingest", "retrain on")
     * @param from first day
     * @param to first day left out
     * @return the window's last day ({@code to - 1}: exports and stores are partitioned by day)
     * @throws ConfigError when {@code --to} is not after {@code --from}
     */
    public static LocalDate lastDay(String action, LocalDate from, LocalDate to) {
        if (!to.isAfter(from)) {
            throw new ConfigError("Cannot " + action + " [" + from + ", " + to + "): --to is the first day left out, "
                    + "so it must be after --from (one day: --to " + from.plusDays(1) + ")");
        }
        return to.minusDays(1);
    }
}
