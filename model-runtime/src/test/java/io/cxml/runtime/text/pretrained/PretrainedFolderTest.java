package io.cxml.runtime.text.pretrained;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Folder validation: what is missing or unsupported is named; the checksum and the default prompt. */
class PretrainedFolderTest {
    /** The tiny XLM-R fixture's checksum: SHA-256 over the names and bytes of its three required files. */
    private static final String TINY_XLMR_CHECKSUM =
            "16beecbf0d967f48dbca3c17074a187a5c80b75968acba9b117239bdedf208a7";

    @TempDir
    Path dir;

    @Test
    void missingFileIsNamed() throws Exception {
        Files.copy(TestEncoders.tinyXlmr().resolve("config.json"), dir.resolve("config.json"));
        Files.copy(TestEncoders.tinyXlmr().resolve("tokenizer.json"), dir.resolve("tokenizer.json"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PretrainedFolder.open(dir));
        assertTrue(e.getMessage().contains("model.safetensors is missing"), e.getMessage());
    }

    @Test
    void unsupportedArchitectureIsNamed() throws Exception {
        for (String file : new String[] {"tokenizer.json", "model.safetensors"}) {
            Files.copy(TestEncoders.tinyXlmr().resolve(file), dir.resolve(file));
        }
        Files.writeString(dir.resolve("config.json"), Files.readString(TestEncoders.tinyXlmr().resolve("config.json"))
                .replace("\"xlm-roberta\"", "\"gpt2\""));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PretrainedFolder.open(dir));
        assertTrue(e.getMessage().contains("model_type 'gpt2'"), e.getMessage());
    }

    @Test
    void readsArchitecturePoolingAndChecksum() throws Exception {
        PretrainedFolder folder = PretrainedFolder.open(TestEncoders.tinyXlmr());
        assertEquals("xlm-roberta", folder.config().modelType());
        assertEquals("mean", folder.config().pooling());
        assertEquals(false, folder.config().normalize());
        assertEquals(64, folder.checksum().length());
        Path copy = dir.resolve("copy");
        Files.createDirectories(copy);
        for (String file : new String[] {"config.json", "tokenizer.json", "model.safetensors"}) {
            Files.copy(TestEncoders.tinyXlmr().resolve(file), copy.resolve(file), StandardCopyOption.REPLACE_EXISTING);
        }
        assertEquals(folder.checksum(), PretrainedFolder.open(copy).checksum());
        assertEquals(TINY_XLMR_CHECKSUM, folder.checksum(), "the checksum of a folder without a prompt never changes");
        assertEquals("", folder.defaultPrompt());
    }

    @Test
    void theDefaultPromptComesFromTheFolderAndIsPartOfItsChecksum() throws Exception {
        PretrainedFolder query = PretrainedFolder.open(TestEncoders.tinyXlmrWithPrompt(dir.resolve("query"),
                "query: "));
        assertEquals("query: ", query.defaultPrompt());
        assertNotEquals(TINY_XLMR_CHECKSUM, query.checksum(), "the prompt changes every embedding");
        PretrainedFolder other = PretrainedFolder.open(TestEncoders.tinyXlmrWithPrompt(dir.resolve("other"),
                "search_query: "));
        assertNotEquals(query.checksum(), other.checksum());
        assertEquals(query.checksum(), PretrainedFolder.open(dir.resolve("query")).checksum());
    }

    @Test
    void settingsWithoutADefaultPromptLeaveTheChecksumAsItWas() throws Exception {
        // As all-MiniLM-L6-v2 ships it (versions only), with prompts but none by default, and with an empty one.
        String[] settings = {
            "{\"__version__\": {\"sentence_transformers\": \"2.0.0\"}}",
            "{\"prompts\": {\"query\": \"query: \"}, \"default_prompt_name\": null}",
            "{\"prompts\": {\"query\": \"\"}, \"default_prompt_name\": \"query\"}",
        };
        for (int i = 0; i < settings.length; i++) {
            Path copy = TestEncoders.tinyXlmrWithPrompt(dir.resolve("copy" + i), "unused");
            Files.writeString(copy.resolve(PretrainedFolder.PROMPTS_CONFIG), settings[i]);
            PretrainedFolder folder = PretrainedFolder.open(copy);
            assertEquals("", folder.defaultPrompt(), settings[i]);
            assertEquals(TINY_XLMR_CHECKSUM, folder.checksum(), settings[i]);
        }
    }

    @Test
    void anUnknownDefaultPromptIsNamed() throws Exception {
        Path copy = TestEncoders.tinyXlmrWithPrompt(dir.resolve("copy"), "query: ");
        Files.writeString(copy.resolve(PretrainedFolder.PROMPTS_CONFIG),
                "{\"prompts\": {\"query\": \"query: \"}, \"default_prompt_name\": \"document\"}");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PretrainedFolder.open(copy));
        assertTrue(e.getMessage().contains("default prompt 'document'") && e.getMessage().contains("[query]"),
                e.getMessage());
    }

    @Test
    void aPromptLeftOutOfThePoolingIsRefused() throws Exception {
        Path copy = TestEncoders.tinyXlmrWithPrompt(dir.resolve("copy"), "Represent this sentence: ");
        Path pooling = copy.resolve("1_Pooling/config.json");
        Files.writeString(pooling, Files.readString(pooling).replace("{", "{\"include_prompt\": false,"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PretrainedFolder.open(copy));
        assertTrue(e.getMessage().contains("include_prompt false"), e.getMessage());
    }
}
