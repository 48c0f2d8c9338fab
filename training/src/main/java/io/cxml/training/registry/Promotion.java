package io.cxml.training.registry;

import java.util.List;

/** Promotion and rollback of the {@code champion} alias, guarded by {@link QualityGates}. */
public final class Promotion {
    private final ModelRegistry registry;
    private final QualityGates gates;

    /**
     * @param registry the registry
     * @param gates the gates
     */
    public Promotion(ModelRegistry registry, QualityGates gates) {
        this.registry = registry;
        this.gates = gates;
    }

    /**
     * Makes a version the champion if it passes every gate against the current champion.
     *
     * @param ref the version (or alias, e.g. {@code intent@challenger})
     * @return the gate outcomes (all passed)
     * @throws GateFailure when a gate fails; the aliases are unchanged
     */
    public List<GateCheck.Result> promote(ModelRef ref) {
        ModelManifest candidate = registry.resolve(ref);
        Aliases aliases = registry.aliases(ref.name());
        ModelManifest champion = aliases.champion() == null ? null
                : registry.readManifest(ref.name(), aliases.champion()).orElse(null);
        List<GateCheck.Result> results = GateCheck.check(gates, candidate, champion);
        if (results.stream().anyMatch(r -> !r.passed())) {
            throw new GateFailure("Cannot promote " + ref.name() + "@" + candidate.version()
                    + ": quality gates failed" + (champion == null ? "" : " (champion is " + champion.version() + ")")
                    + ". Improve the model or change cxml.models.gates.\n" + GateCheck.table(results), results);
        }
        registry.writeAliases(ref.name(), aliases.promote(candidate.version()));
        return results;
    }

    /**
     * Restores the previous champion.
     *
     * @param name model name
     * @return the restored champion version
     */
    public String rollback(String name) {
        Aliases rolled = registry.aliases(name).rollback();
        registry.writeAliases(name, rolled);
        return rolled.champion();
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
