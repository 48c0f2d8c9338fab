/**
 * {@code cxml retrain intent|routing}: continuous learning with gated promotion on a fixed evaluation set. The
 * retraining itself is {@code io.cxml.training.retrain}; this package parses, translates the config and reports.
 */
package io.cxml.jobs.retrain;
