package io.cxml.jobs.pipeline;

import io.cxml.experiments.AnalysisResult;
import io.cxml.experiments.Comparison;
import io.cxml.experiments.Metric;
import io.cxml.experiments.ResultRow;
import io.cxml.experiments.SliceSums;
import io.cxml.jobs.config.ExperimentSettings;
import io.cxml.jobs.config.SampleSettings;
import io.cxml.jobs.config.Settings;
import io.cxml.jobs.experiment.ExperimentAnalyzeCommand;
import io.cxml.jobs.experiment.ExperimentSimulateCommand;
import io.cxml.jobs.scoring.ScoreCommand;
import io.cxml.jobs.training.TrainCommand;
import io.cxml.storage.StorageLayout;
import java.io.PrintStream;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The experiment part of {@code pipeline --sample --experiment}: after the champion is promoted, train a challenger
 * intent version (another seed), score the window with one A/A/B experiment (control and control-copy serve the
 * champion, challenger the new version), plant the configured effect in the challenger's tickets only, look once as of
 * the window's end + maturity and report both comparisons: the planted lift must be found and its interval must cover
 * the truth, the A/A pair must show nothing.
 */
final class ExperimentDemo {
    /** Arm names: the A/A/B design. */
    static final String CONTROL = "control";
    static final String CONTROL_COPY = "control-copy";
    static final String CHALLENGER = "challenger";

    private final Settings config;
    private final SampleSettings.DemoExperiment demo;
    private final LocalDate first;
    private final LocalDate last;
    private final Instant start;
    private final Instant end;
    private Settings withExperiment;
    private String challenger;
    private AnalysisResult look;

    /**
     * @param config the pipeline's settings
     * @param first the window's first day
     * @param last the window's first day left out
     */
    ExperimentDemo(Settings config, LocalDate first, LocalDate last) {
        this.config = config;
        this.demo = config.sample().experiment();
        this.first = first;
        this.last = last;
        this.start = first.atStartOfDay(ZoneOffset.UTC).toInstant();
        this.end = last.atStartOfDay(ZoneOffset.UTC).toInstant();
    }

    /** @return the named stages, run after the champion's promotion in place of the plain score */
    List<Map.Entry<String, Runnable>> stages() {
        List<Map.Entry<String, Runnable>> stages = new ArrayList<>();
        stages.add(new AbstractMap.SimpleEntry<>("train intent challenger", () -> {
            var m = TrainCommand.run(Settings.resolve(config.config().with("cxml.training.intent.seed",
                    demo.challengerSeed())), "train intent", "intent", null, null, null, first, last, null).manifest();
            challenger = m.name() + "@" + m.version();
            withExperiment = Settings.resolve(config.config().with(ExperimentSettings.EXPERIMENTS,
                    List.of(definition())));
        }));
        stages.add(new AbstractMap.SimpleEntry<>("score (experiment " + demo.name() + ")",
                () -> ScoreCommand.run(withExperiment, start, end, Map.of())));
        stages.add(new AbstractMap.SimpleEntry<>("experiment simulate-outcomes", () -> ExperimentSimulateCommand.run(
                withExperiment, demo.name(), List.of(CHALLENGER), demo.effects(), demo.effectSeed())));
        stages.add(new AbstractMap.SimpleEntry<>("experiment analyze", () -> look = ExperimentAnalyzeCommand.run(
                withExperiment, demo.name(), end.plus(demo.maturity()), System.out)));
        return stages;
    }

    /** The experiment as a cxml.experiments entry, so that score and analyze validate and read it as any other. */
    private Map<String, Object> definition() {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("name", demo.name());
        e.put("model", "intent");
        e.put("unit", "ticket");
        e.put("arms", List.of(Map.of("name", CONTROL, "version", "intent@champion"),
                Map.of("name", CONTROL_COPY, "version", "intent@champion"),
                Map.of("name", CHALLENGER, "version", challenger)));
        e.put("start", start.toString());
        e.put("end", end.toString());
        e.put("primary-metric", demo.primaryMetric().key());
        e.put("guardrails", demo.guardrails().stream().map(Metric::key).toList());
        e.put("minimum-detectable-effect", demo.minimumDetectableEffect());
        e.put("maturity", demo.maturity().toSeconds() + "s");
        return e;
    }

    /** @return the primary metric's comparison of an arm with the control over all tickets */
    ResultRow primary(String arm) {
        return look.rows().stream().filter(r -> r.arm().equals(arm) && r.metric() == demo.primaryMetric()
                && r.slice().equals(SliceSums.ALL)).findFirst().orElseThrow(() -> new IllegalStateException(
                        "experiment " + demo.name() + " has no " + demo.primaryMetric() + " result for arm " + arm));
    }

    /**
     * The planted truth on the primary metric: the relative effect times the control's rate (the control's outcomes are
     * the original ones, whose expectation every arm shares before planting).
     *
     * @return the true difference challenger - control, or NaN when the primary metric takes no planted effect
     */
    double plantedDifference() {
        double relative = switch (demo.primaryMetric()) {
            case ESCALATION -> demo.effects().escalation();
            case REOPEN -> demo.effects().reopen();
            default -> Double.NaN;
        };
        return relative * primary(CHALLENGER).comparison().controlValue();
    }

    void printSummary(PrintStream out, StorageLayout layout) {
        double alpha = withExperiment.experiments().alpha();
        ResultRow b = primary(CHALLENGER);
        ResultRow aa = primary(CONTROL_COPY);
        double truth = plantedDifference();
        Comparison c = b.comparison();
        out.printf(Locale.ROOT, "  experiment       %s: %s (control, control-copy) vs %s (challenger), look as of %s"
                + "%n", demo.name(), "intent@champion", challenger, look.asOf());
        out.printf(Locale.ROOT, "    challenger   vs control: %s %+.4f, always-valid [%+.4f, %+.4f], adj p %.2g; "
                + "planted %+.4f (%+.0f%% of %.4f): %s%n", demo.primaryMetric(), c.difference(), c.sequentialLow(),
                c.sequentialHigh(), b.adjustedPValue(), truth, 100 * truth / c.controlValue(), c.controlValue(),
                b.significant(alpha) && covers(c, truth) ? "found, interval covers it"
                        : b.significant(alpha) ? "found, interval misses it" : "NOT found");
        Comparison a = aa.comparison();
        out.printf(Locale.ROOT, "    control-copy vs control: %s %+.4f, always-valid [%+.4f, %+.4f], adj p %.2g; "
                + "A/A: %s%n", demo.primaryMetric(), a.difference(), a.sequentialLow(), a.sequentialHigh(),
                aa.adjustedPValue(), aa.significant(alpha) ? "SIGNIFICANT (a false positive)" : "nothing found");
        out.println("  experiment report " + layout.resolve("experiments/" + demo.name() + "/report.html"));
    }

    static boolean covers(Comparison c, double truth) {
        return c.sequentialLow() <= truth && truth <= c.sequentialHigh();
    }
}
