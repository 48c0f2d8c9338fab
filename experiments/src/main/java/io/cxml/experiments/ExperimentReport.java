package io.cxml.experiments;

import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.Row;

/**
 * A static, offline HTML report of an experiment: the decision and its reason, the sample-ratio check, the overall
 * comparisons, the slices, and per challenger and metric an inline SVG of the difference over the looks with its
 * always-valid interval (wide, light) and fixed-horizon interval (narrow, dark). No script, no external file.
 */
public final class ExperimentReport {
    private static final int WIDTH = 640;
    private static final int HEIGHT = 220;
    private static final int PAD = 48;

    private ExperimentReport() {}

    /**
     * @param result the current look
     * @param looks every stored look's rows of the experiment ({@link ExperimentResults#schema()}), this one included
     * @return the HTML document
     */
    public static String html(AnalysisResult result, List<Row> looks) {
        Experiment e = result.experiment();
        StringBuilder h = new StringBuilder();
        h.append("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>Experiment ").append(esc(e.name()))
                .append("</title><style>body{font-family:sans-serif;margin:2em;max-width:1100px}"
                        + "table{border-collapse:collapse;font-size:13px}td,th{border:1px solid #ccc;padding:3px 6px;"
                        + "text-align:right}th{background:#f3f3f3}td.l{text-align:left}.d{font-size:1.3em;"
                        + "font-weight:bold}</style></head><body>");
        h.append("<h1>Experiment ").append(esc(e.name())).append("</h1>");
        h.append("<p>Model <b>").append(esc(e.model())).append("</b>, unit <b>").append(e.unit())
                .append("</b>, traffic share ").append(fmt(e.trafficShare())).append(", arms ");
        for (Experiment.Arm a : e.arms()) {
            h.append(esc(a.name())).append(" = ").append(esc(a.version())).append(" (weight ").append(fmt(a.weight()))
                    .append(") ");
        }
        h.append("<br>From ").append(e.start()).append(" to ").append(e.end()).append(", primary metric <b>")
                .append(e.primary()).append("</b>, guardrails ").append(e.guardrails()).append(", minimum detectable "
                + "effect ").append(fmt(100 * e.minimumDetectableEffect())).append("%, maturity ").append(e.maturity())
                .append("</p>");
        h.append("<p class=\"d\">Look at ").append(result.asOf()).append(": ").append(result.decision())
                .append("</p><p>").append(esc(result.reason())).append("</p>");
        h.append("<p>Sample ratio: units per arm ").append(java.util.Arrays.toString(result.unitsPerArm()))
                .append(", chi-square p = ").append(fmt(result.srmPValue()))
                .append(result.srmSlice() == null ? " (no alarm)" : " - <b>alarm in " + esc(result.srmSlice()) + "</b>")
                .append(". Exposed tickets ").append(result.tickets()).append(", mature ")
                .append(result.matureTickets()).append(".</p>");
        h.append("<h2>Overall</h2>");
        table(h, result.rows().stream().filter(r -> r.slice().equals(SliceSums.ALL)).toList());
        h.append("<h2>Over the looks</h2><p>Difference (challenger - control) at each look; light: always-valid "
                + "interval (valid whenever you look), dark: fixed-horizon interval (valid for one planned look only)."
                + "</p>");
        Map<String, List<Row>> series = new LinkedHashMap<>();
        for (Row r : looks) {
            if (SliceSums.ALL.equals(r.getAs("slice"))) {
                series.computeIfAbsent(r.getAs("arm") + " - " + r.getAs("metric"), k -> new ArrayList<>()).add(r);
            }
        }
        series.forEach((name, rows) -> {
            rows.sort(Comparator.comparing(r -> (Timestamp) r.getAs(ExperimentResults.AS_OF)));
            h.append("<h3>").append(esc(name)).append("</h3>").append(svg(rows));
        });
        h.append("<h2>Slices</h2><p>Language and tenant slices with at least the minimum units; p-values adjusted "
                + "with Benjamini-Hochberg within each slice. Slices inform; only the overall tests decide.</p>");
        table(h, result.rows().stream().filter(r -> !r.slice().equals(SliceSums.ALL)).toList());
        h.append("</body></html>\n");
        return h.toString();
    }

    private static void table(StringBuilder h, List<ResultRow> rows) {
        h.append("<table><tr><th>slice</th><th>arm</th><th>metric</th><th>role</th><th>units c/t</th><th>control</th>"
                + "<th>challenger</th><th>difference</th><th>lift</th><th>fixed-horizon interval</th>"
                + "<th>always-valid interval</th><th>adjusted p</th><th>CUPED variance reduction</th>"
                + "<th>SRM p</th></tr>");
        for (ResultRow r : rows) {
            Comparison c = r.comparison();
            h.append("<tr><td class=l>").append(esc(r.slice())).append("</td><td class=l>").append(esc(r.arm()))
                    .append("</td><td class=l>").append(r.metric()).append("</td><td class=l>").append(r.role())
                    .append("</td><td>").append(c.controlUnits()).append(" / ").append(c.treatmentUnits())
                    .append("</td><td>").append(fmt(c.controlValue())).append("</td><td>")
                    .append(fmt(c.treatmentValue())).append("</td><td>").append(fmt(c.difference())).append("</td><td>")
                    .append(fmt(100 * c.relativeLift())).append("%</td><td>[").append(fmt(c.low())).append(", ")
                    .append(fmt(c.high())).append("]</td><td>[").append(fmt(c.sequentialLow())).append(", ")
                    .append(fmt(c.sequentialHigh())).append("]</td><td>").append(fmt(r.adjustedPValue()))
                    .append("</td><td>").append(fmt(100 * c.varianceReduction())).append("%</td><td>")
                    .append(fmt(r.srmPValue())).append("</td></tr>");
        }
        h.append("</table>");
    }

    /** One plot: x = looks in time order, y = difference with both intervals, zero marked. */
    static String svg(List<Row> rows) {
        double lo = 0;
        double hi = 0;
        for (Row r : rows) {
            lo = Math.min(lo, Math.min(d(r, "sequential_low"), d(r, "ci_low")));
            hi = Math.max(hi, Math.max(d(r, "sequential_high"), d(r, "ci_high")));
        }
        double span = hi - lo == 0 ? 1 : hi - lo;
        double top = hi + 0.05 * span;
        double bottom = lo - 0.05 * span;
        int n = rows.size();
        double step = (WIDTH - 2.0 * PAD) / Math.max(1, n);
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                + "role=\"img\">", WIDTH, HEIGHT));
        double zero = y(0, top, bottom);
        s.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#999\" "
                + "stroke-dasharray=\"4\"/>", PAD, zero, WIDTH - PAD, zero));
        s.append(String.format(Locale.ROOT, "<text x=\"2\" y=\"%.1f\" font-size=\"10\">%s</text>", y(top, top, bottom)
                + 10, fmt(top)));
        s.append(String.format(Locale.ROOT, "<text x=\"2\" y=\"%.1f\" font-size=\"10\">%s</text>",
                y(bottom, top, bottom), fmt(bottom)));
        s.append(String.format(Locale.ROOT, "<text x=\"2\" y=\"%.1f\" font-size=\"10\">0</text>", zero + 3));
        for (int i = 0; i < n; i++) {
            Row r = rows.get(i);
            double x = PAD + step * (i + 0.5);
            s.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" "
                    + "fill=\"#9ecae1\"><title>always-valid [%s, %s]</title></rect>", x - Math.min(8, step / 3),
                    y(d(r, "sequential_high"), top, bottom), 2 * Math.min(8, step / 3),
                    y(d(r, "sequential_low"), top, bottom) - y(d(r, "sequential_high"), top, bottom),
                    fmt(d(r, "sequential_low")), fmt(d(r, "sequential_high"))));
            s.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
                    + "stroke=\"#08519c\" stroke-width=\"2\"><title>fixed-horizon [%s, %s]</title></line>", x,
                    y(d(r, "ci_high"), top, bottom), x, y(d(r, "ci_low"), top, bottom), fmt(d(r, "ci_low")),
                    fmt(d(r, "ci_high"))));
            s.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"#000\"/>", x,
                    y(d(r, "difference"), top, bottom)));
            if (n <= 12 || i % Math.max(1, n / 12) == 0) {
                s.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" font-size=\"9\" "
                        + "text-anchor=\"middle\">%s</text>", x, HEIGHT - 4,
                        ((Timestamp) r.getAs(ExperimentResults.AS_OF)).toInstant().toString().substring(0, 10)));
            }
        }
        return s.append("</svg>").toString();
    }

    private static double y(double v, double top, double bottom) {
        return 10 + (top - v) / (top - bottom) * (HEIGHT - 30);
    }

    private static double d(Row r, String column) {
        Object v = r.getAs(column);
        return v == null ? 0 : ((Number) v).doubleValue();
    }

    private static String fmt(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.4g", v) : "-";
    }

    private static String esc(String s) {
        return s == null ? "" : s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
                .replace("\"", "&quot;");
    }
}
