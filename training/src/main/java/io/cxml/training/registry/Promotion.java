package io.cxml.training.registry;

import java.util.List;

/** Promotion and rollback of the {@code champion} alias, guarded by {@link QualityGates}. */
public final class Promotion {
    private final ModelRegistry registry;
    private final QualityGates gates;
    private final ExtraGates extra;

    /** Gates of one kind of model on top of {@link QualityGates} (routing: per-tenant regressions). */
    @FunctionalInterface
    public interface ExtraGates {
        /**
         * @param candidate the version to promote
         * @param champion the current champion, or null
         * @return the outcomes
         */
        List<GateCheck.Result> check(ModelManifest candidate, ModelManifest champion);
    }

    /**
     * @param registry the registry
     * @param gates the gates
     */
    public Promotion(ModelRegistry registry, QualityGates gates) {
        this(registry, gates, (candidate, champion) -> List.of());
    }

    /**
     * @param registry the registry
     * @param gates the gates
     * @param extra further gates run with them
     */
    public Promotion(ModelRegistry registry, QualityGates gates, ExtraGates extra) {
        this.registry = registry;
        this.gates = gates;
        this.extra = extra;
    }

    /** The outcome of a promotion: the gates (all passed) and the alias change recorded. */
    public record Promoted(List<GateCheck.Result> gates, AliasChange change) {}

    /**
     * Makes a version the champion if it passes every gate against the current champion. The gates run against the
     * champion of the state the change is recorded on: when a concurrent promotion wins the race, they run again
     * against the new champion.
     *
     * @param ref the version (or alias, e.g. {@code intent@challenger})
     * @param runId the run that promotes (recorded in the alias history)
     * @return the gate outcomes and the recorded change
     * @throws GateFailure when a gate fails; the aliases are unchanged
     */
    public Promoted promote(ModelRef ref, String runId) {
        ModelManifest candidate = registry.resolve(ref);
        List<List<GateCheck.Result>> checked = new java.util.ArrayList<>(1);
        AliasChange change = registry.updateAliases(ref.name(), "promote", runId, aliases -> {
            ModelManifest champion = aliases.champion() == null ? null
                    : registry.readManifest(ref.name(), aliases.champion()).orElse(null);
            List<GateCheck.Result> results = new java.util.ArrayList<>(GateCheck.check(gates, candidate, champion));
            results.addAll(extra.check(candidate, champion));
            if (results.stream().anyMatch(r -> !r.passed())) {
                throw new GateFailure("Cannot promote " + ref.name() + "@" + candidate.version()
                        + ": quality gates failed" + (champion == null ? "" : " (champion is " + champion.version()
                        + ")") + ". Improve the model or change cxml.models.gates.\n" + GateCheck.table(results),
                        results);
            }
            checked.clear();
            checked.add(results);
            return aliases.promote(candidate.version());
        });
        return new Promoted(checked.get(0), change);
    }

    /**
     * Restores the previous champion.
     *
     * @param name model name
     * @param runId the run that rolls back (recorded in the alias history)
     * @return the recorded change; its aliases hold the restored champion
     */
    public AliasChange rollback(String name, String runId) {
        return registry.updateAliases(name, "rollback", runId, Aliases::rollback);
    }

    /**
     * Marks a version as the challenger (no gates: the challenger is what is being evaluated).
     *
     * @param name model name
     * @param version the version
     * @param runId the run that sets it
     * @return the recorded change
     */
    public AliasChange challenge(String name, String version, String runId) {
        return registry.updateAliases(name, "challenger", runId, aliases -> aliases.withChallenger(version));
    }

    /** Thrown when promotion is refused; carries the gate table. */
    public static final class GateFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final transient List<GateCheck.Result> results;

        /**
         * @param message message with the table
         * @param results gate outcomes
         */
        public GateFailure(String message, List<GateCheck.Result> results) {
            super(message);
            this.results = List.copyOf(results);
        }

        /** @return the gate outcomes */
        public List<GateCheck.Result> results() {
            return results;
        }
    }
}
