package io.cxml.runtime.text.pretrained;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sentence embeddings match the Python reference (fixtures made by scripts/make_encoder_fixtures.py) to 1e-4; the
 * folder's default prompt is prepended; truncation is reported; concurrent calls embed as sequential ones.
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

    @Test
    void truncationIsReportedPerText() throws Exception {
        PretrainedFolder folder = PretrainedFolder.open(TestEncoders.tinyXlmr());
        String text = "my card was charged twice for the same order";
        int tokens;
        try (SentenceEmbedder full = new SentenceEmbedder(folder, Device.cpu(), 4)) {
            assertEquals(folder.maxSeqLength(), full.maxTokens());
            tokens = full.encoder().featurizer().featurize(text).length;
            assertTrue(tokens > 4, "the text has " + tokens + " tokens");
            SentenceEmbedder.Embedded embedded = full.embedAll(List.of(text, ""));
            assertArrayEquals(new boolean[] {false, false}, embedded.truncated());
            assertEquals(0, embedded.truncatedCount());
        }
        try (SentenceEmbedder exact = new SentenceEmbedder(folder, Device.cpu(), 4, tokens);
                SentenceEmbedder shorter = new SentenceEmbedder(folder, Device.cpu(), 4, tokens - 1)) {
            assertFalse(exact.embedAll(List.of(text)).truncated()[0], "exactly at the limit is not truncated");
            SentenceEmbedder.Embedded cut = shorter.embedAll(List.of("a", text, "b"));
            assertArrayEquals(new boolean[] {false, true, false}, cut.truncated());
            assertEquals(1, cut.truncatedCount());
            assertEquals(3, cut.vectors().length);
        }
        try (SentenceEmbedder capped = new SentenceEmbedder(folder, Device.cpu(), 4, 100_000)) {
            assertEquals(folder.maxSeqLength(), capped.maxTokens(), "capped by the folder's maximum");
        }
        PretrainedFolder prompted = PretrainedFolder.open(TestEncoders.tinyXlmrWithPrompt(tmp.resolve("e5"),
                "query: "));
        try (SentenceEmbedder withPrompt = new SentenceEmbedder(prompted, Device.cpu(), 4, tokens)) {
            assertTrue(withPrompt.embedAll(List.of(text)).truncated()[0], "the prompt's tokens count too");
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new SentenceEmbedder(folder, Device.cpu(), 4, -1));
        assertTrue(e.getMessage().contains("0 for the folder's maximum"), e.getMessage());
    }

    @Test
    void concurrentCallsEmbedAsSequentialOnes() throws Exception {
        Path dir = TestEncoders.tinyXlmr();
        List<String> sentences = new ArrayList<>();
        TestEncoders.read(dir.resolve("expected.json")).path("sentences").forEach(s -> sentences.add(s.asText()));
        try (SentenceEmbedder embedder = new SentenceEmbedder(PretrainedFolder.open(dir), Device.cpu(), 3)) {
            float[][] want = embedder.embed(sentences);
            int threads = 2;
            CyclicBarrier start = new CyclicBarrier(threads);
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            try {
                List<Future<List<float[][]>>> runs = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    int shift = t;
                    runs.add(pool.submit(() -> {
                        start.await();
                        List<float[][]> got = new ArrayList<>();
                        for (int round = 0; round < 10; round++) {
                            // Each thread in its own order, so that the two batch different texts at the same time.
                            List<String> order = new ArrayList<>(sentences);
                            Collections.rotate(order, shift * 5 + round);
                            float[][] vectors = embedder.embed(order);
                            float[][] back = new float[vectors.length][];
                            for (int i = 0; i < vectors.length; i++) {
                                back[Math.floorMod(i - shift * 5 - round, vectors.length)] = vectors[i];
                            }
                            got.add(back);
                        }
                        return got;
                    }));
                }
                for (Future<List<float[][]>> run : runs) {
                    for (float[][] got : run.get(2, TimeUnit.MINUTES)) {
                        for (int i = 0; i < sentences.size(); i++) {
                            assertArrayEquals(want[i], got[i], "sentence " + i);
                        }
                    }
                }
            } finally {
                pool.shutdownNow();
            }
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
