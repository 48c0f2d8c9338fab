package io.cxml.training.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class EvaluatorTest {
    private static final List<String> LABELS = List.of("a", "b", "c");

    private static float[] p(float a, float b, float c) {
        return new float[] {a, b, c};
    }

    @Test
    void computesAccuracyF1SlicesAndConfusion() {
        List<String> gold = List.of("a", "a", "b", "b", "c", "x");
        float[][] probs = {p(.8f, .1f, .1f), p(.3f, .6f, .1f), p(.1f, .7f, .2f), p(.2f, .5f, .3f), p(.5f, .2f, .3f),
            p(.1f, .1f, .8f)};
        Scored scored = new Scored(LABELS, gold, probs, List.of("en", "en", "de", "de", "de", "en"),
                Arrays.asList("t1", "t1", "t1", "t2", "t2", null));

        Metrics m = Evaluator.evaluate(scored, 1.0, 0.55);

        // predictions: a, b, b, b, a, c -> correct: 1, 0, 1, 1, 0, 0
        assertThat(m.accuracy()).isCloseTo(3 / 6.0, offset(1e-9));
        double f1a = f1(1, 1, 1); // tp=1 (row0), fp=1 (row4), fn=1 (row1)
        double f1b = f1(2, 1, 0); // tp=2, fp=1 (row1), fn=0
        double f1c = f1(0, 1, 1); // tp=0, fp=1 (row5, gold unknown), fn=1 (row4)
        assertThat(m.macroF1()).isCloseTo((f1a + f1b + f1c) / 3, offset(1e-9));
        assertThat(m.confusion()[0]).containsExactly(1, 1, 0);
        assertThat(m.confusion()[2]).containsExactly(1, 0, 0);
        assertThat(m.perLanguage().get("en").examples()).isEqualTo(3);
        assertThat(m.perLanguage().get("en").accuracy()).isCloseTo(1 / 3.0, offset(1e-9));
        assertThat(m.perLanguage().get("de").accuracy()).isCloseTo(2 / 3.0, offset(1e-9));
        assertThat(m.perTenant()).containsOnlyKeys("t1", "t2");
        assertThat(m.perTenant().get("t2").accuracy()).isCloseTo(0.5, offset(1e-9));

        // threshold 0.55: kept confidences .8 .6 .7 .8 -> correct 1,0,1,0 ; dropped .5 (wrong) .5? row3 = .5 (right)
        double[] conf = {.8, .6, .7, .5, .5, .8};
        boolean[] right = {true, false, true, true, false, false};
        int kept = 0;
        int keptRight = 0;
        int wrong = 0;
        int caught = 0;
        for (int i = 0; i < conf.length; i++) {
            if (conf[i] >= 0.55) {
                kept++;
                keptRight += right[i] ? 1 : 0;
            }
            if (!right[i]) {
                wrong++;
                caught += conf[i] < 0.55 ? 1 : 0;
            }
        }
        assertThat(m.unknownRouting().unknownRate()).isCloseTo(1 - kept / 6.0, offset(1e-6));
        assertThat(m.unknownRouting().acceptedAccuracy()).isCloseTo(keptRight / (double) kept, offset(1e-6));
        assertThat(m.unknownRouting().errorsCaught()).isCloseTo(caught / (double) wrong, offset(1e-6));
        assertThat(m.unknownRouting().curve()).hasSize(20);
    }

    @Test
    void temperatureScalingReducesCalibrationErrorOfAnOverconfidentModel() {
        // An overconfident model: always 0.99 on its top label but right only 60% of the time.
        int n = 200;
        float[][] probs = new float[n][];
        int[] gold = new int[n];
        for (int i = 0; i < n; i++) {
            probs[i] = p(0.99f, 0.005f, 0.005f);
            gold[i] = i % 5 < 3 ? 0 : 1;
        }
        double t = Calibration.fitTemperature(probs, gold);
        assertThat(t).isGreaterThan(1.0);
        assertThat(Calibration.nll(probs, gold, t)).isLessThan(Calibration.nll(probs, gold, 1.0));

        List<String> goldLabels = Arrays.stream(gold).mapToObj(LABELS::get).toList();
        List<String> none = Arrays.asList(new String[n]);
        Metrics m = Evaluator.evaluate(new Scored(LABELS, goldLabels, probs, none, none), t, 0.0);
        assertThat(m.calibration().eceBefore()).isCloseTo(0.99 - 0.6, offset(1e-4));
        assertThat(m.calibration().eceAfter()).isLessThan(m.calibration().eceBefore());
        double scaledTop = Calibration.scale(new float[][] {probs[0]}, t)[0][0];
        assertThat(m.calibration().eceAfter()).isCloseTo(Math.abs(scaledTop - 0.6), offset(1e-4));
    }

    private static double f1(int tp, int fp, int fn) {
        double precision = tp + fp == 0 ? 0 : tp / (double) (tp + fp);
        double recall = tp + fn == 0 ? 0 : tp / (double) (tp + fn);
        return precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
    }
}
