package io.cxml.training.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cxml.features.TrainingColumns;
import io.cxml.features.TrainingSetBuilder;
import io.cxml.features.split.SplitPlan;
import io.cxml.testing.LocalSpark;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A feature-store training set is read as its manifest says: recorded columns, the split it wrote, no guessing. */
class FeatureStoreTrainingSetTest {
    private static final StructType SET = new StructType().add("ticket_id", DataTypes.StringType)
            .add("account_id", DataTypes.StringType).add("created_at", DataTypes.TimestampType)
            .add("true_intent", DataTypes.StringType).add("sentiment_weak_label", DataTypes.StringType)
            .add("customer_text", DataTypes.StringType).add("ticket_text__text_normalized", DataTypes.StringType)
            .add("ticket_text__language", DataTypes.StringType).add("customer_history__prior_tickets_7d",
                    DataTypes.LongType).add(SplitPlan.SPLIT, DataTypes.StringType);
    @TempDir
    static Path dir;
    private static String path;

    @BeforeAll
    static void writeSet() throws Exception {
        SparkSession spark = LocalSpark.get();
        List<Row> rows = new ArrayList<>();
        Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
        for (int i = 0; i < 40; i++) {
            // The written split is deliberately not what a time split would give: it must be kept as written.
            String split = i % 4 == 0 ? SplitPlan.TEST : i % 4 == 1 ? SplitPlan.VALIDATION : SplitPlan.TRAIN;
            rows.add(RowFactory.create("t" + i, "acct" + (i % 2), Timestamp.from(t0.plusSeconds(i)), "intent" + (i % 3),
                    i % 5 == 0 ? null : "positive", "customer says " + i, "ticket text " + i, "en", (long) i,
                    i == 39 ? null : split));
        }
        path = dir.resolve("set").toUri().toString();
        spark.createDataFrame(rows, SET).write().mode(SaveMode.Overwrite).parquet(path);
        writeManifest(dir.resolve("set"), manifest());
    }

    private static ObjectNode manifest() {
        ObjectMapper json = new ObjectMapper();
        ObjectNode m = json.createObjectNode();
        m.put("format", TrainingSetBuilder.FORMAT);
        m.put("labels", "curated");
        ObjectNode columns = m.putObject("columns");
        columns.put("text", "ticket_text__text_normalized");
        columns.put("language", "ticket_text__language");
        columns.put("tenant", "account_id");
        columns.put("labelTime", "created_at");
        columns.putObject("tasks").putObject("intent").put("label", "true_intent");
        ((ObjectNode) columns.get("tasks")).putObject("sentiment").put("label", "sentiment_weak_label")
                .put("text", "customer_text").put("weakLabels", "weak: from outcomes");
        m.putObject("split").put("method", SplitPlan.BY_TIME);
        m.putArray("views").addObject().put("name", "ticket_text").put("version", 1).put("fingerprint", "abc");
        return m;
    }

    private static void writeManifest(Path set, ObjectNode manifest) throws Exception {
        Files.writeString(set.resolve(TrainingSetBuilder.MANIFEST), manifest.toString());
    }

    @Test
    void intentReadsTheRecordedColumnsAndKeepsTheWrittenSplit() {
        FeatureStoreTrainingSet set = new FeatureStoreTrainingSet(path, "intent", null,
                LocalSpark.get().sparkContext().hadoopConfiguration());
        Dataset<Row> rows = set.load(LocalSpark.get());
        // true_intent, the generated data's truth, rides along to be measured against.
        assertThat(rows.columns()).containsExactly(TrainingColumns.TEXT, TrainingColumns.LABEL,
                TrainingColumns.LANGUAGE, TrainingColumns.TENANT, TrainingColumns.EVENT_TIME, TrainingColumns.SPLIT,
                TrainingColumns.TRUTH);
        assertThat(rows.count()).as("the row without a split is left out").isEqualTo(39);
        Map<String, String> splits = rows.collectAsList().stream().collect(Collectors.toMap(
                r -> r.getString(0), r -> r.getString(5)));
        assertThat(splits).containsEntry("ticket text 0", SplitPlan.TEST).containsEntry("ticket text 1",
                SplitPlan.VALIDATION).containsEntry("ticket text 2", SplitPlan.TRAIN);
        Dataset<Row> split = new DataSplitter(0.1, 0.1, 1).split(rows);
        try {
            assertThat(split.where("split = 'test'").count()).as("no re-split").isEqualTo(10);
        } finally {
            split.unpersist();
        }
        assertThat(rows.first().getString(3)).startsWith("acct");
        assertThat(set.featureVersions()).containsEntry("ticket_text", "v1 (abc)");
        assertThat(set.weakLabelRule()).isEmpty();
        assertThat(set.describe()).contains("intent label true_intent", "split kept: time");
        assertThat(set.loadWithFeatures(LocalSpark.get()).columns()).contains("customer_history__prior_tickets_7d")
                .doesNotContain("ticket_text__text_normalized");
    }

    @Test
    void sentimentReadsItsOwnTextAndSaysItsLabelsAreWeak() {
        FeatureStoreTrainingSet set = new FeatureStoreTrainingSet(path, "sentiment", null,
                LocalSpark.get().sparkContext().hadoopConfiguration());
        List<Row> rows = set.load(LocalSpark.get()).collectAsList();
        assertThat(rows).hasSize(31).allMatch(r -> r.getString(0).startsWith("customer says"));
        assertThat(set.weakLabelRule()).contains("weak: from outcomes");
    }

    @Test
    void whatIsMissingIsNamedInsteadOfGuessed() throws Exception {
        var hadoop = LocalSpark.get().sparkContext().hadoopConfiguration();
        assertThatThrownBy(() -> new FeatureStoreTrainingSet(path, "routing", null, hadoop))
                .hasMessage("Cannot train routing from training set " + path + ": its manifest records no label "
                        + "column for routing (tasks: [intent, sentiment]). Pass --label-column, or rebuild it with "
                        + "--task-label routing=COLUMN");
        assertThatThrownBy(() -> new FeatureStoreTrainingSet(path, "intent", "team", hadoop).load(LocalSpark.get()))
                .hasMessageStartingWith("Cannot train intent from training set " + path + ": its intent label column "
                        + "'team' is missing (columns: [ticket_id,");

        Path other = dir.resolve("other");
        LocalSpark.get().read().parquet(path).drop("ticket_text__language").write().parquet(other.toString());
        writeManifest(other, manifest());
        assertThatThrownBy(() -> new FeatureStoreTrainingSet(other.toString(), "intent", null, hadoop)
                .load(LocalSpark.get()))
                .hasMessageContaining("its language column 'ticket_text__language' is missing")
                .hasMessageEndingWith("Rebuild it with `cxml features training-set --out " + other + "`");

        ObjectNode old = manifest();
        old.remove("columns");
        old.put("format", 1);
        writeManifest(other, old);
        assertThatThrownBy(() -> new FeatureStoreTrainingSet(other.toString(), "intent", null, hadoop))
                .hasMessage("Cannot train from training set " + other + ": its manifest (format 1) does not record "
                        + "which columns are the text, language, tenant and label time. Rebuild it with `cxml "
                        + "features training-set --out " + other + "`");
    }
}
