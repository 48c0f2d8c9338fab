package io.cxml.experiments;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The analysis' decision from sums per arm and slice: SRM alarms, harm, ship and maturity. */
class DecisionTest {
    private static final Experiment EXPERIMENT = AssignmentTest.experiment("routing-v2", 0.5, 1, 1);
    private static final Instant AS_OF = Instant.parse("2026-01-20T00:00:00Z");
    private static final List<String> LANGUAGES = List.of("en", "de", "fr", "es");

    /** Units per language per arm; reopen rate per arm; {@code dropShare} of the challenger's units lost in "de". */
    private static List<SliceSums> simulate(long seed, int unitsPerLanguage, double controlReopen,
            double challengerReopen, double dropShare, boolean mature) {
        SplittableRandom random = new SplittableRandom(seed);
        List<SliceSums> out = new ArrayList<>();
        Map<String, MetricSums[]> all = new java.util.HashMap<>();
        long[] allUnits = new long[2];
        for (String language : LANGUAGES) {
            for (int arm = 0; arm < 2; arm++) {
                MetricSums reopen = MetricSums.EMPTY;
                MetricSums csat = MetricSums.EMPTY;
                long units = 0;
                for (int u = 0; u < unitsPerLanguage; u++) {
                    if (arm == 1 && language.equals("de") && random.nextDouble() < dropShare) {
                        continue; // the broken logging: challenger rows of one language never arrive
                    }
                    units++;
                    if (mature) {
                        reopen = reopen.add(random.nextDouble() < (arm == 0 ? controlReopen : challengerReopen) ? 1 : 0,
                                1, 0);
                        csat = csat.add(3 + random.nextInt(3), 1, 0);
                    }
                }
                String name = arm == 0 ? "control" : "challenger1";
                out.add(sums(name, "language=" + language, units, reopen, csat));
                MetricSums[] total = all.computeIfAbsent(name, k -> new MetricSums[] {MetricSums.EMPTY,
                    MetricSums.EMPTY});
                total[0] = total[0].merge(reopen);
                total[1] = total[1].merge(csat);
                allUnits[arm] += units;
            }
        }
        out.add(sums("control", SliceSums.ALL, allUnits[0], all.get("control")[0], all.get("control")[1]));
        out.add(sums("challenger1", SliceSums.ALL, allUnits[1], all.get("challenger1")[0],
                all.get("challenger1")[1]));
        return out;
    }

    private static SliceSums sums(String arm, String slice, long units, MetricSums reopen, MetricSums csat) {
        Map<Metric, MetricSums> m = new EnumMap<>(Metric.class);
        m.put(Metric.REOPEN, reopen);
        m.put(Metric.CSAT, csat);
        return new SliceSums(arm, slice, units, units, reopen.n(), m);
    }

    private final ExperimentAnalysis analysis = new ExperimentAnalysis(0.05, 100, true);

    @Test
    void srmIsCaughtWhenOneArmLosesRowsInOneLanguage() {
        AnalysisResult broken = analysis.analyze(EXPERIMENT, AS_OF, simulate(1, 5000, 0.2, 0.2, 0.08, true));
        AnalysisResult correct = analysis.analyze(EXPERIMENT, AS_OF, simulate(1, 5000, 0.2, 0.2, 0, true));
        System.out.printf("SRM: broken assignment (8%% of challenger units dropped in de): decision %s, slice %s, "
                + "overall p %.2g; correct assignment: decision %s, overall p %.2g%n", broken.decision(),
                broken.srmSlice(), broken.srmPValue(), correct.decision(), correct.srmPValue());
        assertThat(broken.decision()).isEqualTo(Decision.STOP_SRM);
        assertThat(broken.srmSlice()).isEqualTo("language=de"); // overall it hides: p > 0.001
        assertThat(correct.decision()).isEqualTo(Decision.KEEP_RUNNING);
        assertThat(correct.srmSlice()).isNull();
    }

    @Test
    void srmIsRarelyRaisedOnCorrectAssignments() {
        int alarms = 0;
        for (int seed = 0; seed < 200; seed++) {
            alarms += analysis.analyze(EXPERIMENT, AS_OF, simulate(seed, 500, 0.2, 0.2, 0, true)).srmSlice() == null
                    ? 0 : 1;
        }
        assertThat(alarms).isLessThanOrEqualTo(2);
    }

    @Test
    void harmOnTheGuardedMetricStopsAndALiftShips() {
        AnalysisResult harm = analysis.analyze(EXPERIMENT, AS_OF, simulate(3, 5000, 0.20, 0.26, 0, true));
        assertThat(harm.decision()).isEqualTo(Decision.STOP_HARM);
        assertThat(harm.reason()).contains("challenger1 harms primary reopen");
        AnalysisResult win = analysis.analyze(EXPERIMENT, AS_OF, simulate(3, 5000, 0.20, 0.15, 0, true));
        assertThat(win.decision()).isEqualTo(Decision.SHIP);
        assertThat(win.decision().exitCode()).isEqualTo(10);
        assertThat(win.reason()).startsWith("challenger1 improves reopen by -2");
    }

    @Test
    void withoutMatureOutcomesTheDecisionIsKeepRunningWithTheReason() {
        AnalysisResult r = analysis.analyze(EXPERIMENT, AS_OF, simulate(4, 500, 0.2, 0.2, 0, false));
        assertThat(r.decision()).isEqualTo(Decision.KEEP_RUNNING);
        assertThat(r.reason()).startsWith("no mature outcomes of reopen in every arm yet: 4000 exposed tickets, 0 mature");
        assertThat(r.rows()).isEmpty();
    }

    @Test
    void holmAndBenjaminiHochbergAdjust() {
        double[] p = {0.01, 0.04, 0.03, 0.005};
        assertThat(MultipleTesting.holm(p)).containsExactly(0.03, 0.06, 0.06, 0.02);
        assertThat(MultipleTesting.benjaminiHochberg(p)).containsExactly(0.02, 0.04, 0.04, 0.02);
    }
}
