package io.cxml.training.retrain;

import io.cxml.runs.RunRecord;
import io.cxml.training.registry.EvaluationSets;
import io.cxml.training.registry.GateCheck;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a retraining did, for its caller to report: the decision, the versions before and after, where and how both
 * versions were measured, and every gate.
 *
 * @param name registry name of the model
 * @param decision skipped, refused or promoted
 * @param skipReason why there was nothing to do, or null unless skipped
 * @param challengerVersion the trained version ({@code v4}), or null when skipped
 * @param championBefore the champion version the challenger was measured against, or null (none, or skipped)
 * @param championAfter the champion version after the run, or null (none, or skipped)
 * @param evaluationSet the frozen evaluation set both versions were measured on, or null when skipped
 * @param evaluation the figures measured (as in the run record's {@code evaluation}), empty when skipped
 * @param gates every gate checked, empty when skipped
 * @param measuredOn what the versions were measured on, in words ({@code on intent/e1 (480 rows) and ...})
 * @param record the run record of the whole retraining
 */
public record RetrainResult(String name, Decision decision, String skipReason, String challengerVersion,
        String championBefore, String championAfter, EvaluationSets.EvaluationSet evaluationSet,
        Map<String, Object> evaluation, List<GateCheck.Result> gates, String measuredOn, RunRecord record) {
    /** What became of the challenger. */
    public enum Decision {
        /** No drift alert to answer: nothing trained. */
        SKIPPED,
        /** A gate failed: the challenger stays {@code @challenger}, the champion stays. */
        REFUSED,
        /** Every gate passed: the challenger is the champion. */
        PROMOTED;

        /** @return the run record's {@code action}: {@code skipped}, {@code refused} or {@code promoted} */
        public String action() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Copies the collections (the figures may hold nulls and keep their order). */
    public RetrainResult {
        evaluation = evaluation == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(evaluation));
        gates = gates == null ? List.of() : List.copyOf(gates);
    }

    /** @return {@code skipped}, {@code refused} or {@code promoted} */
    public String action() {
        return decision.action();
    }

    /** @return the trained version as {@code intent@v4}, or null when skipped */
    public String challenger() {
        return label(challengerVersion);
    }

    /** @return the champion after the run as {@code intent@v3}, or null */
    public String champion() {
        return label(championAfter);
    }

    private String label(String version) {
        return version == null ? null : name + "@" + version;
    }
}
