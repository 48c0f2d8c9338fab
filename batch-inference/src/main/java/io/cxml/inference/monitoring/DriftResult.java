package io.cxml.inference.monitoring;

import java.util.Comparator;
import java.util.List;

/**
 * The outcome of one drift check.
 *
 * @param findings every metric of every judged slice, worst first
 * @param notJudged slices left out, each with why (too few tickets on one side)
 * @param notCompared features left out, each with why (not known in the reference)
 */
public record DriftResult(List<DriftFinding> findings, List<String> notJudged, List<String> notCompared) {
    /** Worst first: by level, then by how far the value is past its level. */
    public static final Comparator<DriftFinding> WORST_FIRST = Comparator.comparing(DriftFinding::level).reversed()
            .thenComparing(f -> -Math.abs(f.value()));

    /** @return the worst level of any finding */
    public DriftLevel level() {
        return findings.stream().map(DriftFinding::level).max(Comparator.naturalOrder()).orElse(DriftLevel.OK);
    }

    /**
     * @param n how many
     * @return the n worst findings at warn level or above
     */
    public List<DriftFinding> worst(int n) {
        return findings.stream().filter(f -> f.level() != DriftLevel.OK).limit(n).toList();
    }

    /**
     * @param level a level
     * @return the findings at that level
     */
    public List<DriftFinding> at(DriftLevel level) {
        return findings.stream().filter(f -> f.level() == level).toList();
    }
}
