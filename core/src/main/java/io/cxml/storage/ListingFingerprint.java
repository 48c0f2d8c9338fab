package io.cxml.storage;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.apache.hadoop.fs.EtagSource;
import org.apache.hadoop.fs.FileStatus;

/**
 * A digest of a directory listing: each file's name, length, modification time and ETag (when the file system gives
 * one, as S3A does). The one home of "has this remote folder changed?", keying the executors' model caches and the
 * local copies of remote folders: a folder rewritten at the same URI gets a new fingerprint.
 */
public final class ListingFingerprint {
    private final MessageDigest digest;

    private ListingFingerprint(String seed) {
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        digest.update((seed + "\n").getBytes(StandardCharsets.UTF_8));
    }

    /**
     * @param seed what else the fingerprint covers (e.g. the folder's URI; may be empty)
     * @return an empty fingerprint
     */
    public static ListingFingerprint of(String seed) {
        return new ListingFingerprint(seed);
    }

    /**
     * Adds one file; callers add files in a stable order (e.g. sorted by name).
     *
     * @param name the file's name inside the folder
     * @param status its status
     * @return this
     */
    public ListingFingerprint add(String name, FileStatus status) {
        String etag = status instanceof EtagSource e ? e.getEtag() : null;
        digest.update((name + ":" + status.getLen() + ":" + status.getModificationTime() + ":"
                + (etag == null ? "" : etag) + ";").getBytes(StandardCharsets.UTF_8));
        return this;
    }

    /**
     * @param chars how many hex characters to keep (at most 64)
     * @return the digest as hex
     */
    public String hex(int chars) {
        return HexFormat.of().formatHex(digest.digest()).substring(0, chars);
    }
}
