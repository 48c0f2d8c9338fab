package io.cxml.inference.scoring;

/**
 * A model version chosen for scoring.
 *
 * @param label {@code name@version}, written to the output
 * @param modelUri its model directory
 */
public record ScoringModel(String label, String modelUri) {}
