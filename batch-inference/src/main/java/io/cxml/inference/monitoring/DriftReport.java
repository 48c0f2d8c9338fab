package io.cxml.inference.monitoring;

import io.cxml.training.eval.Charts;
import io.cxml.training.profile.Profile;
import io.cxml.training.profile.ProfileColumns;
import io.cxml.training.profile.SliceProfile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The drift check's self-contained HTML report: the verdict, the worst offenders, the slices not judged, and for the
 * worst (slice, feature) pairs a chart of the reference and the window side by side; then mean confidence and
 * unknown rate per judged slice.
 */
public final class DriftReport {
    /** Report file name. */
    public static final String FILE = "drift-report.html";
    private static final int CHARTS = 8;
    private static final int OFFENDERS = 40;
    private static final int MAX_CATEGORIES = 25;

    private DriftReport() {}

    /**
     * @param title heading (window and champion)
     * @param reference the reference profile
     * @param window the window profile
     * @param result the comparison
     * @param dir folder to write into
     * @return the report file
     */
    public static Path write(String title, Profile reference, Profile window, DriftResult result, Path dir) {
        StringBuilder h = new StringBuilder("<!doctype html><html><head><meta charset=\"utf-8\"><title>")
                .append(esc(title)).append("</title><style>body{font-family:sans-serif;margin:2em}table{border-collapse:"
                        + "collapse}td,th{border:1px solid #ccc;padding:2px 8px;text-align:left}.ALERT{color:#b00;"
                        + "font-weight:bold}.WARN{color:#b60}</style></head><body>");
        h.append("<h1>").append(esc(title)).append("</h1><p>Verdict: <span class=\"").append(result.level()).append("\">")
                .append(result.level()).append("</span>; ").append(result.at(DriftLevel.ALERT).size()).append(" alert(s), ")
                .append(result.at(DriftLevel.WARN).size()).append(" warning(s) over ").append(result.findings().size())
                .append(" metrics. Reference: ").append(esc(String.valueOf(reference.facts()))).append(" (")
                .append(reference.rows()).append(" tickets); window: ").append(window.rows()).append(" tickets.</p>");
        h.append("<h2>Worst offenders</h2><table><tr><th>level</th><th>slice</th><th>feature</th><th>metric</th>"
                + "<th>value</th><th>reference</th><th>window</th><th>tickets (ref / window)</th></tr>");
        for (DriftFinding f : result.findings().stream().limit(OFFENDERS).toList()) {
            h.append("<tr class=\"").append(f.level()).append("\"><td>").append(f.level()).append("</td><td>")
                    .append(esc(f.slice())).append("</td><td>").append(f.feature()).append("</td><td>")
                    .append(f.metric()).append("</td><td>").append(String.format("%.4f", f.value())).append("</td><td>")
                    .append(num(f.reference())).append("</td><td>").append(num(f.window())).append("</td><td>")
                    .append(f.referenceRows()).append(" / ").append(f.windowRows()).append("</td></tr>");
        }
        h.append("</table>");
        if (!result.notJudged().isEmpty() || !result.notCompared().isEmpty()) {
            h.append("<h2>Not judged</h2><ul>");
            result.notJudged().forEach(s -> h.append("<li>").append(esc(s)).append("</li>"));
            result.notCompared().forEach(s -> h.append("<li>").append(esc(s)).append("</li>"));
            h.append("</ul>");
        }
        h.append("<h2>Reference and window</h2>");
        for (Map.Entry<String, byte[]> c : charts(reference, window, result).entrySet()) {
            h.append("<h3>").append(esc(c.getKey())).append("</h3><img src=\"data:image/png;base64,")
                    .append(Base64.getEncoder().encodeToString(c.getValue())).append("\">");
        }
        h.append("</body></html>");
        try {
            Files.createDirectories(dir);
            Path file = dir.resolve(FILE);
            Files.writeString(file, h, StandardCharsets.UTF_8);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the drift report in " + dir + ": " + e.getMessage(), e);
        }
    }

    static Map<String, byte[]> charts(Profile reference, Profile window, DriftResult result) {
        Map<String, byte[]> out = new LinkedHashMap<>();
        Set<String> drawn = new LinkedHashSet<>();
        for (DriftFinding f : result.findings()) {
            if (drawn.size() >= CHARTS) {
                break;
            }
            String key = f.slice() + " / " + f.feature();
            if (f.metric().equals(DriftFinding.MEAN_SHIFT) || f.metric().equals(DriftFinding.RATE_SHIFT)
                    || f.metric().equals(DriftFinding.DOMAIN_AUC) || !drawn.add(key)) {
                continue;
            }
            SliceProfile r = reference.slices().get(f.slice());
            SliceProfile w = window.slices().get(f.slice());
            List<String> cats = new ArrayList<>();
            double[] rs;
            double[] ws;
            if (ProfileColumns.NUMERIC.contains(f.feature())) {
                double[] edges = reference.edges().get(f.feature());
                for (int i = 0; i <= edges.length; i++) {
                    cats.add(i == 0 ? "<= " + fmt(edges[0]) : i == edges.length ? "> " + fmt(edges[i - 1])
                            : fmt(edges[i - 1]) + "-" + fmt(edges[i]));
                }
                rs = shares(r.numeric().get(f.feature()));
                ws = shares(w.numeric().get(f.feature()));
            } else {
                Map<String, Long> rc = r.counts(f.feature());
                Map<String, Long> wc = w.counts(f.feature());
                TreeSet<String> keys = new TreeSet<>(rc.keySet());
                keys.addAll(wc.keySet());
                cats.addAll(keys.stream().sorted((a, b) -> Long.compare(
                        Math.max(wc.getOrDefault(b, 0L), rc.getOrDefault(b, 0L)),
                        Math.max(wc.getOrDefault(a, 0L), rc.getOrDefault(a, 0L)))).limit(MAX_CATEGORIES).toList());
                rs = shares(rc, cats);
                ws = shares(wc, cats);
            }
            out.put(key + " (" + f.metric() + " " + String.format("%.3f", f.value()) + ", " + f.level() + ")",
                    Charts.bars(key + ": share of tickets", cats, Charts.series(List.of("reference", "window"),
                            List.of(rs, ws))));
        }
        List<String> slices = new ArrayList<>();
        for (DriftFinding f : result.findings()) {
            if (f.metric().equals(DriftFinding.MEAN_SHIFT) && !slices.contains(f.slice()) && slices.size() < 30) {
                slices.add(f.slice());
            }
        }
        if (!slices.isEmpty()) {
            double[][] v = new double[4][slices.size()];
            for (int i = 0; i < slices.size(); i++) {
                SliceProfile r = reference.slices().get(slices.get(i));
                SliceProfile w = window.slices().get(slices.get(i));
                v[0][i] = r.meanConfidence();
                v[1][i] = w.meanConfidence();
                v[2][i] = r.unknownRate();
                v[3][i] = w.unknownRate();
            }
            out.put("Mean confidence and unknown rate per slice", Charts.bars("Mean confidence and unknown rate",
                    slices, Charts.series(List.of("confidence (reference)", "confidence (window)",
                            "unknown rate (reference)", "unknown rate (window)"), List.of(v))));
        }
        return out;
    }

    private static double[] shares(long[] counts) {
        double t = 0;
        for (long c : counts) {
            t += c;
        }
        double[] out = new double[counts.length];
        for (int i = 0; i < counts.length; i++) {
            out[i] = t == 0 ? 0 : counts[i] / t;
        }
        return out;
    }

    private static double[] shares(Map<String, Long> counts, List<String> cats) {
        double t = counts.values().stream().mapToLong(Long::longValue).sum();
        return cats.stream().mapToDouble(c -> t == 0 ? 0 : counts.getOrDefault(c, 0L) / t).toArray();
    }

    private static String fmt(double v) {
        return v == Math.rint(v) ? String.valueOf((long) v) : String.format("%.2f", v);
    }

    private static String num(double v) {
        return Double.isNaN(v) ? "" : String.format("%.4f", v);
    }

    private static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
