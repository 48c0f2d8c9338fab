package io.cxml.jobs.sample;

import static org.assertj.core.api.Assertions.assertThat;

import io.cxml.contract.CuratedInteractions;
import io.cxml.contract.RawInteraction;
import io.cxml.features.TrainingColumns;
import io.cxml.jobs.CliTestBase;
import io.cxml.jobs.config.ConfigLoader;
import io.cxml.jobs.config.CxmlConfig;
import io.cxml.jobs.config.TrainingSettings;
import io.cxml.storage.StorageLayout;
import io.cxml.testing.LocalSpark;
import io.cxml.training.data.CuratedIntentSource;
import io.cxml.training.data.DataSplitter;
import io.cxml.training.data.SentimentWeakLabels;
import io.cxml.training.eval.HeldOutDescription;
import java.nio.file.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The default sample (the README's first command) as training sees it: generated, ingested, split by time with the
 * configured fractions. Its held-out window must hold texts the model never saw.
 */
@Tag("slow")
class DefaultSampleHeldOutTest extends CliTestBase {
    @TempDir
    Path root;

    @Test
    void aTimeSplitOfTheDefaultSampleHoldsTextsTheModelNeverSaw() {
        String storage = "cxml.storage.root=" + root;
        assertThat(cxml("generate-sample", "--conf", storage)).as(stderrText()).isZero();
        CxmlConfig config = ConfigLoader.create().optConfDir(LocalSpark.projectDir().resolve("conf")).load();
        io.cxml.jobs.config.Settings settings = io.cxml.jobs.config.Settings.resolve(config);
        SampleSpec spec = GenerateSampleCommand.spec(settings, null, null, null, null, null);
        assertThat(cxml("ingest", "--from", spec.startDate().toString(), "--to", spec.endDate().plusDays(1).toString(),
                "--conf", storage, "--conf", "spark.sql.shuffle.partitions=4")).as(stderrText()).isZero();

        SparkSession spark = LocalSpark.get();
        StorageLayout layout = StorageLayout.of(root.toString());
        DataSplitter splitter = new DataSplitter(TrainingSettings.resolve(config).splitShares(), 42);

        CuratedIntentSource intentSource = new CuratedIntentSource(layout, settings.labels().intent(),
                settings.features().languages(), null, null);
        Dataset<Row> intent = splitter.split(intentSource.load(spark));
        HeldOutDescription texts = HeldOutDescription.ofSplit(intent, java.util.Optional.empty());
        intent.unpersist();
        long labelled = intentSource.labelStats(spark).labelled();
        assertThat(texts.kind()).isEqualTo(HeldOutDescription.TIME_SPLIT);
        assertThat(texts.heldOut()).as("the newest tenth of %d labelled tickets", labelled)
                .isBetween((long) (0.095 * labelled), (long) (0.105 * labelled));
        assertThat(texts.overlapShare()).as("held-out texts seen in training: %s", texts).isLessThan(0.05);

        // Stronger than equal texts: no held-out ticket is made from a corpus sentence a training ticket used (all
        // tickets, split by time as the labelled ones are; the hidden truth only tells the sentence apart).
        Dataset<Row> curated = spark.read().parquet(layout.curatedInteractions());
        Dataset<Row> tickets = splitter.split(curated.select(
                functions.col(CuratedInteractions.TEXT).as(TrainingColumns.TEXT),
                functions.col(CuratedInteractions.TRUE_INTENT).as(TrainingColumns.LABEL),
                functions.col(CuratedInteractions.CREATED_AT).as(TrainingColumns.EVENT_TIME),
                functions.col(CuratedInteractions.TICKET_ID)));
        Dataset<Row> truth = spark.read().json(layout.rawInteractions())
                .where(functions.col(RawInteraction.TRUTH + "." + RawInteraction.TRUTH_SENTENCE).isNotNull())
                .select(functions.col(RawInteraction.TICKET_ID),
                        functions.col(RawInteraction.TRUTH + "." + RawInteraction.TRUTH_SENTENCE).as("sentence"))
                .distinct();
        Dataset<Row> withSentence = tickets.join(truth, CuratedInteractions.TICKET_ID);
        Dataset<Row> trainSentences = withSentence.where(functions.col(TrainingColumns.SPLIT)
                .equalTo(TrainingColumns.TRAIN)).select(functions.col("sentence").as("seen")).distinct();
        Dataset<Row> test = withSentence.where(functions.col(TrainingColumns.SPLIT).equalTo(TrainingColumns.TEST));
        long testTickets = test.count();
        long seenSentences = test.join(trainSentences, test.col("sentence").equalTo(trainSentences.col("seen")),
                "left_semi").count();
        tickets.unpersist();
        assertThat(testTickets).isBetween(1900L, 2100L);
        assertThat(seenSentences).as("held-out tickets whose sentence a training ticket used").isZero();

        // The sentiment set (the customer's follow-ups too) is held out as well, and says that its labels are weak.
        SentimentWeakLabels sentimentSource = new SentimentWeakLabels(layout, settings.features().languages(),
                null, null);
        Dataset<Row> sentiment = splitter.split(sentimentSource.load(spark));
        HeldOutDescription weak = HeldOutDescription.ofSplit(sentiment, sentimentSource.weakLabelRule());
        sentiment.unpersist();
        assertThat(weak.weakLabels()).contains("derived from outcomes");
        assertThat(weak.overlapShare()).isLessThan(0.05);
    }
}
