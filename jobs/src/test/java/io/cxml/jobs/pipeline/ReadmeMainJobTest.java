package io.cxml.jobs.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.cxml.jobs.CliTestBase;
import io.cxml.testing.LocalSpark;
import java.nio.file.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's first command as a newcomer runs it: {@code pipeline --sample --train} with the default sample, the
 * default base encoder (multilingual-e5-small from {@code ./setup.sh}'s cache: the empty path is the default, undoing
 * the tests' {@code CXML_EMBEDDINGS_ENCODER=none}) and the <b>default quality gates</b>. Every model it trains must pass
 * them and be promoted, and the scored table must carry intent, sentiment and routing. About 10 minutes on 2 cores,
 * most of it the encoder.
 */
@Tag("slow")
class ReadmeMainJobTest extends CliTestBase {
    @TempDir
    Path root;

    @Test
    void theReadmeJobPromotesEveryModelThroughTheDefaultGatesAndScoresWithThem() {
        assertThat(cxml("pipeline", "--sample", "--train", "--conf", "cxml.storage.root=" + root,
                "--conf", "cxml.embeddings.encoder.path=")).as(stdoutText() + stderrText()).isZero();

        String printed = stdoutText();
        assertThat(printed).contains("intent@champion is now v1", "sentiment@champion is now v1",
                "routing@champion is now v1", "pipeline succeeded: 10 stage(s)");
        // The heads' figures come with the hashed n-gram model's and the baseline's of the same split.
        assertThat(printed).contains("hashed n-grams (same split)").contains("baseline");

        Dataset<Row> scored = LocalSpark.get().read().parquet(root.resolve("scored/tickets").toString());
        assertThat(scored.count()).isPositive();
        assertThat(scored.where("intent IS NULL OR sentiment IS NULL OR routed_team IS NULL").count())
                .as("every scored ticket has an intent, a sentiment and a team").isZero();
        assertThat(scored.select("intent_model").distinct().collectAsList()).extracting(r -> r.getString(0))
                .containsExactly("intent@v1");
        assertThat(scored.select("sentiment_model").distinct().collectAsList()).extracting(r -> r.getString(0))
                .containsExactly("sentiment@v1");
    }
}
