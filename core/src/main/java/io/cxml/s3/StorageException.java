package io.cxml.s3;

/** A storage read or write failed; the message says what to fix, the cause holds the original failure. */
public final class StorageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what failed and how to fix it
     * @param cause the original failure
     */
    public StorageException(String message, Throwable cause) {
        super(message, cause);
    }
}
