package io.cxml.training.routing;

import io.cxml.runtime.routing.RoutingIndex;
import io.cxml.training.eval.Charts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The routing report: {@value RoutingMetrics#FILE} and {@value #REPORT_FILE} (top-1 against both baselines
 * overall and per language, the distribution of per-tenant accuracy, the weakest tenants, the tenants that fell
 * back, the tenants that regressed against the champion), with the charts inline.
 */
public final class RoutingReport {
    /** HTML file name. */
    public static final String REPORT_FILE = "report.html";

    private RoutingReport() {}

    /**
     * @param m the metrics
     * @param facts extra facts shown at the top (version, data, timings)
     * @param tolerance per-tenant regression tolerance, for the regression list
     * @param dir output folder (created)
     * @return the HTML file
     */
    public static Path write(RoutingMetrics m, Map<String, String> facts, double tolerance, Path dir) {
        try {
            Files.createDirectories(dir);
            RoutingIndex.JSON.writerWithDefaultPrettyPrinter().writeValue(dir.resolve(RoutingMetrics.FILE).toFile(),
                    m);
            Map<String, byte[]> charts = charts(m);
            for (Map.Entry<String, byte[]> c : charts.entrySet()) {
                Files.write(dir.resolve(c.getKey()), c.getValue());
            }
            Path html = dir.resolve(REPORT_FILE);
            Files.writeString(html, html(m, facts, tolerance, charts), StandardCharsets.UTF_8);
            return html;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the routing report to " + dir + ": " + e.getMessage(), e);
        }
    }

    private static Map<String, byte[]> charts(RoutingMetrics m) {
        Map<String, byte[]> out = new LinkedHashMap<>();
        List<String> langs = new ArrayList<>(m.perLanguage.keySet());
        List<String> names = new ArrayList<>(List.of("routing top-1", "routing top-3", "most frequent team",
                "global MLlib LR"));
        List<List<Double>> values = new ArrayList<>();
        List<String> categories = new ArrayList<>(List.of("overall"));
        categories.addAll(langs);
        for (int s = 0; s < names.size(); s++) {
            values.add(new ArrayList<>());
        }
        List<RoutingMetrics.Slice> slices = new ArrayList<>(List.of(m.overall));
        langs.forEach(l -> slices.add(m.perLanguage.get(l)));
        for (RoutingMetrics.Slice s : slices) {
            values.get(0).add(s.getTop1());
            values.get(1).add(s.getTop3());
            values.get(2).add(s.getMostFrequent());
            values.get(3).add(s.getGlobalLr());
        }
        Map<String, double[]> series = new LinkedHashMap<>();
        for (int s = 0; s < names.size(); s++) {
            series.put(names.get(s), values.get(s).stream().mapToDouble(v -> v == null ? 0 : v).toArray());
        }
        out.put("routing-overall.png", Charts.bars("Top-1 routing accuracy vs the baselines, per language",
                categories, series));
        List<String> deciles = new ArrayList<>();
        double[] share = new double[10];
        int judged = 0;
        for (int v : m.tenantTop1Histogram) {
            judged += v;
        }
        for (int d = 0; d < 10; d++) {
            deciles.add(d * 10 + "-" + (d + 1) * 10 + "%");
            share[d] = judged == 0 ? 0 : m.tenantTop1Histogram[d] / (double) judged;
        }
        out.put("routing-tenants.png", Charts.bars("Share of tenants by top-1 accuracy (tenants with >= "
                + RoutingMetrics.MIN_TENANT_EXAMPLES + " held-out tickets)", deciles, Map.of("tenants", share)));
        return out;
    }

    private static String html(RoutingMetrics m, Map<String, String> facts, double tolerance,
            Map<String, byte[]> charts) {
        StringBuilder h = new StringBuilder("<!doctype html><html><head><meta charset=\"utf-8\"><title>")
                .append(esc(m.model)).append(" routing report</title><style>body{font-family:sans-serif;"
                        + "max-width:1100px;margin:2em auto;color:#222}table{border-collapse:collapse;margin:1em 0}"
                        + "td,th{border:1px solid #ddd;padding:3px 8px;text-align:right}th{background:#f4f4f4}"
                        + "td:first-child{text-align:left}img{max-width:100%;border:1px solid #eee}</style></head>"
                        + "<body><h1>").append(esc(m.model)).append(" (routing)</h1><table>");
        facts.forEach((k, v) -> h.append("<tr><td>").append(esc(k)).append("</td><td>").append(esc(v))
                .append("</td></tr>"));
        h.append("<tr><td>evaluated on</td><td>").append(esc(m.evaluatedOn)).append("</td></tr>")
                .append("<tr><td>macro-F1 over teams</td><td>").append(pct(m.macroF1)).append("</td></tr>")
                .append("<tr><td>ECE of the routing confidence</td><td>").append(pct(m.ece)).append("</td></tr>")
                .append("<tr><td>median tenant top-1</td><td>").append(pct(m.medianTenantTop1)).append("</td></tr>")
                .append("</table><h2>Overall and per language</h2>");
        Map<String, RoutingMetrics.Slice> rows = new LinkedHashMap<>();
        rows.put("overall", m.overall);
        rows.putAll(m.perLanguage);
        table(h, "slice", rows, m.champion != null);
        charts.forEach((name, png) -> h.append("<div><img alt=\"").append(name).append("\" src=\"data:image/png;"
                + "base64,").append(Base64.getEncoder().encodeToString(png)).append("\"></div>"));
        List<Map.Entry<String, RoutingMetrics.Slice>> judged = new ArrayList<>();
        m.perTenant.entrySet().stream().filter(e -> e.getValue().examples >= RoutingMetrics.MIN_TENANT_EXAMPLES)
                .forEach(judged::add);
        judged.sort((a, b) -> Double.compare(a.getValue().getTop1(), b.getValue().getTop1()));
        Map<String, RoutingMetrics.Slice> worst = new LinkedHashMap<>();
        judged.stream().limit(20).forEach(e -> worst.put(e.getKey(), e.getValue()));
        h.append("<h2>Weakest tenants (top-1, at least ").append(RoutingMetrics.MIN_TENANT_EXAMPLES)
                .append(" held-out tickets)</h2>");
        table(h, "tenant", worst, m.champion != null);
        if (m.champion != null) {
            Map<String, RoutingMetrics.Slice> regressed = new LinkedHashMap<>();
            for (Map.Entry<String, RoutingMetrics.Slice> e : judged) {
                if (e.getValue().getTop1() < e.getValue().getChampion() - tolerance) {
                    regressed.put(e.getKey(), e.getValue());
                }
            }
            h.append("<h2>Tenants that regressed against ").append(esc(m.champion)).append(" by more than ")
                    .append(pct(tolerance)).append(" (").append(regressed.size()).append(" of ")
                    .append(judged.size()).append(")</h2>");
            table(h, "tenant", regressed, true);
        }
        Map<String, String> fallback = m.fallbackTenants();
        h.append("<h2>Tenants routed by the global model (").append(fallback.size()).append(")</h2><table><tr><th>"
                + "tenant</th><th>why</th><th>held-out tickets</th><th>top-1</th></tr>");
        fallback.entrySet().stream().limit(200).forEach(e -> h.append("<tr><td>").append(esc(e.getKey()))
                .append("</td><td>").append(esc(e.getValue())).append("</td><td>")
                .append(m.perTenant.get(e.getKey()).examples).append("</td><td>")
                .append(pct(m.perTenant.get(e.getKey()).getTop1())).append("</td></tr>"));
        return h.append("</table></body></html>").toString();
    }

    private static void table(StringBuilder h, String first, Map<String, RoutingMetrics.Slice> rows,
            boolean champion) {
        h.append("<table><tr><th>").append(first).append("</th><th>tickets</th><th>top-1</th><th>top-3</th>"
                + "<th>most frequent team</th><th>global MLlib LR</th>").append(champion ? "<th>champion top-1</th>"
                : "").append("</tr>");
        rows.forEach((k, s) -> {
            h.append("<tr><td>").append(esc(k)).append("</td><td>").append(s.examples).append("</td><td>")
                    .append(pct(s.getTop1())).append("</td><td>").append(pct(s.getTop3())).append("</td><td>")
                    .append(pct(s.getMostFrequent())).append("</td><td>").append(pct(s.getGlobalLr()))
                    .append("</td>");
            if (champion) {
                h.append("<td>").append(pct(s.getChampion())).append("</td>");
            }
            h.append("</tr>");
        });
        h.append("</table>");
    }

    /**
     * @param v a rate, or null
     * @return it as a percentage, "-" when null
     */
    public static String pct(Double v) {
        return v == null || v.isNaN() ? "-" : String.format("%.1f%%", 100 * v);
    }

    private static String esc(String s) {
        return s == null ? "" : s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
