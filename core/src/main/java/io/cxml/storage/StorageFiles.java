package io.cxml.storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/** File-system checks the jobs share, on any Hadoop file system (local, S3A), with errors that name the path. */
public final class StorageFiles {
    private StorageFiles() {}

    /**
     * @param path a file or folder
     * @param hadoop the Hadoop configuration (S3A settings apply)
     * @return true when it exists
     */
    public static boolean exists(String path, Configuration hadoop) {
        try {
            Path p = new Path(path);
            return p.getFileSystem(hadoop).exists(p);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot check " + path + ": " + e.getMessage(), e);
        }
    }

    /**
     * Deletes a file or folder (recursively) when it exists.
     *
     * @param path a file or folder
     * @param hadoop the Hadoop configuration
     */
    public static void deleteIfExists(String path, Configuration hadoop) {
        try {
            Path p = new Path(path);
            FileSystem fs = p.getFileSystem(hadoop);
            if (fs.exists(p)) {
                fs.delete(p, true);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot delete " + path + ": " + e.getMessage(), e);
        }
    }
}
