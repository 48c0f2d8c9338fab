package io.cxml.jobs.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cxml.testing.LocalSpark;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
    private static final Path CONF = LocalSpark.projectDir().resolve("conf");

    private static ConfigLoader loader() {
        return ConfigLoader.create().optConfDir(CONF);
    }

    @Test
    void defaultsAreTheEmbeddedLocalSetup() {
        CxmlConfig config = loader().load();

        assertThat(config.getString("cxml.storage.root")).isEqualTo("./data");
        assertThat(config.getString("cxml.spark.master")).isEqualTo("local[*]");
        assertThat(config.getStringMap("cxml.spark.conf")).containsEntry("spark.ui.enabled", "false");
    }

    @Test
    void bundledCopiesMatchTheRepoFiles() {
        // The jar's copies (used under spark-submit) are the same files as conf/ (used by bin/cxml).
        CxmlConfig fromRepo = loader().load();
        CxmlConfig fromJar = ConfigLoader.create().load();

        assertThat(fromJar.renderRedacted()).isEqualTo(fromRepo.renderRedacted());
    }

    @Test
    void precedenceIsOverrideThenFileThenEnvOverlayThenDefaults(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("extra.conf");
        Files.writeString(file, "cxml.sample.days = 7\ncxml.sample.accounts = 3\n");

        CxmlConfig config = loader().optEnv("dev").optConfigFile(file)
                .addOverrides(List.of("cxml.sample.accounts=5", "spark.sql.shuffle.partitions=3")).load();

        assertThat(config.getLong("cxml.sample.tickets")).isEqualTo(200_000); // dev overlay
        assertThat(config.getInt("cxml.sample.days")).isEqualTo(7); // file beats overlay
        assertThat(config.getInt("cxml.sample.accounts")).isEqualTo(5); // --conf beats file
        assertThat(config.getStringMap("cxml.spark.conf")).containsEntry("spark.sql.shuffle.partitions", "3");
        assertThat(config.sources()).hasSize(4);
    }

    @Test
    void overridesAcceptUrisListsAndCoercedNumbers() {
        CxmlConfig config = loader().addOverrides(List.of("cxml.storage.root=s3a://bucket/cxml//x",
                "cxml.sample.tickets=1000")).load();

        assertThat(config.getString("cxml.storage.root")).isEqualTo("s3a://bucket/cxml//x");
        assertThat(config.getLong("cxml.sample.tickets")).isEqualTo(1000);
    }

    @Test
    void unknownKeyFailsWithTheClosestKnownKey() {
        assertThatThrownBy(() -> loader().addOverrides(List.of("cxml.storage.rot=/tmp")).load())
                .isInstanceOf(ConfigError.class)
                .hasMessageStartingWith("Unknown config key 'cxml.storage.rot' (from --conf cxml.storage.rot)")
                .hasMessageContaining("did you mean 'cxml.storage.root'?");
    }

    @Test
    void unknownKeyInAFileNamesTheFile(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("bad.conf");
        Files.writeString(file, "cxml.ingest.max-text-char = 10\n");

        assertThatThrownBy(() -> loader().optConfigFile(file).load())
                .isInstanceOf(ConfigError.class)
                .hasMessageContaining("'cxml.ingest.max-text-char'")
                .hasMessageContaining("bad.conf")
                .hasMessageContaining("did you mean 'cxml.ingest.max-text-chars'?");
    }

    @Test
    void wrongTypeFailsNamingKeyAndExpectedType() {
        assertThatThrownBy(() -> loader().addOverrides(List.of("cxml.sample.tickets=many")).load())
                .isInstanceOf(ConfigError.class)
                .hasMessage("Wrong type for config key 'cxml.sample.tickets' (from --conf cxml.sample.tickets): "
                        + "expected a number, got \"many\"");
    }

    @Test
    void missingRequiredValueNamesTheKey() {
        // prod.conf requires the storage root from CXML_STORAGE_ROOT, which this test JVM does not set.
        CxmlConfig prod = loader().optEnv("prod").load();

        assertThatThrownBy(() -> prod.getString("cxml.storage.root"))
                .isInstanceOf(ConfigError.class)
                .hasMessageStartingWith("Missing required config key 'cxml.storage.root'");
    }

    @Test
    void unknownEnvironmentIsAnError() {
        assertThatThrownBy(() -> loader().optEnv("staging").load())
                .isInstanceOf(ConfigError.class)
                .hasMessageStartingWith("Cannot use --env staging: no staging.conf in");
    }

    @Test
    void malformedOverrideIsAnError() {
        assertThatThrownBy(() -> loader().addOverrides(List.of("cxml.sample.tickets")).load())
                .isInstanceOf(ConfigError.class)
                .hasMessageContaining("expected KEY=VALUE");
    }

    @Test
    void secretsAreRedactedWhenShown() {
        String secret = "s3cr3t-value-123";
        CxmlConfig config = loader().addOverrides(List.of("spark.hadoop.fs.s3a.secret.key=" + secret,
                "spark.hadoop.fs.s3a.access.key=AKIAEXAMPLE")).load();

        assertThat(config.renderRedacted()).doesNotContain(secret).doesNotContain("AKIAEXAMPLE")
                .contains(Secrets.REDACTED);
        assertThat(config.redactedEntries().values()).doesNotContain(secret);
        assertThat(Secrets.isSecretKey("cxml.snowflake.password")).isTrue();
        assertThat(Secrets.isSecretKey("cxml.storage.root")).isFalse();
    }
}
