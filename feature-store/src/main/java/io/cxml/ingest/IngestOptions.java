package io.cxml.ingest;

import java.io.Serializable;

/**
 * Settings of the interaction ingest, resolved once on the driver.
 *
 * @param maxTextChars longest accepted subject or message body; longer records are quarantined
 * @param quarantineRecordChars how much of a rejected raw line the quarantine keeps
 */
public record IngestOptions(int maxTextChars, int quarantineRecordChars) implements Serializable {
    /** Default for {@link #maxTextChars}: far above any real ticket, well below what breaks a Parquet page. */
    public static final int MAX_TEXT_CHARS_DEFAULT = 20_000;
    /** Default for {@link #quarantineRecordChars}. */
    public static final int QUARANTINE_RECORD_CHARS_DEFAULT = 4_096;

    /** Checks bounds. */
    public IngestOptions {
        if (maxTextChars <= 0) {
            throw new IllegalArgumentException("Cannot ingest with max-text-chars=" + maxTextChars + ": must be > 0");
        }
        if (quarantineRecordChars <= 0) {
            throw new IllegalArgumentException(
                    "Cannot ingest with quarantine-record-chars=" + quarantineRecordChars + ": must be > 0");
        }
    }

    /** @return the defaults */
    public static IngestOptions defaults() {
        return new IngestOptions(MAX_TEXT_CHARS_DEFAULT, QUARANTINE_RECORD_CHARS_DEFAULT);
    }
}
