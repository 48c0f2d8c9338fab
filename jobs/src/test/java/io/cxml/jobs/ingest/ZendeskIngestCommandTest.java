package io.cxml.jobs.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.cxml.jobs.CliTestBase;
import io.cxml.jobs.Cxml;
import io.cxml.testing.LocalSpark;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code cxml ingest --source zendesk} as a user runs it, on feature-store's Zendesk fixture. */
class ZendeskIngestCommandTest extends CliTestBase {
    @TempDir
    Path root;

    @Test
    void ingestsTheZendeskExportAndPrintsItsCounts() throws IOException {
        Path fixture = LocalSpark.projectDir().resolve("feature-store/src/test/resources/zendesk/export");
        try (Stream<Path> files = Files.walk(fixture)) {
            for (Path f : files.toList()) {
                Path to = root.resolve("raw/zendesk").resolve(fixture.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(f, to);
                }
            }
        }
        String storage = "cxml.storage.root=" + root;

        assertThat(cxml("ingest", "--source", "zendesk", "--from", "2026-03-02", "--to", "2026-03-04",
                "--conf", storage)).isZero();
        assertThat(stdoutText()).containsPattern("curated\\s+4").containsPattern("quarantined\\s+6")
                .containsPattern("private_notes\\s+2").containsPattern("side_conversations\\s+1");
        assertThat(Files.isDirectory(root.resolve("curated/interactions"))).isTrue();

        assertThat(cxml("ingest", "--source", "zendesk", "--conf", storage)).isEqualTo(Cxml.EXIT_USAGE);
        assertThat(stderrText()).contains("--from");
    }
}
