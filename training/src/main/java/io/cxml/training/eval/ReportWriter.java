package io.cxml.training.eval;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Writes {@value #METRICS_FILE}, PNG charts and a self-contained {@value #REPORT_FILE} (charts embedded as data URIs,
 * also kept as files) into a local directory.
 */
public final class ReportWriter {
    /** Machine-readable metrics. */
    public static final String METRICS_FILE = "metrics.json";
    /** Human-readable report. */
    public static final String REPORT_FILE = "report.html";
    /** JSON mapper shared by the training module for its files. */
    public static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ReportWriter() {}

    /**
     * @param report what to write
     * @param dir the output directory (created)
     * @return the path of the HTML report
     */
    public static Path write(EvaluationReport report, Path dir) {
        try {
            Files.createDirectories(dir);
            JSON.writeValue(dir.resolve(METRICS_FILE).toFile(), report);
            Map<String, byte[]> charts = charts(report);
            for (Map.Entry<String, byte[]> chart : charts.entrySet()) {
                Files.write(dir.resolve(chart.getKey()), chart.getValue());
            }
            Path html = dir.resolve(REPORT_FILE);
            Files.writeString(html, html(report, charts), StandardCharsets.UTF_8);
            return html;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the evaluation report to " + dir + ": " + e.getMessage(), e);
        }
    }

    /**
     * @param file a {@value #METRICS_FILE}
     * @return the report it holds
     */
    public static EvaluationReport read(Path file) {
        try {
            return JSON.readValue(file.toFile(), EvaluationReport.class);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    static Map<String, byte[]> charts(EvaluationReport r) {
        Map<String, byte[]> out = new LinkedHashMap<>();
        Metrics m = r.model();
        Metrics b = r.baseline();
        List<String> names = new ArrayList<>(List.of("model"));
        if (b != null) {
            names.add("baseline (TF-IDF + LR)");
        }
        List<double[]> overall = new ArrayList<>();
        overall.add(new double[] {m.accuracy(), m.macroF1()});
        if (b != null) {
            overall.add(new double[] {b.accuracy(), b.macroF1()});
        }
        out.put("overall.png", Charts.bars("Accuracy and macro-F1 on the held-out set",
                List.of("accuracy", "macro-F1"), Charts.series(names, overall)));
        if (!m.perLanguage().isEmpty()) {
            List<String> langs = new ArrayList<>(m.perLanguage().keySet());
            out.put("languages.png", Charts.bars("Accuracy per language", langs,
                    Charts.series(names, sliceSeries(langs, m, b, true))));
        }
        if (m.perTenant().size() > 1) {
            List<String> tenants = m.perTenant().entrySet().stream()
                    .sorted(Comparator.comparingInt((Map.Entry<String, Metrics.SliceMetrics> e) ->
                            -e.getValue().examples()))
                    .limit(30).map(Map.Entry::getKey).toList();
            out.put("tenants.png", Charts.bars("Accuracy per tenant (30 largest)", tenants,
                    Charts.series(names, sliceSeries(tenants, m, b, false))));
        }
        List<Metrics.ClassMetrics> worst = m.perClass().stream().filter(c -> c.support() > 0)
                .sorted(Comparator.comparingDouble(Metrics.ClassMetrics::f1)).limit(25).toList();
        out.put("worst-classes.png", Charts.bars("F1 of the 25 weakest classes (model)",
                worst.stream().map(Metrics.ClassMetrics::label).toList(),
                Charts.series(List.of("F1", "precision", "recall"), List.of(
                        worst.stream().mapToDouble(Metrics.ClassMetrics::f1).toArray(),
                        worst.stream().mapToDouble(Metrics.ClassMetrics::precision).toArray(),
                        worst.stream().mapToDouble(Metrics.ClassMetrics::recall).toArray()))));
        out.put("confusion.png", Charts.heatmap("Confusion matrix (rows: gold, share of row)", m.labels(),
                m.confusion()));
        double[] mid = m.calibration().before().stream().mapToDouble(x -> (x.lower() + x.upper()) / 2).toArray();
        out.put("reliability.png", Charts.lines("Reliability: accuracy per confidence bin", "confidence", mid,
                Charts.series(List.of("before (ECE " + pct(m.calibration().eceBefore()) + ")",
                        "after T=" + String.format("%.2f", m.calibration().temperature()) + " (ECE "
                                + pct(m.calibration().eceAfter()) + ")"),
                        List.of(binAccuracy(m.calibration().before()), binAccuracy(m.calibration().after()))),
                1.0, true));
        List<Metrics.ThresholdPoint> curve = m.unknownRouting().curve();
        out.put("threshold.png", Charts.lines("Routing to \"unknown\": coverage and accuracy vs threshold",
                "confidence threshold", curve.stream().mapToDouble(Metrics.ThresholdPoint::threshold).toArray(),
                Charts.series(List.of("coverage", "accuracy on kept"), List.of(
                        curve.stream().mapToDouble(Metrics.ThresholdPoint::coverage).toArray(),
                        curve.stream().mapToDouble(Metrics.ThresholdPoint::accuracy).toArray())), 1.0, false));
        if (r.training() != null && !r.training().epochs().isEmpty()) {
            List<EpochStats> epochs = r.training().epochs();
            out.put("training.png", Charts.lines("Training: loss and validation accuracy per epoch", "epoch",
                    epochs.stream().mapToDouble(EpochStats::epoch).toArray(),
                    Charts.series(List.of("train loss", "validation accuracy"), List.of(
                            epochs.stream().mapToDouble(EpochStats::trainLoss).toArray(),
                            epochs.stream().mapToDouble(EpochStats::validationAccuracy).toArray())), 0, false));
        }
        return out;
    }

    private static List<double[]> sliceSeries(List<String> keys, Metrics m, Metrics b, boolean languages) {
        List<double[]> out = new ArrayList<>();
        out.add(keys.stream().mapToDouble(k -> slice(m, k, languages)).toArray());
        if (b != null) {
            out.add(keys.stream().mapToDouble(k -> slice(b, k, languages)).toArray());
        }
        return out;
    }

    private static double slice(Metrics m, String key, boolean languages) {
        Metrics.SliceMetrics s = (languages ? m.perLanguage() : m.perTenant()).get(key);
        return s == null ? 0 : s.accuracy();
    }

    private static double[] binAccuracy(List<Calibration.Bin> bins) {
        return bins.stream().mapToDouble(x -> x.count() == 0 ? Double.NaN : x.accuracy()).toArray();
    }

    private static String html(EvaluationReport r, Map<String, byte[]> charts) {
        Metrics m = r.model();
        Metrics b = r.baseline();
        StringBuilder h = new StringBuilder();
        h.append("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>").append(esc(r.title()))
                .append("</title><style>body{font-family:sans-serif;max-width:1100px;margin:2em auto;color:#222}"
                        + "table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:3px 8px;"
                        + "text-align:right}th{background:#f3f3f3}td:first-child,th:first-child{text-align:left}"
                        + "img{max-width:100%;border:1px solid #eee;margin:.5em 0}.bad{color:#b00}</style></head><body>");
        h.append("<h1>").append(esc(r.title())).append("</h1>");
        for (String line : HeldOutDescription.lines(r.extra())) { // what the figures mean, before the figures
            h.append(line.startsWith("WARNING") ? "<p class=\"bad\"><b>" : "<p><b>").append(esc(line))
                    .append("</b></p>");
        }
        h.append("<p>").append(esc(r.data())).append("</p>");
        h.append("<h2>Summary</h2><table><tr><th></th><th>model</th>").append(b == null ? "" : "<th>baseline</th>")
                .append("</tr>");
        row(h, "examples", String.valueOf(m.examples()), b == null ? null : String.valueOf(b.examples()));
        row(h, "accuracy", pct(m.accuracy()), b == null ? null : pct(b.accuracy()));
        row(h, "macro-F1", pct(m.macroF1()), b == null ? null : pct(b.macroF1()));
        r.comparisons().forEach((name, c) -> {
            row(h, name + ": accuracy", pct(c.accuracy()), null);
            row(h, name + ": macro-F1", pct(c.macroF1()), null);
        });
        row(h, "ECE before / after temperature", pct(m.calibration().eceBefore()) + " / "
                + pct(m.calibration().eceAfter()), b == null ? null : pct(b.calibration().eceBefore()) + " / "
                + pct(b.calibration().eceAfter()));
        row(h, "routed to unknown (threshold " + m.unknownRouting().threshold() + ")",
                pct(m.unknownRouting().unknownRate()), null);
        row(h, "accuracy on kept predictions", pct(m.unknownRouting().acceptedAccuracy()), null);
        row(h, "share of errors routed to unknown", pct(m.unknownRouting().errorsCaught()), null);
        h.append("</table>");
        if (r.extra() != null && !r.extra().isEmpty()) {
            h.append("<table>");
            r.extra().forEach((k, v) -> row(h, k, v, null));
            h.append("</table>");
        }
        for (Map.Entry<String, byte[]> chart : charts.entrySet()) {
            h.append("<div><img alt=\"").append(chart.getKey()).append("\" src=\"data:image/png;base64,")
                    .append(Base64.getEncoder().encodeToString(chart.getValue())).append("\"></div>");
        }
        h.append("<h2>Per language</h2>");
        sliceTable(h, m.perLanguage(), b == null ? null : b.perLanguage());
        r.comparisons().forEach((name, c) -> {
            h.append("<h3>Per language: ").append(esc(name)).append(" (same rows)</h3>");
            sliceTable(h, c.perLanguage(), null);
        });
        if (!m.perTenant().isEmpty()) {
            h.append("<h2>Per tenant</h2>");
            sliceTable(h, m.perTenant(), b == null ? null : b.perTenant());
        }
        h.append("<h2>Per class (model)</h2><table><tr><th>label</th><th>precision</th><th>recall</th><th>F1</th>"
                + "<th>support</th></tr>");
        for (Metrics.ClassMetrics c : m.perClass()) {
            h.append("<tr><td>").append(esc(c.label())).append("</td><td>").append(pct(c.precision()))
                    .append("</td><td>").append(pct(c.recall())).append("</td><td>").append(pct(c.f1()))
                    .append("</td><td>").append(c.support()).append("</td></tr>");
        }
        h.append("</table>");
        if (r.training() != null) {
            h.append("<h2>Training</h2><table><tr><th>epoch</th><th>loss</th><th>validation accuracy</th>"
                    + "<th>examples/s</th><th>seconds</th></tr>");
            for (EpochStats e : r.training().epochs()) {
                h.append("<tr><td>").append(e.epoch()).append(e.epoch() == r.training().bestEpoch() ? " (kept)" : "")
                        .append("</td><td>").append(String.format("%.4f", e.trainLoss())).append("</td><td>")
                        .append(pct(e.validationAccuracy())).append("</td><td>")
                        .append(String.format("%.0f", e.examplesPerSecond())).append("</td><td>")
                        .append(String.format("%.1f", e.seconds())).append("</td></tr>");
            }
            h.append("</table>");
        }
        h.append("<p>Full numbers: <a href=\"").append(METRICS_FILE).append("\">").append(METRICS_FILE)
                .append("</a>.</p></body></html>\n");
        return h.toString();
    }

    private static void sliceTable(StringBuilder h, Map<String, Metrics.SliceMetrics> model,
            Map<String, Metrics.SliceMetrics> baseline) {
        h.append("<table><tr><th>slice</th><th>examples</th><th>model accuracy</th><th>model macro-F1</th>")
                .append(baseline == null ? "" : "<th>baseline accuracy</th>").append("</tr>");
        for (String key : new TreeSet<>(model.keySet())) {
            Metrics.SliceMetrics s = model.get(key);
            h.append("<tr><td>").append(esc(key)).append("</td><td>").append(s.examples()).append("</td><td>")
                    .append(pct(s.accuracy())).append("</td><td>").append(pct(s.macroF1())).append("</td>");
            if (baseline != null) {
                Metrics.SliceMetrics o = baseline.get(key);
                h.append("<td>").append(o == null ? "" : pct(o.accuracy())).append("</td>");
            }
            h.append("</tr>");
        }
        h.append("</table>");
    }

    private static void row(StringBuilder h, String name, String model, String baseline) {
        h.append("<tr><td>").append(esc(name)).append("</td><td>").append(esc(model)).append("</td>");
        if (baseline != null) {
            h.append("<td>").append(esc(baseline)).append("</td>");
        }
        h.append("</tr>");
    }

    static String pct(double v) {
        return Double.isFinite(v) ? String.format("%.1f%%", 100 * v) : "n/a";
    }

    private static String esc(String s) {
        return s == null ? "" : s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
                .replace("\"", "&quot;");
    }
}
