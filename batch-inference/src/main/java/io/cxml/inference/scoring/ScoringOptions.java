package io.cxml.inference.scoring;

import io.cxml.language.LanguageOptions;
import java.time.Instant;
import java.util.Objects;

/**
 * What one {@code cxml score} run does.
 *
 * @param from first creation time included
 * @param to first creation time excluded
 * @param intent the intent model
 * @param sentiment the sentiment model, or null to leave the sentiment columns empty
 * @param languages languages the deployment serves (others are skipped)
 * @param batchSize texts per predictor call
 * @param topK labels per prediction
 * @param maxTextChars longer texts are skipped
 * @param device auto, cpu or gpu
 * @param routing the routing version, or null to leave the routing columns empty
 * @param activeTeamDays a tenant's teams that solved a ticket in the last this many days before {@code from} are
 *     its current teams (routing never picks another one); 0 = do not restrict
 */
public record ScoringOptions(Instant from, Instant to, ScoringModel intent, ScoringModel sentiment,
        LanguageOptions languages, int batchSize, int topK, int maxTextChars, String device, ScoringModel routing,
        int activeTeamDays) {
    /** Validates the options. */
    public ScoringOptions {
        Objects.requireNonNull(intent, "intent");
        Objects.requireNonNull(languages, "languages");
        if (from == null || to == null || !from.isBefore(to)) {
            throw new IllegalArgumentException("Cannot score the window " + from + " .. " + to
                    + ": --from must be before --to");
        }
        if (activeTeamDays < 0) {
            throw new IllegalArgumentException("Cannot score with active-team-days " + activeTeamDays
                    + ": use 0 (no restriction) or more");
        }
        if (maxTextChars < 1) {
            throw new IllegalArgumentException("Cannot score with max-text-chars " + maxTextChars + ": use 1 or more");
        }
    }
}
