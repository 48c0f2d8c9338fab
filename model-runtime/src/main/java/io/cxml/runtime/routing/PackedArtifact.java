package io.cxml.runtime.routing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * One packed artifact: tenant models written back to back by one training task, each at the offset the index
 * records. Written to a name unique to the task attempt, so a retried or speculative attempt never mixes its bytes
 * with another's; the driver indexes only the attempts whose results it received.
 */
public final class PackedArtifact implements AutoCloseable {
    private final String name;
    private final FSDataOutputStream out;

    private PackedArtifact(String name, FSDataOutputStream out) {
        this.name = name;
        this.out = out;
    }

    /**
     * @param modelUri the version's model directory
     * @param name the artifact's file name
     * @param hadoop Hadoop configuration
     * @return an open artifact
     */
    public static PackedArtifact create(String modelUri, String name, Configuration hadoop) {
        Path file = new Path(modelUri, name);
        try {
            return new PackedArtifact(name, file.getFileSystem(hadoop).create(file, true));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create routing artifact " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * @param model a model
     * @param examples its training examples
     * @param mostFrequentTeam its most frequent training team
     * @return its index entry
     */
    public RoutingIndex.Entry append(TenantModel model, int examples, String mostFrequentTeam) {
        byte[] bytes = model.toBytes();
        try {
            long offset = out.getPos();
            out.write(bytes);
            return new RoutingIndex.Entry(name, offset, bytes.length, List.copyOf(model.teams()), examples,
                    mostFrequentTeam);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write routing artifact " + name + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        try {
            out.close();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot finish routing artifact " + name + ": " + e.getMessage(), e);
        }
    }

    /**
     * Reads one model (only its bytes).
     *
     * @param in an open artifact
     * @param entry the model's index entry
     * @return the model
     */
    public static TenantModel read(FSDataInputStream in, RoutingIndex.Entry entry) {
        byte[] bytes = new byte[entry.length()];
        try {
            in.readFully(entry.offset(), bytes);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read routing model at " + entry.artifact() + "@" + entry.offset()
                    + ": " + e.getMessage() + ". The version is incomplete or corrupt: retrain routing", e);
        }
        return TenantModel.fromBytes(bytes);
    }

    /**
     * @param modelUri the version's model directory
     * @param name an artifact
     * @param hadoop Hadoop configuration
     * @return the artifact opened for positioned reads
     */
    public static FSDataInputStream open(String modelUri, String name, Configuration hadoop) {
        Path file = new Path(modelUri, name);
        try {
            FileSystem fs = file.getFileSystem(hadoop);
            return fs.open(file);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot open routing artifact " + file + ": " + e.getMessage()
                    + ". The version is incomplete or corrupt: retrain routing", e);
        }
    }
}
