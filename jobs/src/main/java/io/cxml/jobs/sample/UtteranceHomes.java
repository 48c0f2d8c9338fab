package io.cxml.jobs.sample;

import java.io.Serializable;

/**
 * Gives every corpus sentence a home in time, so that a time-based held-out window holds sentences the model never
 * saw in training. Per (language, intent) the pool of sentences, rotated by a seeded offset per intent, is cut into
 * contiguous ranges of days over the sample's history: a pool of at least as many sentences as days gives each day
 * its own sentences; a smaller pool gives each sentence its own run of days. A ticket's words (first message,
 * subject, restatements) come only from sentences at home on its creation day.
 *
 * <p>A sentence of a pool of {@code n} is at home for {@code days / n} days; when that is longer than the validation
 * window between the training and the test window (10% of the history by default) it reaches from one into the
 * other, so tickets are not drawn from pools smaller than {@link #MIN_POOL} (xSID's rarest intents in some
 * languages). The overlap a split really has is measured and reported by training.
 */
final class UtteranceHomes implements Serializable {
    private static final long serialVersionUID = 1L;
    /** Smallest pool whose sentences each stay within a tenth of the history. */
    static final int MIN_POOL = 10;

    private final SampleCorpus corpus;
    private final int days;
    private final long seed;

    /**
     * @param corpus the corpus
     * @param days days of history
     * @param seed the sample's seed
     */
    UtteranceHomes(SampleCorpus corpus, int days, long seed) {
        this.corpus = corpus;
        this.days = days;
        this.seed = seed;
    }

    /**
     * @param language language index
     * @param intent intent index
     * @param day day offset of the ticket's creation, in [0, days)
     * @param pick any number, chooses among the sentences at home that day
     * @return index of a sentence of the pool whose home contains {@code day}
     */
    int sentence(int language, int intent, int day, int pick) {
        long n = corpus.utteranceCount(language, intent);
        long slot;
        if (n >= days) {
            long lo = ceilDiv(day * n, days);
            long hi = ceilDiv((day + 1L) * n, days);
            slot = lo + Math.floorMod(pick, hi - lo);
        } else {
            slot = day * n / days;
        }
        long rotation = Math.floorMod(Mix.hash(seed, corpus.intent(language, intent), 0x403E), n);
        return (int) ((slot + rotation) % n);
    }

    /**
     * @param language language index
     * @param intent intent index
     * @param sentence a sentence index of the pool
     * @return the first and last day offsets (inclusive) of the sentence's home
     */
    int[] homeDays(int language, int intent, int sentence) {
        long n = corpus.utteranceCount(language, intent);
        long rotation = Math.floorMod(Mix.hash(seed, corpus.intent(language, intent), 0x403E), n);
        long slot = Math.floorMod(sentence - rotation, n);
        if (n >= days) {
            int day = (int) (slot * days / n);
            return new int[] {day, day};
        }
        return new int[] {(int) ceilDiv(slot * days, n), (int) ceilDiv((slot + 1) * days, n) - 1};
    }

    private static long ceilDiv(long a, long b) {
        return -Math.floorDiv(-a, b);
    }
}
