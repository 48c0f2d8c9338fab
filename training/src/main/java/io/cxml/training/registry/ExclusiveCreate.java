package io.cxml.training.registry;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.util.Locale;
import java.util.UUID;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FSDataOutputStreamBuilder;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Creates a file with its whole content, only if no file of that name exists: the one primitive the registry's
 * concurrency rests on. Of two writers of the same name exactly one wins, and a reader sees either no file or the
 * complete one.
 *
 * <ul>
 *   <li>Local files: the content goes to a temporary file that is then hard-linked to the name ({@code link(2)}
 *       fails atomically when the name exists).
 *   <li>S3A: a single PUT with {@code If-None-Match: *} (hadoop-aws 3.4.2 {@value #S3A_CONDITIONAL}, on by
 *       {@code fs.s3a.create.conditional.enabled}); the object appears whole when the PUT completes. AWS S3 checks
 *       the condition atomically; S3-compatible stores may only emulate it (s3proxy 4.1.0 with its filesystem
 *       backend checks, then writes), see docs/models.md.
 *   <li>Other Hadoop file systems: {@code create(path, overwrite=false)} (atomic on HDFS).
 * </ul>
 */
final class ExclusiveCreate {
    /** The Hadoop createFile option that makes S3A send {@code If-None-Match: *}. */
    static final String S3A_CONDITIONAL = "fs.option.create.conditional.overwrite";
    private static final int PRECONDITION_FAILED = 412;

    private ExclusiveCreate() {}

    /**
     * @param fs the file system of {@code target}
     * @param target the file to create (parent folders are created)
     * @param bytes its content
     * @return true when this call created it, false when it already existed
     * @throws IOException when the store fails
     */
    static boolean create(FileSystem fs, Path target, byte[] bytes) throws IOException {
        String scheme = fs.getUri().getScheme() == null ? "file" : fs.getUri().getScheme().toLowerCase(Locale.ROOT);
        return switch (scheme) {
            case "file" -> createLocal(java.nio.file.Path.of(fs.makeQualified(target).toUri()), bytes);
            case "s3a" -> createConditional(fs, target, bytes);
            default -> createNoOverwrite(fs, target, bytes);
        };
    }

    private static boolean createLocal(java.nio.file.Path target, byte[] bytes) throws IOException {
        Files.createDirectories(target.getParent());
        java.nio.file.Path tmp = target.resolveSibling("." + target.getFileName() + "." + UUID.randomUUID() + ".tmp");
        Files.write(tmp, bytes);
        try {
            Files.createLink(target, tmp);
            return true;
        } catch (FileAlreadyExistsException e) {
            return false;
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static boolean createConditional(FileSystem fs, Path target, byte[] bytes) throws IOException {
        if (fs.exists(target)) {
            return false;
        }
        try {
            FSDataOutputStreamBuilder<?, ?> builder = fs.createFile(target).overwrite(false).recursive();
            builder.must(S3A_CONDITIONAL, true);
            try (FSDataOutputStream out = builder.build()) {
                out.write(bytes);
            }
            return true;
        } catch (org.apache.hadoop.fs.FileAlreadyExistsException e) {
            return false;
        } catch (IOException e) {
            if (isPreconditionFailed(e)) {
                return false;
            }
            throw e;
        }
    }

    private static boolean createNoOverwrite(FileSystem fs, Path target, byte[] bytes) throws IOException {
        try (OutputStream out = fs.create(target, false)) {
            out.write(bytes);
            return true;
        } catch (org.apache.hadoop.fs.FileAlreadyExistsException e) {
            return false;
        }
    }

    private static boolean isPreconditionFailed(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof org.apache.hadoop.fs.FileAlreadyExistsException) {
                return true;
            }
            // The AWS SDK's exception is not on this module's compile classpath: match its status in the message.
            String m = t.getMessage();
            if (m != null && (m.contains("Status Code: " + PRECONDITION_FAILED) || m.contains("PreconditionFailed")
                    || m.contains("412 Precondition Failed"))) {
                return true;
            }
        }
        return false;
    }
}
