package io.cxml.training.registry;

/**
 * Promotion gates (from {@code cxml.models.gates}): absolute floors and the largest allowed regression against the
 * current champion, overall and per language. Regressions are in absolute points (0.02 = 2 percentage points).
 *
 * @param minAccuracy floor on overall accuracy
 * @param minMacroF1 floor on overall macro-F1
 * @param maxAccuracyDrop largest allowed accuracy drop vs the champion
 * @param maxMacroF1Drop largest allowed macro-F1 drop vs the champion
 * @param minLanguageAccuracy floor on each language's accuracy
 * @param maxLanguageAccuracyDrop largest allowed per-language accuracy drop vs the champion
 * @param minLanguageExamples languages with fewer held-out examples are not gated (too noisy)
 */
public record QualityGates(double minAccuracy, double minMacroF1, double maxAccuracyDrop, double maxMacroF1Drop,
        double minLanguageAccuracy, double maxLanguageAccuracyDrop, int minLanguageExamples) {
    /** Defaults: floors 0.5 / 0.4, language floor 0.4, at most 2 points overall and 5 points per language worse. */
    public static final QualityGates DEFAULT = new QualityGates(0.5, 0.4, 0.02, 0.02, 0.4, 0.05, 30);
}
