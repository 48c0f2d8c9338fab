package io.cxml.training.retrain;

import io.cxml.training.registry.GateCheck;
import java.util.List;

/**
 * Hears about a retraining as it goes, so that a caller (the CLI) can report each part when it happens: the gate
 * table before the promotion is tried (it stays on screen when that fails), the decision after it. Every method does
 * nothing by default.
 */
public interface RetrainListener {
    /** Hears nothing. */
    RetrainListener NONE = new RetrainListener() {};

    /**
     * There was no drift alert to answer ({@code --if-drifted}); nothing was trained.
     *
     * @param result the skipped result, with its reason
     */
    default void skipped(RetrainResult result) {}

    /**
     * The gates were checked; the promotion or refusal follows.
     *
     * @param gates every gate, scoped by where it was measured ({@code intent/e1:overall}, {@code recent:overall})
     */
    default void gatesChecked(List<GateCheck.Result> gates) {}

    /**
     * The challenger is being refused, with what explains it (routing: the tenants that moved most).
     *
     * @param explanation the explanation, ending in a newline
     */
    default void refusing(String explanation) {}

    /**
     * The challenger was promoted or refused.
     *
     * @param result the result
     */
    default void decided(RetrainResult result) {}
}
