/**
 * The one train / validation / test split of cxml: by time when every row has an event time, else by a stable hash
 * ({@link io.cxml.features.split.SplitPlan}, {@link io.cxml.features.split.SplitShares},
 * {@link io.cxml.features.split.TimeSplits}). Training sets, trainers and retraining all split through it.
 */
package io.cxml.features.split;
