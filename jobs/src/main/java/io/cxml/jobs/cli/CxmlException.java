package io.cxml.jobs.cli;

/** A failure the user can act on; the CLI prints its message as the one-line cause, without a stack trace. */
public final class CxmlException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** @param message the cause and, where known, the fix */
    public CxmlException(String message) {
        super(message);
    }

    /**
     * @param message the cause and, where known, the fix
     * @param cause the underlying error
     */
    public CxmlException(String message, Throwable cause) {
        super(message, cause);
    }
}
