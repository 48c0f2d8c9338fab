package io.cxml.language;

import com.github.pemistahl.lingua.api.IsoCode639_1;
import java.io.Serializable;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;

/**
 * Which languages the detector may answer, as ISO 639-1 lowercase codes ({@code en}, {@code de}, {@code zh}).
 * Restricting Lingua to the languages a deployment actually serves makes it faster, smaller and more accurate on
 * short messages. The codes are kept sorted and de-duplicated, so two options with the same set are equal and share
 * one detector per JVM.
 *
 * @param languages sorted, distinct ISO 639-1 codes, at least two
 */
public record LanguageOptions(List<String> languages) implements Serializable {
    /** Config key (read by the jobs module) of {@link #languages}. */
    public static final String LANGUAGES_KEY = "cxml.features.languages";
    /** Default of {@link #languages}: the languages of the sample data and the first tenants. */
    public static final List<String> LANGUAGES_DEFAULT =
            List.of("en", "de", "it", "nl", "da", "tr", "id", "ja", "zh", "ar", "fr", "es", "pt");

    /** Validates, lowercases, sorts and de-duplicates the codes. */
    public LanguageOptions {
        if (languages == null || languages.isEmpty()) {
            throw new IllegalArgumentException(
                    "Cannot configure language detection: no language given. Set " + LANGUAGES_KEY
                            + " to ISO 639-1 codes such as [en, de]");
        }
        TreeSet<String> codes = new TreeSet<>();
        for (String code : languages) {
            String c = code == null ? "" : code.trim().toLowerCase(Locale.ROOT);
            if (!isSupported(c)) {
                throw new IllegalArgumentException(
                        "Cannot configure language detection: '" + code + "' is not an ISO 639-1 code Lingua knows. "
                                + "Use lowercase two-letter codes such as en, de, zh");
            }
            codes.add(c);
        }
        if (codes.size() < 2) {
            throw new IllegalArgumentException(
                    "Cannot configure language detection with only " + codes + ": Lingua needs at least two "
                            + "languages. Add another code to " + LANGUAGES_KEY);
        }
        languages = List.copyOf(codes);
    }

    /**
     * @param codes ISO 639-1 codes
     * @return the options
     */
    public static LanguageOptions of(String... codes) {
        return new LanguageOptions(Arrays.asList(codes));
    }

    /** @return the default languages */
    public static LanguageOptions defaults() {
        return new LanguageOptions(LANGUAGES_DEFAULT);
    }

    private static boolean isSupported(String code) {
        if (code.length() != 2) {
            return false;
        }
        try {
            IsoCode639_1.valueOf(code.toUpperCase(Locale.ROOT));
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
