package io.cxml.s3;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.file.AccessDeniedException;
import java.util.Locale;

/**
 * Turns a failed read or write of an S3 path into an error that says what happened and what to do. The S3A committer
 * makes output visible only at job commit, so after a failed write nothing partial is visible and a re-run is safe;
 * the message says so.
 */
public final class S3Failures {
    private S3Failures() {}

    /**
     * Wraps a failure of an operation on a path.
     *
     * @param action what was attempted, e.g. {@code "write curated interactions"}
     * @param path the path
     * @param failure what was thrown (by Spark or Hadoop)
     * @return an exception whose message starts with {@code Cannot <action> <path>: <reason>.}, with the failure
     *     as cause
     */
    public static StorageException explain(String action, String path, Throwable failure) {
        String reason = reason(failure);
        String fix = path.startsWith("s3a:")
                ? " No partial output is visible (the S3A committer publishes only at job commit): fix the cause "
                        + "and re-run the same command."
                : " Fix the cause and re-run the same command.";
        return new StorageException("Cannot " + action + " " + path + ": " + reason + "." + fix, failure);
    }

    /**
     * @param failure a failure
     * @return a one-line reason naming the root cause class
     */
    static String reason(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            String msg = String.valueOf(t.getMessage()).toLowerCase(Locale.ROOT);
            if (t instanceof ConnectException || msg.contains("connection refused")
                    || t instanceof NoRouteToHostException) {
                return "the S3 endpoint is unreachable (" + firstLine(t) + "); check cxml.storage.s3.endpoint and "
                        + "that the object store is up";
            }
            if (t instanceof UnknownHostException) {
                return "the S3 endpoint host cannot be resolved (" + firstLine(t) + "); check "
                        + "cxml.storage.s3.endpoint and cxml.storage.s3.region";
            }
            if (t instanceof SocketTimeoutException) {
                return "the S3 endpoint timed out (" + firstLine(t) + ")";
            }
            if (t instanceof AccessDeniedException || msg.contains("403") || msg.contains("access denied")) {
                return "access denied (" + firstLine(t) + "); check the credentials in the AWS provider chain "
                        + "(AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, profile or instance role)";
            }
            if (msg.contains("nosuchbucket") || msg.contains("bucket does not exist")) {
                return "the bucket does not exist (" + firstLine(t) + ")";
            }
        }
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return firstLine(root);
    }

    private static String firstLine(Throwable t) {
        String msg = t.getMessage() == null ? "" : t.getMessage();
        int nl = msg.indexOf('\n');
        String line = nl < 0 ? msg : msg.substring(0, nl);
        if (line.length() > 300) {
            line = line.substring(0, 300) + "...";
        }
        return t.getClass().getSimpleName() + (line.isEmpty() ? "" : ": " + line);
    }
}
