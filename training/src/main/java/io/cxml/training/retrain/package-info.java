/**
 * Retraining as a library: freeze an evaluation set, train a challenger without its rows, measure challenger and
 * champion on the same rows, check the gates and promote or keep the challenger, each step with its own run record.
 * {@link io.cxml.training.retrain.IntentRetraining} and {@link io.cxml.training.retrain.RoutingRetraining} take a
 * typed {@link io.cxml.training.retrain.RetrainOptions} (no config, no CLI types) and return a
 * {@link io.cxml.training.retrain.RetrainResult} their caller reports from.
 */
package io.cxml.training.retrain;
