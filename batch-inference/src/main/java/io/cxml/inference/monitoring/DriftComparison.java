package io.cxml.inference.monitoring;

import io.cxml.training.profile.Profile;
import io.cxml.training.profile.ProfileColumns;
import io.cxml.training.profile.SliceProfile;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Compares a window's profile with a reference profile, slice by slice: PSI for every input mix and binned numeric
 * value, Jensen-Shannon distance for the predicted classes, and the shift of mean confidence and unknown rate. PSI and
 * distance have their expected sampling noise taken out ({@link DriftMath#psiCorrected}), so that a small slice does
 * not alert by chance and a large one reads as the textbook figure. Pure
 * Java on the two profiles' counts (they are small): it runs on the driver after the executors profiled the window.
 */
public final class DriftComparison {
    private static final String OTHER = "(other classes)";

    private DriftComparison() {}

    /**
     * @param reference the champion's reference profile
     * @param window the window's profile, binned with the reference's edges
     * @param t thresholds
     * @return the findings, worst first
     */
    public static DriftResult compare(Profile reference, Profile window, DriftThresholds t) {
        List<DriftFinding> findings = new ArrayList<>();
        List<String> notJudged = new ArrayList<>();
        TreeSet<String> notCompared = new TreeSet<>();
        TreeSet<String> slices = new TreeSet<>(window.slices().keySet());
        slices.addAll(reference.slices().keySet());
        for (String slice : slices) {
            SliceProfile r = reference.slices().get(slice);
            SliceProfile w = window.slices().get(slice);
            long rRows = r == null ? 0 : r.rows();
            long wRows = w == null ? 0 : w.rows();
            boolean overall = slice.equals(ProfileColumns.OVERALL);
            if (!overall && (rRows < t.minSliceTickets() || wRows < t.minSliceTickets())) {
                if (wRows > 0) {
                    notJudged.add(slice + " (" + rRows + " reference, " + wRows + " window tickets; judged from "
                            + t.minSliceTickets() + ")");
                }
                continue;
            }
            if (wRows == 0) {
                continue;
            }
            for (String f : ProfileColumns.CATEGORICAL) {
                Map<String, Long> rc = r.counts(f);
                if (rc.isEmpty() && w.counts(f).isEmpty()) {
                    continue; // the slice's own dimension
                }
                if (rc.isEmpty() || (rc.size() == 1 && rc.containsKey(ProfileColumns.MISSING))) {
                    notCompared.add(f + " (not known in the reference)");
                    continue;
                }
                if (f.equals(ProfileColumns.TEAM) && slice.startsWith(ProfileColumns.LANGUAGE + "=")) {
                    continue; // teams belong to tenants: their mix is judged overall and per tenant
                }
                double psi = DriftMath.psiCorrected(rc, w.counts(f));
                findings.add(new DriftFinding(slice, f, DriftFinding.PSI, psi, Double.NaN, Double.NaN, rRows, wRows,
                        DriftLevel.of(psi, t.psiWarn(), t.psiAlert())));
            }
            for (String f : ProfileColumns.NUMERIC) {
                long[] rb = r.numeric().get(f);
                long[] wb = w.numeric().get(f);
                if (rb == null || wb == null) {
                    continue;
                }
                double psi = DriftMath.psiCorrected(rb, wb);
                findings.add(new DriftFinding(slice, f, DriftFinding.PSI, psi, Double.NaN, Double.NaN, rRows, wRows,
                        DriftLevel.of(psi, t.psiWarn(), t.psiAlert())));
            }
            Map<String, Long> rp = r.counts(ProfileColumns.PREDICTED);
            Map<String, Long> wp = w.counts(ProfileColumns.PREDICTED);
            if (!rp.isEmpty() && !wp.isEmpty()) {
                List<String> top = topClasses(reference.overall().counts(ProfileColumns.PREDICTED), t.classes());
                double js = DriftMath.jensenShannonCorrected(pooled(rp, top), pooled(wp, top));
                findings.add(new DriftFinding(slice, ProfileColumns.PREDICTED, DriftFinding.JS_DISTANCE, js,
                        Double.NaN, Double.NaN, rRows, wRows, DriftLevel.of(js, t.jsWarn(), t.jsAlert())));
                findings.add(shift(slice, ProfileColumns.CONFIDENCE, DriftFinding.MEAN_SHIFT, r.meanConfidence(),
                        w.meanConfidence(), rRows, wRows, t.confidenceWarn(), t.confidenceAlert()));
                findings.add(shift(slice, ProfileColumns.UNKNOWN, DriftFinding.RATE_SHIFT, r.unknownRate(),
                        w.unknownRate(), rRows, wRows, t.unknownWarn(), t.unknownAlert()));
            }
        }
        findings.sort(DriftResult.WORST_FIRST);
        return new DriftResult(List.copyOf(findings), List.copyOf(notJudged), List.copyOf(notCompared));
    }

    private static DriftFinding shift(String slice, String feature, String metric, double ref, double win,
            long rRows, long wRows, double warn, double alert) {
        double d = win - ref;
        return new DriftFinding(slice, feature, metric, d, ref, win, rRows, wRows, DriftLevel.of(d, warn, alert));
    }

    /** The reference's most frequent classes (ties by name, so the choice is stable). */
    static List<String> topClasses(Map<String, Long> counts, int n) {
        return counts.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder())
                        .thenComparing(Map.Entry.comparingByKey()))
                .limit(n).map(Map.Entry::getKey).toList();
    }

    private static Map<String, Long> pooled(Map<String, Long> counts, List<String> keep) {
        Map<String, Long> out = new HashMap<>();
        counts.forEach((k, v) -> out.merge(keep.contains(k) ? k : OTHER, v, Long::sum));
        return out;
    }
}
