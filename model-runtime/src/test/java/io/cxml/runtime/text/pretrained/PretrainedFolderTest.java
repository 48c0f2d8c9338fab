package io.cxml.runtime.text.pretrained;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Folder validation: what is missing or unsupported is named. */
class PretrainedFolderTest {
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
    }
}
