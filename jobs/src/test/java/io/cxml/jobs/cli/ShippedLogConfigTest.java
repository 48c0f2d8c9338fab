package io.cxml.jobs.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The shipped console log configuration ({@code conf/log4j2.properties}) drops Spark's well-known noise and nothing
 * else; the verbose one filters nothing. Read as log4j2 reads it (a properties file: backslashes are escapes).
 */
class ShippedLogConfigTest {
    private static Properties load(String file) throws Exception {
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(Path.of(System.getProperty("cxml.project.dir", ".."), "conf", file))) {
            p.load(in);
        }
        return p;
    }

    @Test
    void theNoiseFilterDropsTheKnownSparkLinesOnly() throws Exception {
        Properties p = load("log4j2.properties");
        assertThat(p.getProperty("appender.console.filter.noise.onMatch")).isEqualTo("DENY");
        Pattern noise = Pattern.compile(p.getProperty("appender.console.filter.noise.regex"));
        for (String line : new String[] {
            "Broadcasting large task binary with size 1337.2 KiB",
            "Using an existing Spark session; only runtime SQL configurations will take effect.",
            "Stage 90 contains a task of very large size (1562 KiB). The maximum recommended task size is 1000 KiB."}) {
            assertThat(noise.matcher(line).matches()).as(line).isTrue();
        }
        for (String line : new String[] {
            "Lost task 3.0 in stage 36.0 (TID 66): FAILED_READ_FILE",
            "Step 1/3: reading curated tickets created in [2026-01-01T00:00:00Z, 2026-01-04T00:00:00Z)",
            "Stage cancelled: job aborted"}) {
            assertThat(noise.matcher(line).matches()).as(line).isFalse();
        }
        assertThat(load("log4j2-verbose.properties").stringPropertyNames()).noneMatch(k -> k.contains("filter"));
    }
}
