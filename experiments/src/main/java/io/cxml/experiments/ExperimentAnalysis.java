package io.cxml.experiments;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The driver's half of the analysis: from the {@link SliceSums} of one look to the result rows and the decision.
 *
 * <ol>
 *   <li><b>Sample ratio.</b> Chi-square of the units per arm against the weights, overall (alarm at p &lt; 0.001) and
 *       per language and tenant slice (alarm at p &lt; 0.001 / slices tested, Bonferroni, so dozens of tenants do not
 *       raise false alarms). An alarm decides {@code stop:srm} whatever the metrics say.
 *   <li><b>Maturity.</b> A primary metric with fewer than 2 mature units in an arm decides {@code keep_running},
 *       saying how many tickets are mature.
 *   <li><b>Tests.</b> Every challenger against the control on every metric (CUPED, always-valid); the overall slice's
 *       always-valid p-values are Holm-adjusted across challengers and metrics. A significant harm on any metric
 *       decides {@code stop:harm}; otherwise a significant improvement of the primary metric decides {@code ship}
 *       (the challenger with the largest relative lift); otherwise {@code keep_running}.
 * </ol>
 */
public final class ExperimentAnalysis {
    private final double alpha;
    private final long minSliceUnits;
    private final boolean cuped;

    /**
     * @param alpha error rate of every interval and test (over all looks for the always-valid ones)
     * @param minSliceUnits slices with fewer units are neither tested nor checked for sample ratio
     * @param cuped whether to adjust with the pre-period covariate
     */
    public ExperimentAnalysis(double alpha, long minSliceUnits, boolean cuped) {
        if (!(alpha > 0 && alpha < 1)) {
            throw new IllegalArgumentException("Cannot analyze with alpha " + alpha + ": use a value in (0, 1)");
        }
        this.alpha = alpha;
        this.minSliceUnits = minSliceUnits;
        this.cuped = cuped;
    }

    /** @return the error rate */
    public double alpha() {
        return alpha;
    }

    /**
     * @param experiment the experiment
     * @param asOf the look
     * @param sums the executors' sums per arm and slice
     * @return rows and decision
     */
    public AnalysisResult analyze(Experiment experiment, Instant asOf, List<SliceSums> sums) {
        Map<String, Map<String, SliceSums>> bySlice = new LinkedHashMap<>();
        for (SliceSums s : sums) {
            bySlice.computeIfAbsent(s.slice(), k -> new LinkedHashMap<>()).put(s.arm(), s);
        }
        List<String> slices = new ArrayList<>(new TreeSet<>(bySlice.keySet()));
        slices.remove(SliceSums.ALL);
        slices.add(0, SliceSums.ALL);
        List<Double> weights = experiment.arms().stream().map(Experiment.Arm::weight).toList();

        Map<String, Double> srm = new LinkedHashMap<>();
        for (String slice : slices) {
            long[] units = units(experiment, bySlice.get(slice));
            if (slice.equals(SliceSums.ALL) || java.util.Arrays.stream(units).sum() >= minSliceUnits) {
                srm.put(slice, SampleRatioCheck.pValue(weights, units));
            }
        }
        long[] overallUnits = units(experiment, bySlice.getOrDefault(SliceSums.ALL, Map.of()));
        SliceSums anyAll = bySlice.getOrDefault(SliceSums.ALL, Map.of()).values().stream().findFirst().orElse(null);
        long tickets = bySlice.getOrDefault(SliceSums.ALL, Map.of()).values().stream().mapToLong(SliceSums::tickets)
                .sum();
        long mature = bySlice.getOrDefault(SliceSums.ALL, Map.of()).values().stream()
                .mapToLong(SliceSums::matureTickets).sum();

        List<ResultRow> rows = new ArrayList<>();
        for (String slice : slices) {
            Map<String, SliceSums> arms = bySlice.get(slice);
            SliceSums control = arms.get(experiment.control().name());
            if (control == null || (!slice.equals(SliceSums.ALL) && !srm.containsKey(slice))) {
                continue;
            }
            List<ResultRow> sliceRows = new ArrayList<>();
            for (Experiment.Arm arm : experiment.arms().subList(1, experiment.arms().size())) {
                SliceSums treatment = arms.get(arm.name());
                if (treatment == null) {
                    continue;
                }
                for (Metric m : experiment.metrics()) {
                    Comparison c = Comparison.of(control.sums(m), treatment.sums(m), alpha,
                            experiment.minimumDetectableEffect(), cuped);
                    if (c != null) {
                        sliceRows.add(new ResultRow(arm.name(), m, m == experiment.primary() ? ResultRow.PRIMARY
                                : ResultRow.GUARDRAIL, slice, c, Double.NaN, srm.getOrDefault(slice, Double.NaN)));
                    }
                }
            }
            double[] p = sliceRows.stream().mapToDouble(r -> r.comparison().sequentialPValue()).toArray();
            double[] adjusted = slice.equals(SliceSums.ALL) ? MultipleTesting.holm(p)
                    : MultipleTesting.benjaminiHochberg(p);
            for (int i = 0; i < sliceRows.size(); i++) {
                ResultRow r = sliceRows.get(i);
                rows.add(new ResultRow(r.arm(), r.metric(), r.role(), r.slice(), r.comparison(), adjusted[i],
                        r.srmPValue()));
            }
        }
        double overallSrm = srm.getOrDefault(SliceSums.ALL, 1.0);
        String srmSlice = null;
        int sliceTests = Math.max(1, srm.size() - 1);
        if (overallSrm < SampleRatioCheck.ALARM_P) {
            srmSlice = SliceSums.ALL;
        } else {
            srmSlice = srm.entrySet().stream().filter(e -> !e.getKey().equals(SliceSums.ALL))
                    .filter(e -> e.getValue() < SampleRatioCheck.ALARM_P / sliceTests)
                    .min(Map.Entry.comparingByValue()).map(Map.Entry::getKey).orElse(null);
        }
        Decision decision;
        String reason;
        List<ResultRow> overall = rows.stream().filter(r -> r.slice().equals(SliceSums.ALL)).toList();
        List<ResultRow> primary = overall.stream().filter(r -> r.role().equals(ResultRow.PRIMARY)).toList();
        List<ResultRow> harms = overall.stream().filter(r -> r.significant(alpha) && !r.improves()).toList();
        List<ResultRow> wins = primary.stream().filter(r -> r.significant(alpha) && r.improves()).toList();
        if (srmSlice != null) {
            decision = Decision.STOP_SRM;
            reason = String.format(java.util.Locale.ROOT, "sample ratio mismatch in slice %s (chi-square p = %.2g; "
                    + "units per arm overall %s): assignment or logging is broken", srmSlice, srm.get(srmSlice),
                    java.util.Arrays.toString(overallUnits));
        } else if (anyAll == null || primary.size() < experiment.arms().size() - 1) {
            decision = Decision.KEEP_RUNNING;
            reason = String.format(java.util.Locale.ROOT, "no mature outcomes of %s in every arm yet: %d exposed "
                    + "tickets, %d mature (solved at least %s before %s)", experiment.primary(), tickets, mature,
                    experiment.maturity(), asOf);
        } else if (!harms.isEmpty()) {
            ResultRow worst = harms.stream().min(Comparator.comparingDouble(ResultRow::adjustedPValue)).orElseThrow();
            decision = Decision.STOP_HARM;
            reason = String.format(java.util.Locale.ROOT, "%s harms %s %s: %+.4g (always-valid interval %.4g .. "
                    + "%.4g, adjusted p = %.2g)", worst.arm(), worst.role(), worst.metric(),
                    worst.comparison().difference(), worst.comparison().sequentialLow(),
                    worst.comparison().sequentialHigh(), worst.adjustedPValue());
        } else if (!wins.isEmpty()) {
            ResultRow best = wins.stream().max(Comparator.comparingDouble(r -> Math.abs(r.comparison()
                    .relativeLift()))).orElseThrow();
            decision = Decision.SHIP;
            reason = String.format(java.util.Locale.ROOT, "%s improves %s by %+.2f%% (always-valid interval %.4g .. "
                    + "%.4g, adjusted p = %.2g) and harms no guardrail", best.arm(), best.metric(),
                    100 * best.comparison().relativeLift(), best.comparison().sequentialLow(),
                    best.comparison().sequentialHigh(), best.adjustedPValue());
        } else {
            decision = Decision.KEEP_RUNNING;
            reason = (asOf.isBefore(experiment.end()) ? "no significant difference yet"
                    : "the experiment has ended without a significant difference: keep the control")
                    + String.format(java.util.Locale.ROOT, " (%d mature tickets)", mature);
        }
        return new AnalysisResult(experiment, asOf, decision, reason, rows, overallSrm, srmSlice, tickets, mature,
                overallUnits);
    }

    private static long[] units(Experiment experiment, Map<String, SliceSums> arms) {
        long[] units = new long[experiment.arms().size()];
        for (int i = 0; i < units.length; i++) {
            SliceSums s = arms.get(experiment.arms().get(i).name());
            units[i] = s == null ? 0 : s.units();
        }
        return units;
    }
}
