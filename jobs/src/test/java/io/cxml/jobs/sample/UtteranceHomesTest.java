package io.cxml.jobs.sample;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class UtteranceHomesTest {
    private static final SampleCorpus CORPUS = SampleCorpus.load();

    @ParameterizedTest
    @ValueSource(ints = {1, 6, 14, 30, 365})
    void everySentenceHasOneContiguousHomeAndEveryDayPicksOnlyFromIt(int days) {
        UtteranceHomes homes = new UtteranceHomes(CORPUS, days, 42);
        for (int l = 0; l < CORPUS.languages().length; l++) {
            for (int i = 0; i < CORPUS.intentCount(l); i++) {
                int n = CORPUS.utteranceCount(l, i);
                int[] covered = new int[days];
                for (int s = 0; s < n; s++) {
                    int[] home = homes.homeDays(l, i, s);
                    assertThat(home[0]).isBetween(0, home[1]);
                    assertThat(home[1]).isLessThan(days);
                    // A sentence's home is no longer than its share of the history (rounded up).
                    assertThat(home[1] - home[0] + 1).isLessThanOrEqualTo((days + n - 1) / n);
                    for (int d = home[0]; d <= home[1]; d++) {
                        covered[d]++;
                    }
                }
                Set<Integer> picked = new HashSet<>();
                for (int d = 0; d < days; d++) {
                    assertThat(covered[d]).as("day %d has a sentence", d).isPositive();
                    for (int pick = 0; pick < 8; pick++) {
                        int s = homes.sentence(l, i, d, pick * 7919);
                        int[] home = homes.homeDays(l, i, s);
                        assertThat(d).isBetween(home[0], home[1]);
                        picked.add(s);
                    }
                }
                if (n <= days) {
                    assertThat(picked).as("every sentence is used").hasSize(n);
                }
            }
        }
    }

    @Test
    void anotherSeedGivesOtherHomes() {
        int de = CORPUS.languageIndex("de");
        UtteranceHomes homes = new UtteranceHomes(CORPUS, 30, 42);
        UtteranceHomes other = new UtteranceHomes(CORPUS, 30, 43);
        int moved = 0;
        for (int i = 0; i < CORPUS.intentCount(de); i++) {
            for (int s = 0; s < CORPUS.utteranceCount(de, i); s++) {
                moved += homes.homeDays(de, i, s)[0] != other.homeDays(de, i, s)[0] ? 1 : 0;
            }
        }
        assertThat(moved).isGreaterThan(100);
    }
}
