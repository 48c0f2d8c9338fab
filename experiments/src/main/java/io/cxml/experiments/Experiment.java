package io.cxml.experiments;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One online experiment on one model: which units take part (a salted hash of the unit, see {@link Assignment}),
 * which model version each arm serves, when it runs and how it is judged. The first arm is the control (the champion);
 * the others are challengers compared with it.
 *
 * @param name unique name; also the salt of the assignment hash, so renaming an experiment reshuffles its units
 * @param model the task whose version the arms change: intent, routing or sentiment
 * @param unit what is randomised
 * @param trafficShare share of units in the experiment, (0, 1]; growing it keeps every unit already in it in its arm
 * @param arms control first, then the challengers
 * @param start first ticket creation time included
 * @param end first ticket creation time excluded
 * @param primary the metric that decides shipping
 * @param guardrails metrics that must not get worse (a significant harm stops the experiment)
 * @param minimumDetectableEffect smallest relative change of the primary metric worth detecting (0.05 = 5%); it also
 *     scales the mixture of the always-valid intervals
 * @param maturity how long after a ticket is solved its outcome (reopen, CSAT) can still change: younger tickets do not
 *     count yet
 */
public record Experiment(String name, String model, ExperimentUnit unit, double trafficShare, List<Arm> arms,
        Instant start, Instant end, Metric primary, List<Metric> guardrails, double minimumDetectableEffect,
        Duration maturity) {

    /** Models an experiment can vary. */
    public static final List<String> MODELS = List.of("intent", "routing", "sentiment");

    /**
     * One arm: the model version it serves and its share of the experiment's units.
     *
     * @param name arm name (control, challenger, ...)
     * @param version model reference, NAME@VERSION or NAME@ALIAS
     * @param weight relative share of the experiment's units
     */
    public record Arm(String name, String version, double weight) {}

    /** Validates the definition; messages say what to change. */
    public Experiment {
        Objects.requireNonNull(unit, "unit");
        Objects.requireNonNull(primary, "primary");
        arms = List.copyOf(arms);
        guardrails = List.copyOf(guardrails);
        if (name == null || !name.matches("[A-Za-z0-9_-]+")) {
            throw new IllegalArgumentException("name '" + name + "' must be letters, digits, '_' or '-'");
        }
        if (!MODELS.contains(model)) {
            throw new IllegalArgumentException("model '" + model + "' is not one of " + String.join(", ", MODELS));
        }
        if (!(trafficShare > 0 && trafficShare <= 1)) {
            throw new IllegalArgumentException("traffic-share " + trafficShare + " must be in (0, 1]");
        }
        if (arms.size() < 2) {
            throw new IllegalArgumentException("needs a control and at least one challenger arm, got " + arms.size());
        }
        java.util.Set<String> names = new java.util.HashSet<>();
        for (Arm a : arms) {
            if (!names.add(a.name())) {
                throw new IllegalArgumentException("arm '" + a.name() + "' is listed twice");
            }
            if (!(a.weight() > 0)) {
                throw new IllegalArgumentException("arm '" + a.name() + "' has weight " + a.weight() + ": use > 0");
            }
            if (a.version() == null || !a.version().startsWith(model + "@") || a.version().length() == model.length() + 1) {
                throw new IllegalArgumentException("arm '" + a.name() + "' serves '" + a.version() + "': use "
                        + model + "@<version or alias>");
            }
        }
        if (start == null || end == null || !start.isBefore(end)) {
            throw new IllegalArgumentException("start " + start + " must be before end " + end);
        }
        if (!(minimumDetectableEffect > 0)) {
            throw new IllegalArgumentException("minimum-detectable-effect " + minimumDetectableEffect + " must be > 0");
        }
        if (maturity == null || maturity.isNegative()) {
            throw new IllegalArgumentException("maturity " + maturity + " must be 0 or more");
        }
        if (guardrails.contains(primary)) {
            throw new IllegalArgumentException("guardrail '" + primary + "' is the primary metric");
        }
    }

    /** @return the control arm (the first) */
    public Arm control() {
        return arms.get(0);
    }

    /** @return the metrics analysed: the primary first, then the guardrails */
    public List<Metric> metrics() {
        List<Metric> out = new java.util.ArrayList<>();
        out.add(primary);
        out.addAll(guardrails);
        return out;
    }

    /**
     * @param other another experiment
     * @return whether both run at some common instant
     */
    public boolean overlapsInTime(Experiment other) {
        return start.isBefore(other.end) && other.start.isBefore(end);
    }

    /**
     * @param from first creation time
     * @param to first creation time excluded
     * @return whether the experiment runs at some instant of [from, to)
     */
    public boolean activeDuring(Instant from, Instant to) {
        return start.isBefore(to) && from.isBefore(end);
    }
}
