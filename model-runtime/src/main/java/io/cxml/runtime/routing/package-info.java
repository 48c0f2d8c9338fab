/**
 * Per-tenant routing models as scoring and evaluation read them: the packed artifacts and their index, the feature
 * vector of a ticket ({@link io.cxml.runtime.routing.RoutingFeatures}, {@link io.cxml.runtime.routing.RoutingColumns}),
 * the routing inputs as of each ticket's creation from the feature store ({@link io.cxml.runtime.routing.RoutingData})
 * and the per-JVM scorer with its fallbacks ({@link io.cxml.runtime.routing.RoutingScorer}). Training them lives in
 * {@code io.cxml.training.routing}.
 */
package io.cxml.runtime.routing;
