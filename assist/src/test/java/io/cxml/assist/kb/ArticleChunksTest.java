package io.cxml.assist.kb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ArticleChunksTest {
    @Test
    void shortArticleIsOneChunkOfTitleAndBody() {
        assertThat(new ArticleChunks(10, 2).split("Reset your PIN", "Open the app and tap PIN."))
                .containsExactly("Reset your PIN\nOpen the app and tap PIN.");
    }

    @Test
    void longBodyIsCutIntoOverlappingWindowsEachUnderItsTitle() {
        String body = "w1 w2 w3 w4 w5 w6 w7 w8 w9 w10";
        List<String> chunks = new ArticleChunks(4, 1).split("T", body);
        assertThat(chunks).containsExactly("T\nw1 w2 w3 w4", "T\nw4 w5 w6 w7", "T\nw7 w8 w9 w10");
    }

    @Test
    void textWithoutSpacesIsCutByCharacters() {
        String body = "あ".repeat(20);
        List<String> chunks = new ArticleChunks(3, 1).split("題", body);
        assertThat(chunks).hasSize(3).allSatisfy(c -> assertThat(c).startsWith("題\n"));
        assertThat(chunks.get(0)).hasSize(2 + 9);
    }

    @Test
    void refusesAnOverlapAsLargeAsTheChunk() {
        assertThatThrownBy(() -> new ArticleChunks(4, 4)).hasMessageStartingWith("Cannot chunk articles");
    }
}
