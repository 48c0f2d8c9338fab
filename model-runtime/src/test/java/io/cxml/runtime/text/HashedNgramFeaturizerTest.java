package io.cxml.runtime.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class HashedNgramFeaturizerTest {
    private static final FeaturizerConfig CONFIG = new FeaturizerConfig(1 << 16, 2, 3, 5, 1024);

    @Test
    void tokenizesAnyScriptLowerCased() {
        assertThat(HashedNgramFeaturizer.tokenize("Where's MY card?! Karte – 卡没到 2x"))
                .containsExactly("where", "s", "my", "card", "karte", "卡没到", "2x");
        assertThat(HashedNgramFeaturizer.tokenize(null)).isEmpty();
    }

    @Test
    void countsWordsBigramsAndCharNgrams() {
        HashedNgramFeaturizer featurizer = new HashedNgramFeaturizer(CONFIG);
        String text = "lost card";
        int expected = 0;
        List<String> tokens = HashedNgramFeaturizer.tokenize(text);
        expected += tokens.size() + (tokens.size() - 1);
        for (String token : tokens) {
            int len = token.length() + 2;
            for (int k = 3; k <= 5; k++) {
                expected += k == len ? 0 : Math.max(0, len - k + 1);
            }
        }
        int[] ids = featurizer.featurize(text);
        assertThat(ids).hasSize(expected);
        assertThat(Arrays.stream(ids).boxed().toList()).allSatisfy(id -> assertThat(id).isBetween(1, CONFIG.buckets() - 1));
    }

    @Test
    void isDeterministicAndCaseInsensitive() {
        HashedNgramFeaturizer a = new HashedNgramFeaturizer(CONFIG);
        HashedNgramFeaturizer b = new HashedNgramFeaturizer(CONFIG);
        assertThat(a.featurize("My card has not arrived")).containsExactly(b.featurize("my CARD has not arrived"));
        assertThat(a.featurize("card arrived")).isNotEqualTo(a.featurize("arrived card"));
    }

    @Test
    void wordsOnlyConfigurationHasOneIdPerToken() {
        HashedNgramFeaturizer words = new HashedNgramFeaturizer(new FeaturizerConfig(1 << 16, 1, 0, 0, 1024));
        String text = "je n'ai pas reçu ma carte";
        assertThat(words.featurize(text)).hasSize(HashedNgramFeaturizer.tokenize(text).size());
    }

    @Test
    void truncatesAndNeverReturnsEmpty() {
        HashedNgramFeaturizer small = new HashedNgramFeaturizer(new FeaturizerConfig(1 << 16, 2, 3, 5, 7));
        assertThat(small.featurize("a rather long sentence about a lost card")).hasSize(7);
        assertThat(small.featurize("")).hasSize(1);
        assertThat(small.featurize("?!")).containsExactly(small.featurize(null));
    }

    @Test
    void spreadsFeaturesOverBuckets() {
        HashedNgramFeaturizer featurizer = new HashedNgramFeaturizer(CONFIG);
        int[] ids = featurizer.featurize("the quick brown fox jumps over the lazy dog near the riverbank");
        long distinct = Arrays.stream(ids).distinct().count();
        // Only true repeats ("the" and its n-grams) may collide in 65,536 buckets.
        assertThat(distinct).isGreaterThan(ids.length * 8L / 10);
    }

    @Test
    void rejectsBadConfig() {
        assertThatThrownBy(() -> new FeaturizerConfig(1, 2, 3, 5, 10))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("Cannot hash text into 1 buckets");
        assertThatThrownBy(() -> new FeaturizerConfig(16, 2, 5, 3, 10))
                .hasMessageStartingWith("Cannot use character n-grams 5-3");
    }
}
