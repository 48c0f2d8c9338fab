package io.cxml.training.data;

import static org.assertj.core.api.Assertions.assertThat;

import io.cxml.contract.CuratedInteractions;
import io.cxml.testing.LocalSpark;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

class SentimentWeakLabelsTest {
    /** The documented rule, written independently of the Spark column. */
    private static String rule(Integer csat, boolean escalated, boolean reopened) {
        if ((csat != null && csat <= 2) || escalated) {
            return SentimentWeakLabels.NEGATIVE;
        }
        if (csat != null && csat >= 4 && !reopened) {
            return SentimentWeakLabels.POSITIVE;
        }
        if (csat != null && csat == 3) {
            return SentimentWeakLabels.NEUTRAL;
        }
        return null;
    }

    @Test
    void appliesTheDocumentedRuleToEveryCombination() {
        SparkSession spark = LocalSpark.get();
        StructType schema = new StructType()
                .add(CuratedInteractions.CSAT, DataTypes.IntegerType, true)
                .add(CuratedInteractions.ESCALATED, DataTypes.BooleanType, false)
                .add(CuratedInteractions.REOPENED, DataTypes.BooleanType, false);
        List<Row> rows = new ArrayList<>();
        List<String> expected = new ArrayList<>();
        for (Integer csat : new Integer[] {null, 1, 2, 3, 4, 5}) {
            for (boolean escalated : new boolean[] {false, true}) {
                for (boolean reopened : new boolean[] {false, true}) {
                    rows.add(RowFactory.create(csat, escalated, reopened));
                    expected.add(rule(csat, escalated, reopened));
                }
            }
        }
        Dataset<Row> labelled = spark.createDataFrame(rows, schema)
                .withColumn("weak", SentimentWeakLabels.weakLabel());
        List<String> actual = labelled.collectAsList().stream().map(r -> (String) r.getAs("weak")).toList();
        assertThat(actual).containsExactlyElementsOf(expected);
        assertThat(expected).contains(null, SentimentWeakLabels.NEGATIVE, SentimentWeakLabels.NEUTRAL,
                SentimentWeakLabels.POSITIVE);
    }
    @Test
    void customerTextIsTheTicketTextThenTheCustomersLaterMessages() {
        StructType schema = new StructType()
                .add(CuratedInteractions.TEXT, DataTypes.StringType, false)
                .add(CuratedInteractions.MESSAGES, DataTypes.createArrayType(CuratedInteractions.MESSAGE, false));
        List<Row> rows = List.of(
                RowFactory.create("Card declined my card was declined", List.of(
                        RowFactory.create("customer", null, "my card was declined"),
                        RowFactory.create("agent", null, "We are looking into it."),
                        RowFactory.create("customer", null, "This still isn't working."),
                        RowFactory.create("customer", null, "Any news on this?"))),
                RowFactory.create("where is my parcel", List.of(RowFactory.create("customer", null,
                        "where is my parcel"))));
        List<String> texts = LocalSpark.get().createDataFrame(rows, schema)
                .select(SentimentWeakLabels.customerText()).as(org.apache.spark.sql.Encoders.STRING())
                .collectAsList();

        assertThat(texts).containsExactly(
                "Card declined my card was declined This still isn't working. Any news on this?",
                "where is my parcel");
    }
}
