package io.cxml.jobs.sample;

import io.cxml.training.data.SentimentWeakLabels;

/**
 * The tone of a customer's follow-up messages, recorded in the hidden {@code _truth.tone} field. Its names are the
 * sentiment labels of {@link SentimentWeakLabels}, so a test can compare a sentiment model with the tone directly.
 */
enum Tone {
    NEGATIVE(SentimentWeakLabels.NEGATIVE),
    NEUTRAL(SentimentWeakLabels.NEUTRAL),
    POSITIVE(SentimentWeakLabels.POSITIVE);

    private final String label;

    Tone(String label) {
        this.label = label;
    }

    /** @return the label as written to {@code _truth.tone} and as used by the sentiment weak labels */
    String label() {
        return label;
    }

    /**
     * The tone a ticket's outcome implies, by the same rule as the weak labels: escalated, reopened or CSAT 1-2 is
     * negative, CSAT 4-5 positive, CSAT 3 neutral.
     *
     * @param csat the satisfaction score 1-5 (rated, or the one the customer would have given)
     * @param escalated the ticket was escalated
     * @param reopened the ticket was reopened
     * @return the tone
     */
    static Tone ofOutcome(int csat, boolean escalated, boolean reopened) {
        if (escalated || reopened || csat <= 2) {
            return NEGATIVE;
        }
        return csat >= 4 ? POSITIVE : NEUTRAL;
    }
}
