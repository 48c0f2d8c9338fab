package io.cxml.training.routing;

import io.cxml.training.registry.GateCheck;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Routing's promotion gates ({@code cxml.routing.gates}), on top of the floors every model passes: the share of
 * tenants whose top-1 dropped by more than {@code tenantTolerance} against the champion (both scored on the same
 * held-out rows at training time) and the drop of the median tenant's top-1. Tenants with fewer than
 * {@link RoutingMetrics#MIN_TENANT_EXAMPLES} held-out tickets are not judged.
 *
 * @param maxRegressedShare largest allowed share of judged tenants that regressed
 * @param tenantTolerance a tenant regressed when its top-1 dropped by more than this (absolute)
 * @param maxMedianDrop largest allowed drop of the median tenant top-1
 */
public record RoutingGates(double maxRegressedShare, double tenantTolerance, double maxMedianDrop) {
    /** Defaults: at most 10% of tenants more than 5 points worse, median at most 1 point worse. */
    public static final RoutingGates DEFAULT = new RoutingGates(0.10, 0.05, 0.01);

    /**
     * @param m the candidate's metrics
     * @param champion the current champion version label ({@code routing@v3}), or null when there is none
     * @return the gate outcomes (empty without a champion)
     */
    public List<GateCheck.Result> check(RoutingMetrics m, String champion) {
        List<GateCheck.Result> out = new ArrayList<>();
        if (champion == null || champion.equals(m.model)) {
            return out;
        }
        if (!champion.equals(m.champion)) {
            out.add(new GateCheck.Result("compared with the current champion", "evaluated vs "
                    + (m.champion == null ? "none" : m.champion), 0, 0, false));
            return out;
        }
        int judged = 0;
        int regressed = 0;
        List<Double> before = new ArrayList<>();
        List<Double> after = new ArrayList<>();
        for (RoutingMetrics.Slice s : m.perTenant.values()) {
            if (s.examples < RoutingMetrics.MIN_TENANT_EXAMPLES) {
                continue;
            }
            judged++;
            before.add(s.getChampion());
            after.add(s.getTop1());
            if (s.getTop1() < s.getChampion() - tenantTolerance - 1e-12) {
                regressed++;
            }
        }
        double share = judged == 0 ? 0 : regressed / (double) judged;
        out.add(new GateCheck.Result("share of tenants regressed > " + tenantTolerance, "tenants", share,
                maxRegressedShare, share <= maxRegressedShare + 1e-12));
        double drop = judged == 0 ? 0 : RoutingMetrics.median(before) - RoutingMetrics.median(after);
        out.add(new GateCheck.Result("median tenant top-1 drop", "tenants", drop, maxMedianDrop,
                drop <= maxMedianDrop + 1e-12));
        return out;
    }

    /**
     * @param m the candidate's metrics
     * @param n rows to show
     * @return the tenants with the largest drop against the champion (or the lowest top-1 without one)
     */
    public static String worstTenants(RoutingMetrics m, int n) {
        List<Map.Entry<String, RoutingMetrics.Slice>> judged = new ArrayList<>();
        m.perTenant.entrySet().stream().filter(e -> e.getValue().examples >= RoutingMetrics.MIN_TENANT_EXAMPLES)
                .forEach(judged::add);
        boolean vs = m.champion != null;
        judged.sort((a, b) -> Double.compare(score(a.getValue(), vs), score(b.getValue(), vs)));
        StringBuilder sb = new StringBuilder(String.format("%-24s %8s %8s %10s %8s%n", "tenant", "tickets", "top-1",
                vs ? "champion" : "most-freq", "change"));
        for (Map.Entry<String, RoutingMetrics.Slice> e : judged.subList(0, Math.min(n, judged.size()))) {
            RoutingMetrics.Slice s = e.getValue();
            double other = vs ? s.getChampion() : s.getMostFrequent();
            sb.append(String.format("%-24s %8d %8.3f %10.3f %+8.3f%n", e.getKey(), s.examples, s.getTop1(), other,
                    s.getTop1() - other));
        }
        return sb.toString();
    }

    private static double score(RoutingMetrics.Slice s, boolean vsChampion) {
        return vsChampion ? s.getTop1() - s.getChampion() : s.getTop1();
    }
}
