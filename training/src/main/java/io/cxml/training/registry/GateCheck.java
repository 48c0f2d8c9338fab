package io.cxml.training.registry;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Runs {@link QualityGates} for a candidate version against the current champion. */
public final class GateCheck {
    private GateCheck() {}

    /**
     * One gate's outcome.
     *
     * @param gate what was checked
     * @param scope {@code overall} or {@code language=<code>}
     * @param actual the candidate's value (or its drop vs the champion)
     * @param limit the bound
     * @param passed whether it held
     */
    public record Result(String gate, String scope, double actual, double limit, boolean passed) {}

    /**
     * @param gates the gates
     * @param candidate the version to promote
     * @param champion the current champion, or null (regression gates are then skipped)
     * @return every gate's outcome
     */
    public static List<Result> check(QualityGates gates, ModelManifest candidate, ModelManifest champion) {
        List<Result> out = new ArrayList<>();
        ModelManifest.MetricsSummary c = candidate.metrics();
        out.add(floor("accuracy >= floor", "overall", c.accuracy(), gates.minAccuracy()));
        out.add(floor("macro-F1 >= floor", "overall", c.macroF1(), gates.minMacroF1()));
        for (Map.Entry<String, ModelManifest.Slice> lang : c.perLanguage().entrySet()) {
            if (lang.getValue().examples() >= gates.minLanguageExamples()) {
                out.add(floor("accuracy >= floor", "language=" + lang.getKey(), lang.getValue().accuracy(),
                        gates.minLanguageAccuracy()));
            }
        }
        if (champion != null && !champion.version().equals(candidate.version())) {
            ModelManifest.MetricsSummary h = champion.metrics();
            out.add(drop("accuracy drop vs champion " + champion.version(), "overall",
                    h.accuracy() - c.accuracy(), gates.maxAccuracyDrop()));
            out.add(drop("macro-F1 drop vs champion " + champion.version(), "overall",
                    h.macroF1() - c.macroF1(), gates.maxMacroF1Drop()));
            for (Map.Entry<String, ModelManifest.Slice> lang : c.perLanguage().entrySet()) {
                ModelManifest.Slice old = h.perLanguage().get(lang.getKey());
                if (old != null && lang.getValue().examples() >= gates.minLanguageExamples()) {
                    out.add(drop("accuracy drop vs champion " + champion.version(), "language=" + lang.getKey(),
                            old.accuracy() - lang.getValue().accuracy(), gates.maxLanguageAccuracyDrop()));
                }
            }
        }
        return out;
    }

    /**
     * @param results gate outcomes
     * @return a fixed-width table of the outcomes, failures marked
     */
    public static String table(List<Result> results) {
        StringBuilder sb = new StringBuilder(String.format("%-6s %-36s %-16s %10s %10s%n", "result", "gate",
                "scope", "actual", "limit"));
        for (Result r : results) {
            sb.append(String.format("%-6s %-36s %-16s %10.4f %10.4f%n", r.passed() ? "ok" : "FAIL", r.gate(),
                    r.scope(), r.actual(), r.limit()));
        }
        return sb.toString();
    }

    private static Result floor(String gate, String scope, double actual, double limit) {
        return new Result(gate, scope, actual, limit, actual >= limit);
    }

    private static Result drop(String gate, String scope, double drop, double limit) {
        return new Result(gate, scope, drop, limit, drop <= limit + 1e-12);
    }
}
