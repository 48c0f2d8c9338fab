package io.cxml.runtime.embedding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cxml.runtime.model.ClassifierSpec;
import io.cxml.runtime.model.Prediction;
import io.cxml.runtime.text.FeaturizerConfig;
import io.cxml.runtime.text.HashedNgramFeaturizer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The head's arithmetic, its parameter file and its refusals. */
class EmbeddingHeadTest {
    private static final BaseEncoder BASE = new BaseEncoder("/models/e5", "e5", "ab".repeat(32), 128);

    @Test
    void probabilitiesAreTheTemperedSoftmaxOfTheLogits() {
        EmbeddingHead head = new EmbeddingHead(3, 2, new float[] {1, 0, 0, 1, -1, -1}, new float[] {0, 0.5f, 0});
        float[] p = head.probabilities(new float[] {2, 1}, null, 2.0);
        double[] logits = {2 / 2.0, 1.5 / 2.0, -3 / 2.0};
        double sum = Math.exp(logits[0]) + Math.exp(logits[1]) + Math.exp(logits[2]);
        for (int c = 0; c < 3; c++) {
            assertThat((double) p[c]).isCloseTo(Math.exp(logits[c]) / sum, org.assertj.core.data.Offset.offset(1e-6));
        }
        ClassifierSpec spec = new ClassifierSpec(EmbeddingHead.encoderSpec(BASE, 2), List.of("a", "b", "c"), 2.0,
                0.5);
        Prediction prediction = head.predict(new float[] {2, 1}, "ignored", spec, 2);
        assertThat(prediction.label()).isEqualTo("a");
        assertThat(prediction.topK()).extracting(Prediction.ScoredLabel::label).containsExactly("a", "b");
        assertThat(prediction.routedLabel()).isEqualTo(prediction.confidence() < 0.5 ? "unknown" : "a");
    }

    @Test
    void parameterFileRoundTripsBitForBit() {
        float[] w = new float[4 * 5];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) Math.sin(i * 1.7) / 3;
        }
        EmbeddingHead head = new EmbeddingHead(4, 5, w, new float[] {0.1f, -0.2f, 0.3f, Float.MIN_VALUE});
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        head.write(out);
        EmbeddingHead read = EmbeddingHead.read(new ByteArrayInputStream(out.toByteArray()), "memory");
        float[] v = {0.3f, -1, 2, 0.5f, 0.25f};
        assertThat(read.probabilities(v, null, 1)).containsExactly(head.probabilities(v, null, 1));
        assertThat(read.ngrams()).as("a head on the vector alone reads back without an n-gram block").isNull();
        assertThat(read.dim()).isEqualTo(5);
        assertThat(read.classes()).isEqualTo(4);
    }

    @Test
    void aHybridHeadAddsTheTextsNgramLogitsAndRoundTrips() {
        FeaturizerConfig config = new FeaturizerConfig(32, 2, 3, 4, 128);
        float[] u = new float[2 * 32];
        for (int i = 0; i < u.length; i++) {
            u[i] = (float) Math.cos(i * 2.3);
        }
        EmbeddingHead head = new EmbeddingHead(2, 3, new float[] {1, 0, 0, 0, 1, 0}, new float[] {0, 0.1f},
                new NgramBlock(config, 2, u));
        float[] v = {0.5f, 0.2f, -1};
        // The logits by hand: W v + b + U x, x the text's bucket counts scaled to unit length.
        NgramBlock.Features x = NgramBlock.features(new HashedNgramFeaturizer(config), "Card not arrived");
        double norm = 0;
        for (float value : x.values()) {
            norm += value * value;
        }
        assertThat(norm).isCloseTo(1, org.assertj.core.data.Offset.offset(1e-6));
        assertThat(x.ids()).isSorted().doesNotHaveDuplicates();
        double[] z = {0.5, 0.2 + 0.1};
        for (int c = 0; c < 2; c++) {
            for (int i = 0; i < x.ids().length; i++) {
                z[c] += u[c * 32 + x.ids()[i]] * x.values()[i];
            }
        }
        double p0 = 1 / (1 + Math.exp(z[1] - z[0]));
        assertThat((double) head.probabilities(v, "Card not arrived", 1)[0])
                .isCloseTo(p0, org.assertj.core.data.Offset.offset(1e-6));
        assertThat(head.probabilities(v, "refund please", 1)).as("the text counts")
                .isNotEqualTo(head.probabilities(v, "Card not arrived", 1));

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        head.write(out);
        EmbeddingHead read = EmbeddingHead.read(new ByteArrayInputStream(out.toByteArray()), "memory");
        assertThat(read.ngrams().config()).isEqualTo(config);
        assertThat(read.probabilities(v, "Card not arrived", 1)).containsExactly(head.probabilities(v,
                "Card not arrived", 1));
    }

    @Test
    void refusesVectorsOfAnotherEncoderAndCorruptFiles() {
        EmbeddingHead head = new EmbeddingHead(2, 3, new float[6], new float[2]);
        assertThatThrownBy(() -> head.probabilities(new float[4], null, 1))
                .hasMessageContaining("4 dimensions").hasMessageContaining("trained on 3");
        assertThatThrownBy(() -> EmbeddingHead.read(new ByteArrayInputStream(new byte[] {1, 2, 3, 4, 5, 6, 7, 8}),
                "bad.params")).hasMessageContaining("bad.params").hasMessageContaining("retrain");
        assertThatThrownBy(() -> EmbeddingHead.read(new ByteArrayInputStream(new byte[] {0x43, 0x78, 0x48}),
                "short.params")).hasMessageContaining("short.params");
    }

    @Test
    void specRecordsTheBaseEncoder() {
        ClassifierSpec spec = new ClassifierSpec(EmbeddingHead.encoderSpec(BASE, 384), List.of("x", "y"), 1, 0);
        assertThat(EmbeddingHead.isHead(spec)).isTrue();
        assertThat(BaseEncoder.fromParams(spec.encoder().params())).isEqualTo(BASE);
        assertThat(spec.encoder().intParam("dim")).isEqualTo(384);
    }
}
