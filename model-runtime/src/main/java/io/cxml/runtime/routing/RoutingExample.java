package io.cxml.runtime.routing;

import java.util.Map;

/**
 * One ticket as routing sees it.
 *
 * @param tenant the account id, null when unknown
 * @param team the team that solved it (the label), null when scoring
 * @param text the ticket text
 * @param language detected language
 * @param channel channel
 * @param priority priority
 * @param intent the intent model's probabilities, or null
 * @param numeric numeric feature-store features in {@link RoutingFeatures#numericColumns()} order (NaN: missing)
 * @param teamLoad open tickets per team of the tenant as of the ticket's creation, or null
 * @param embedding the ticket's sentence embedding (when the routing version reads one), or null
 */
public record RoutingExample(String tenant, String team, String text, String language, String channel,
        String priority, float[] intent, double[] numeric, Map<String, Long> teamLoad, float[] embedding) {}
