package io.cxml.bench.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The head's reg-param list and its choice by validation accuracy (ties: lower log loss, then the earlier). */
class HeadEvaluationTest {
    @Test
    void regParamsParseAListAndRejectNonsense() {
        assertEquals(List.of(1e-4, 3e-4, 1e-3), HeadEvaluation.regParams(" 1e-4, 3e-4,,1e-3,1e-4"));
        assertEquals(List.of(0.001), HeadEvaluation.regParams("0.001"));
        assertThrows(IllegalArgumentException.class, () -> HeadEvaluation.regParams(" , "));
        assertThrows(IllegalArgumentException.class, () -> HeadEvaluation.regParams("-1"));
    }

    @Test
    void choosesByValidationAccuracyThenLogLoss() {
        HeadEvaluation.Tuning a = new HeadEvaluation.Tuning(1e-4, 0.90, 0.40, 1, 1);
        HeadEvaluation.Tuning b = new HeadEvaluation.Tuning(1e-3, 0.92, 0.35, 1, 1);
        HeadEvaluation.Tuning c = new HeadEvaluation.Tuning(1e-2, 0.92, 0.30, 1, 1);
        HeadEvaluation.Tuning d = new HeadEvaluation.Tuning(3e-2, 0.92, 0.30, 1, 1);
        assertEquals(c, HeadEvaluation.choose(List.of(a, b, c, d)));
        assertEquals(a, HeadEvaluation.choose(List.of(a)));
    }

    @Test
    void accuracyAndLogLossOfProbabilities() {
        float[][] p = {{0.9f, 0.1f}, {0.2f, 0.8f}, {0.6f, 0.4f}};
        int[] gold = {0, 1, 1};
        assertEquals(2 / 3.0, HeadEvaluation.accuracy(p, gold), 1e-9);
        assertEquals(-(Math.log(0.9f) + Math.log(0.8f) + Math.log(0.4f)) / 3, HeadEvaluation.logLoss(p, gold), 1e-6);
    }
}
