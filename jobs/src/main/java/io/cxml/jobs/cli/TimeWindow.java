package io.cxml.jobs.cli;

import io.cxml.jobs.config.ConfigError;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import picocli.CommandLine.Option;

/** The {@code --from TS --to TS} window of the commands over scored tickets (score, monitor drift and quality). */
public final class TimeWindow {
    @Option(names = "--from", required = true, paramLabel = "TS",
            description = "First creation time included: 2026-01-01 or 2026-01-01T06:00:00Z.")
    String from;

    @Option(names = "--to", required = true, paramLabel = "TS",
            description = "First creation time excluded (a date means its midnight).")
    String to;

    /** @return {@code --from} as an instant */
    public Instant from() {
        return time(from, "--from");
    }

    /** @return {@code --to} as an instant */
    public Instant to() {
        return time(to, "--to");
    }

    /**
     * @param value a date (its midnight, UTC) or a UTC time
     * @param option the option's name, for the message
     * @return the instant
     * @throws ConfigError when it is neither
     */
    public static Instant time(String value, String option) {
        try {
            return value.length() == 10 ? LocalDate.parse(value).atStartOfDay(ZoneOffset.UTC).toInstant()
                    : Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw new ConfigError("Cannot read " + option + " " + value + ": use a date (2026-01-01) or a UTC time "
                    + "(2026-01-01T06:00:00Z)");
        }
    }
}
