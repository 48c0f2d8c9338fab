package io.cxml.training.routing;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.cxml.runtime.routing.Routed;
import io.cxml.runtime.routing.RoutingIndex;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

/**
 * {@value #FILE} in a routing version's report: held-out top-1 and top-3 accuracy of the routing models against the
 * two baselines (the tenant's most frequent team; one global MLlib logistic regression on the same inputs,
 * restricted to the tenant's teams), overall, per language and per tenant, and the champion's top-1 on the same
 * rows when there was one. Built from counts aggregated on the executors.
 */
@JsonPropertyOrder({"model", "evaluatedOn", "champion", "overall", "perLanguage", "perTenant", "macroF1",
    "medianTenantTop1", "tenantTop1Histogram"})
public final class RoutingMetrics {
    /** File name inside the version's report folder. */
    public static final String FILE = "routing-metrics.json";

    public String model;
    public String evaluatedOn;
    /** Champion version scored on the same rows, or null. */
    public String champion;
    public Slice overall = new Slice();
    public Map<String, Slice> perLanguage = new TreeMap<>();
    public Map<String, Slice> perTenant = new TreeMap<>();
    public double macroF1;
    /** Expected calibration error of the routing confidence (10 bins). */
    public double ece;
    /** Median per-tenant top-1, over tenants with enough held-out tickets; null when there are none. */
    public Double medianTenantTop1;
    /** Tenants (with at least {@link #MIN_TENANT_EXAMPLES} held-out tickets) per top-1 decile, 0-10% first. */
    public int[] tenantTop1Histogram = new int[10];

    /** Tenants with fewer held-out tickets are left out of the distribution and the gates (too noisy). */
    public static final int MIN_TENANT_EXAMPLES = 10;

    /** Counts and rates of one slice. */
    @JsonPropertyOrder({"examples", "top1", "top3", "mostFrequent", "globalLr", "champion", "source"})
    public static final class Slice {
        public long examples;
        public long top1Hits;
        public long top3Hits;
        public long mostFrequentHits;
        public long globalLrHits;
        public long championHits;
        /** How the tenant was routed (tenant slices only). */
        public String source;

        /** @return top-1 accuracy */
        public Double getTop1() {
            return rate(top1Hits);
        }

        /** @return top-3 accuracy */
        public Double getTop3() {
            return rate(top3Hits);
        }

        /** @return top-1 accuracy of the most-frequent-team baseline */
        public Double getMostFrequent() {
            return rate(mostFrequentHits);
        }

        /** @return top-1 accuracy of the global MLlib baseline */
        public Double getGlobalLr() {
            return rate(globalLrHits);
        }

        /** @return the champion's top-1 on the same rows (meaningless without a champion: see {@link #champion}) */
        public Double getChampion() {
            return rate(championHits);
        }

        private Double rate(long hits) {
            return examples == 0 ? null : (double) hits / examples;
        }

        void add(Slice o) {
            examples += o.examples;
            top1Hits += o.top1Hits;
            top3Hits += o.top3Hits;
            mostFrequentHits += o.mostFrequentHits;
            globalLrHits += o.globalLrHits;
            championHits += o.championHits;
        }
    }

    /** @return tenants routed by the global model, with their reason */
    public Map<String, String> fallbackTenants() {
        Map<String, String> out = new TreeMap<>();
        perTenant.forEach((t, s) -> {
            if (s.source != null && !Routed.TENANT.equals(s.source)) {
                out.put(t, s.source);
            }
        });
        return out;
    }

    /** Fills the median and histogram from the per-tenant slices. */
    void summarise() {
        List<Double> top1 = new ArrayList<>();
        tenantTop1Histogram = new int[10];
        for (Slice s : perTenant.values()) {
            if (s.examples >= MIN_TENANT_EXAMPLES) {
                top1.add(s.getTop1());
                tenantTop1Histogram[Math.min(9, (int) (s.getTop1() * 10))]++;
            }
        }
        medianTenantTop1 = median(top1);
    }

    static Double median(List<Double> values) {
        if (values.isEmpty()) {
            return null;
        }
        List<Double> v = new ArrayList<>(values);
        v.sort(Double::compare);
        int n = v.size();
        return n % 2 == 1 ? v.get(n / 2) : (v.get(n / 2 - 1) + v.get(n / 2)) / 2;
    }

    /**
     * @param reportUri a routing version's report folder
     * @param hadoop Hadoop configuration
     * @return its metrics
     */
    public static RoutingMetrics read(String reportUri, Configuration hadoop) {
        Path file = new Path(reportUri, FILE);
        try (InputStream in = file.getFileSystem(hadoop).open(file)) {
            return RoutingIndex.JSON.readValue(in, RoutingMetrics.class);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read routing metrics " + file + ": " + e.getMessage()
                    + ". Is this a routing version?", e);
        }
    }
}
