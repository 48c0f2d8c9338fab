package io.cxml.runtime.text.pretrained;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sentence embeddings match the Python reference (fixtures made by scripts/make_encoder_fixtures.py) to 1e-4, and the
 * folder's default prompt is prepended.
 */
class SentenceEmbedderTest {
    private static final double TOLERANCE = 1e-4;

    @TempDir
    Path tmp;

    @Test
    void miniLmMatchesSentenceTransformers() throws Exception {
        check(TestEncoders.minilm(), TestEncoders.read(TestEncoders.minilmExpected()));
    }

    @Test
    void tinyXlmRobertaMatchesTransformers() throws Exception {
        Path dir = TestEncoders.tinyXlmr();
        check(dir, TestEncoders.read(dir.resolve("expected.json")));
    }

    @Test
    void theFoldersDefaultPromptIsPrependedToEveryText() throws Exception {
        PretrainedFolder prompted = PretrainedFolder.open(TestEncoders.tinyXlmrWithPrompt(tmp.resolve("e5"),
                "query: "));
        PretrainedFolder plain = PretrainedFolder.open(TestEncoders.tinyXlmr());
        try (SentenceEmbedder withPrompt = new SentenceEmbedder(prompted, Device.cpu(), 4);
                SentenceEmbedder without = new SentenceEmbedder(plain, Device.cpu(), 4)) {
            assertEquals("query: ", withPrompt.prompt());
            assertEquals("", without.prompt());
            float[][] got = withPrompt.embed(List.of("x", "how do I reset my password"));
            float[][] want = without.embed(List.of("query: x", "query: how do I reset my password"));
            assertArrayEquals(want[0], got[0], "embedding of 'x' with the prompt = of 'query: x' without");
            assertArrayEquals(want[1], got[1]);
            assertFalse(Arrays.equals(without.embed(List.of("x"))[0], got[0]), "the prompt changes the embedding");
        }
    }

    private static void check(Path dir, JsonNode expected) {
        PretrainedFolder folder = PretrainedFolder.open(dir);
        assertEquals(expected.path("max_seq_length").asInt(), folder.maxSeqLength());
        List<String> sentences = new ArrayList<>();
        expected.path("sentences").forEach(s -> sentences.add(s.asText()));
        assertTrue(sentences.size() >= 10, "fixture has several sentences");
        try (SentenceEmbedder embedder = new SentenceEmbedder(folder, Device.cpu(), 4)) {
            for (int i = 0; i < sentences.size(); i++) {
                int[] ids = embedder.encoder().featurizer().featurize(sentences.get(i));
                int[] want = new int[expected.path("token_ids").get(i).size()];
                for (int j = 0; j < want.length; j++) {
                    want[j] = expected.path("token_ids").get(i).get(j).asInt();
                }
                assertArrayEquals(want, ids, "token ids of sentence " + i);
            }
            float[][] vectors = embedder.embed(sentences);
            for (int i = 0; i < sentences.size(); i++) {
                JsonNode row = expected.path("embeddings").get(i);
                assertEquals(row.size(), vectors[i].length, "dimension");
                double worst = 0;
                for (int j = 0; j < row.size(); j++) {
                    worst = Math.max(worst, Math.abs(row.get(j).asDouble() - vectors[i][j]));
                }
                assertTrue(worst <= TOLERANCE, "sentence " + i + " (" + sentences.get(i).length()
                        + " chars) differs from the reference by " + worst);
            }
        }
    }
}
