/**
 * Online A/B experiments of models (docs/experiments.md): the experiment definition ({@link
 * io.cxml.experiments.Experiment}), the deterministic assignment of a unit to an arm inside scoring ({@link
 * io.cxml.experiments.Assignment}), the outcomes of a ticket and their sufficient statistics per arm and slice, computed
 * on the executors ({@link io.cxml.experiments.OutcomeStatistics}), and the analysis on the driver: Welch and
 * delta-method intervals, CUPED, always-valid sequential intervals, sample-ratio mismatch, multiple-testing corrections
 * and the decision ({@link io.cxml.experiments.ExperimentAnalysis}). Imports core only; scoring imports it for the
 * assignment.
 */
package io.cxml.experiments;
