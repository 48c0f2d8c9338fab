/**
 * Honest evaluation: accuracy, macro-F1, per-class and per-slice metrics, confusion matrix, calibration (ECE before
 * and after temperature scaling), low-confidence routing to "unknown", and the {@code metrics.json} + HTML/PNG
 * report.
 */
package io.cxml.training.eval;
