package io.cxml.runtime.routing;

import java.util.List;

/**
 * A routing decision.
 *
 * @param team the routed team, null when nothing could be predicted (an unknown tenant whose teams are all gone)
 * @param confidence its probability among the teams that could be predicted
 * @param top the best teams, best first (at most three)
 * @param source which model decided: {@link #TENANT}, {@link #FALLBACK_SMALL_TENANT},
 *     {@link #FALLBACK_UNKNOWN_TENANT} or {@link #FALLBACK_TEAMS_CHANGED}
 * @param retiredAvoided true when the model's first choice is a team that no longer exists and was skipped
 */
public record Routed(String team, double confidence, List<TenantModel.Scored> top, String source,
        boolean retiredAvoided) {
    /** The tenant's own model decided. */
    public static final String TENANT = "tenant";
    /** The tenant has too little history for a model: the global model, restricted to its teams. */
    public static final String FALLBACK_SMALL_TENANT = "fallback_small_tenant";
    /** The tenant was never seen in training: the global model, unrestricted. */
    public static final String FALLBACK_UNKNOWN_TENANT = "fallback_unknown_tenant";
    /** None of the tenant model's teams exists any more: the global model, restricted to the current teams. */
    public static final String FALLBACK_TEAMS_CHANGED = "fallback_teams_changed";
}
