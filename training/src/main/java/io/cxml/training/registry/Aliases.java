package io.cxml.training.registry;

import java.util.ArrayList;
import java.util.List;

/**
 * The aliases of a model, as recorded by the latest {@link AliasChange} of its history.
 *
 * @param champion version serving production, or null
 * @param challenger version under evaluation, or null
 * @param championHistory earlier champions, most recent last (rollback pops it)
 */
public record Aliases(String champion, String challenger, List<String> championHistory) {
    /** Alias name of the production version. */
    public static final String CHAMPION = "champion";
    /** Alias name of the candidate version. */
    public static final String CHALLENGER = "challenger";

    /** Copies the history. */
    public Aliases {
        championHistory = championHistory == null ? List.of() : List.copyOf(championHistory);
    }

    /** @return no aliases */
    public static Aliases none() {
        return new Aliases(null, null, List.of());
    }

    /**
     * @param alias an alias name
     * @return the version it points to, or null
     */
    public String resolve(String alias) {
        return switch (alias) {
            case CHAMPION -> champion;
            case CHALLENGER -> challenger;
            default -> throw new IllegalArgumentException("Cannot resolve alias '" + alias
                    + "': known aliases are champion and challenger (or give a version such as v3)");
        };
    }

    /**
     * @param version new champion
     * @return aliases with that champion, the old one pushed on the history, challenger cleared if it was promoted
     */
    public Aliases promote(String version) {
        List<String> history = new ArrayList<>(championHistory);
        if (champion != null && !champion.equals(version)) {
            history.add(champion);
        }
        return new Aliases(version, version.equals(challenger) ? null : challenger, history);
    }

    /** @return aliases with the previous champion restored */
    public Aliases rollback() {
        if (championHistory.isEmpty()) {
            throw new IllegalStateException("Cannot roll back: there is no previous champion. Promote a version"
                    + " explicitly instead");
        }
        List<String> history = new ArrayList<>(championHistory);
        String previous = history.remove(history.size() - 1);
        return new Aliases(previous, challenger, history);
    }

    /**
     * @param version new challenger
     * @return aliases with that challenger
     */
    public Aliases withChallenger(String version) {
        return new Aliases(champion, version, championHistory);
    }
}
