package io.cxml.jobs.cli;

/**
 * A job's window selected nothing (no export files, no tickets): the run ends with outcome {@code empty} and exit
 * {@value io.cxml.jobs.Cxml#EXIT_EMPTY_WINDOW} instead of succeeding on zero rows. The message says what was empty
 * and what to check.
 */
public final class EmptyWindow extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** @param message what the window held nothing of, and what to check */
    public EmptyWindow(String message) {
        super(message);
    }
}
