package io.cxml.training.registry;

/**
 * A reference to a registered model: {@code name}, {@code name@v3} or {@code name@champion}.
 *
 * @param name the model name
 * @param selector a version ({@code v<N>}), an alias, or null for the champion (else the latest version)
 */
public record ModelRef(String name, String selector) {
    /**
     * @param text {@code name[@version|@alias]}
     * @return the reference
     */
    public static ModelRef parse(String text) {
        if (text == null || text.isBlank() || text.startsWith("@")) {
            throw new IllegalArgumentException("Cannot parse model reference '" + text
                    + "': expected name[@version|@alias], e.g. intent@v3 or intent@champion");
        }
        int at = text.indexOf('@');
        return at < 0 ? new ModelRef(text.trim(), null)
                : new ModelRef(text.substring(0, at).trim(), text.substring(at + 1).trim());
    }

    /** @return true when the selector names a version ({@code v} followed by digits) */
    public boolean isVersion() {
        return selector != null && selector.matches("v\\d+");
    }

    @Override
    public String toString() {
        return selector == null ? name : name + "@" + selector;
    }
}
