/**
 * Honest evaluation: accuracy, macro-F1, per-class and per-slice metrics, confusion matrix, calibration (ECE before
 * and after temperature scaling), low-confidence routing to "unknown", and the {@code metrics.json} + HTML/PNG
 * report, which opens with what its figures mean ({@link io.cxml.training.eval.HeldOutDescription}: the held-out
 * set, its overlap with training, weak labels).
 */
package io.cxml.training.eval;
