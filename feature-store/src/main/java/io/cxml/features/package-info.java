/**
 * Feature store: feature views defined in code ({@link io.cxml.features.view.FeatureView}), the offline store that
 * materializes them under {@code features/<view>/v<N>/} ({@link io.cxml.features.OfflineStore}), the registry of
 * views and versions ({@link io.cxml.features.FeatureRegistry}) and point-in-time-correct training sets ({@link
 * io.cxml.features.join.PointInTimeJoin}, {@link io.cxml.features.TrainingSetBuilder}) with the columns their manifest
 * records ({@link io.cxml.features.TrainingSetColumns}), and the one train/validation/test split of cxml ({@link
 * io.cxml.features.split.SplitPlan}, {@link io.cxml.features.split.SplitShares}, {@link io.cxml.features.split.TimeSplits}).
 */
package io.cxml.features;
