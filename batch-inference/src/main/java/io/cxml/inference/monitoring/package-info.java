/**
 * Drift monitoring: a window of scored tickets profiled on the executors ({@link
 * io.cxml.inference.monitoring.ScoredWindow}) and compared with the champion's reference profile ({@link
 * io.cxml.inference.monitoring.DriftComparison}: PSI, Jensen-Shannon distance, confidence and unknown-rate shift,
 * overall, per language and per tenant), the {@code DRIFT_METRICS} rows and the HTML report.
 */
package io.cxml.inference.monitoring;
