package io.cxml.warehouse;

/** Publishing to the warehouse failed; the message says whether the target changed and what to do. */
public final class WarehouseException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what failed and how to fix it
     * @param cause the original failure
     */
    public WarehouseException(String message, Throwable cause) {
        super(message, cause);
    }
}
