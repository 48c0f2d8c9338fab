package io.cxml.runtime.embedding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cxml.runtime.model.ClassifierSpec;
import io.cxml.runtime.text.EncoderSpec;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Out-of-scope detection from the geometry of the embedding space, on small synthetic data: four in-scope classes
 * around their own directions, out-of-scope tickets around a fifth direction no class was trained on. Calibrated on
 * in-scope validation vectors only, it rejects about the quantile's share of in-scope tickets and most out-of-scope
 * ones, where a softmax head is confident on them.
 */
class OutOfScopeGeometryTest {
    private static final int DIM = 16;

    private static float[] around(int direction, Random r) {
        float[] v = new float[DIM];
        for (int j = 0; j < DIM; j++) {
            v[j] = (float) (r.nextGaussian() * 0.25 + (j == direction ? 1 : 0));
        }
        return v;
    }

    @Test
    void rejectsTicketsFarFromEveryClassAtTheCalibratedInScopeRate() throws Exception {
        Random r = new Random(1);
        List<float[]> train = new ArrayList<>();
        int[] labels = new int[800];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = i % 4;
            train.add(around(labels[i], r));
        }
        List<float[]> validation = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            validation.add(around(i % 4, r));
        }
        OutOfScopeGeometry g = OutOfScopeGeometry.fit(train, labels, 4, validation, 0.95);
        int rejectedInScope = 0;
        int caught = 0;
        for (int i = 0; i < 1000; i++) {
            rejectedInScope += g.outOfScope(around(i % 4, r)) ? 1 : 0;
            caught += g.outOfScope(around(7, r)) ? 1 : 0;
        }
        assertThat(rejectedInScope / 1000.0).as("false rejections").isBetween(0.02, 0.09);
        assertThat(caught / 1000.0).as("out-of-scope recall").isGreaterThan(0.9);

        // Stored with the head version and read back alike; the head then routes such tickets to unknown even when
        // its softmax is sure.
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        g.write(bytes);
        OutOfScopeGeometry read = OutOfScopeGeometry.read(new ByteArrayInputStream(bytes.toByteArray()), "test");
        assertThat(read.threshold()).isEqualTo(g.threshold());
        float[] newKind = around(7, new Random(9));
        assertThat(read.distance(newKind)).isEqualTo(g.distance(newKind));
        float[] weights = new float[4 * DIM];
        for (int c = 0; c < 4; c++) {
            weights[c * DIM + c] = 20f;
            weights[c * DIM + 7] = c == 0 ? 20f : 0f; // the head maps the unseen direction to class 0, confidently
        }
        EmbeddingHead head = new EmbeddingHead(4, DIM, weights, new float[4]);
        ClassifierSpec spec = new ClassifierSpec(new EncoderSpec(EmbeddingHead.KIND, Map.of()), List.of("a", "b",
                "c", "d"), 1.0, 0.5);
        assertThat(head.predict(newKind, spec, 1).routedLabel()).isEqualTo("a");
        assertThat(head.withGeometry(read).predict(newKind, spec, 1).routedLabel()).isEqualTo(ClassifierSpec.UNKNOWN);
        float[] inScope = around(2, new Random(10));
        assertThat(head.withGeometry(read).predict(inScope, spec, 1).routedLabel()).isEqualTo("c");
    }

    @Test
    void refusesAQuantileOutsideZeroToOne() {
        assertThatThrownBy(() -> OutOfScopeGeometry.fit(List.of(new float[] {1f}), new int[] {0}, 1, List.of(), 0))
                .hasMessageContaining("quantile 0.0");
    }
}
