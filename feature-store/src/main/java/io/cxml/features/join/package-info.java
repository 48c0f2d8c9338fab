/**
 * The point-in-time join engine: for each label row, the latest event of its entity at or before the label time
 * within a TTL, never a later one ({@link io.cxml.features.join.PointInTimeJoin} and its strategies: the label-slot
 * join, the time-ordered merge, the entity-pruned sort-merge, and AUTO that picks one from one pass over the labels).
 * Knows nothing of feature views: it joins any two datasets by a {@link io.cxml.features.join.PointInTimeJoin.Spec}.
 */
package io.cxml.features.join;
