package io.cxml.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ListingFingerprintTest {
    @TempDir
    Path dir;

    private String fingerprint(String seed) throws Exception {
        FileSystem fs = FileSystem.getLocal(new Configuration());
        ListingFingerprint f = ListingFingerprint.of(seed);
        for (String name : new String[] {"a.params", "b.json"}) {
            f.add(name, fs.getFileStatus(new org.apache.hadoop.fs.Path(dir.resolve(name).toUri())));
        }
        return f.hex(24);
    }

    @Test
    void changesWhenAFileIsRewrittenOrTheSeedDiffers() throws Exception {
        Files.writeString(dir.resolve("a.params"), "weights");
        Files.writeString(dir.resolve("b.json"), "{}");
        String before = fingerprint("s3a://bucket/model");
        assertEquals(24, before.length());
        assertEquals(before, fingerprint("s3a://bucket/model"), "an unchanged listing keeps its fingerprint");
        assertNotEquals(before, fingerprint("s3a://bucket/other"), "the seed (the folder's URI) is covered");

        Files.writeString(dir.resolve("a.params"), "new weights");
        assertNotEquals(before, fingerprint("s3a://bucket/model"), "a rewritten file changes it");

        String longer = fingerprint("s3a://bucket/model");
        Files.setLastModifiedTime(dir.resolve("b.json"), java.nio.file.attribute.FileTime.fromMillis(1_000));
        assertNotEquals(longer, fingerprint("s3a://bucket/model"), "a new modification time changes it");
    }
}
