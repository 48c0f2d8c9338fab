package io.cxml.jobs.features;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cxml.jobs.CliTestBase;
import io.cxml.storage.StorageLayout;
import io.cxml.testing.LocalSpark;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code cxml features list|build|training-set} as a user runs them, on a small generated sample. */
class FeaturesCommandTest extends CliTestBase {
    @TempDir
    Path root;

    private String[] withRoot(String... args) {
        String[] all = new String[args.length + 4];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--conf";
        all[args.length + 1] = "cxml.storage.root=" + root;
        all[args.length + 2] = "--conf";
        all[args.length + 3] = "spark.sql.shuffle.partitions=4";
        return all;
    }

    @Test
    void pipelineBuildsFeaturesThenListAndTrainingSetUseThem() throws Exception {
        assertThat(cxml(withRoot("pipeline", "--sample", "--tickets", "1200", "--accounts", "4", "--days", "5")))
                .as(err.toString(StandardCharsets.UTF_8)).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("features-build succeeded",
                "ticket_text.rows", "customer_history.rows", "account_context.rows");

        assertThat(cxml(withRoot("features", "list", "--json"))).isZero();
        JsonNode listed = new ObjectMapper().readTree(out.toString(StandardCharsets.UTF_8));
        assertThat(listed.get("views")).hasSize(3);
        for (JsonNode v : listed.get("views")) {
            assertThat(v.get("currentVersion").asInt()).as(v.get("name").asText()).isEqualTo(1);
            assertThat(v.at("/versions/0/materialized").asText()).matches("\\d{4}-\\d\\d-\\d\\d\\.\\.\\d{4}.*");
        }
        assertThat(cxml(withRoot("features", "list"))).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("customer_history", "requester_id", "90d", "v1");

        assertThat(cxml(withRoot("features", "training-set", "--labels", "curated", "--views",
                "ticket_text,customer_history:v1,account_context", "--out", "training-sets/t1")))
                .as(err.toString(StandardCharsets.UTF_8)).isZero();
        StorageLayout layout = StorageLayout.of(root.toString());
        Dataset<Row> set = LocalSpark.get().read().parquet(layout.resolve("training-sets/t1"));
        assertThat(set.count()).isEqualTo(1200);
        assertThat(set.filter("ticket_text__language is null").count()).isZero();
        assertThat(set.filter("customer_history__event_time > created_at or account_context__event_time > "
                + "created_at").count()).isZero();
        assertThat(set.select("split").distinct().count()).isEqualTo(3);
        // The sample's hidden true language against the detector (short xSID/BANKING77 texts).
        long agree = set.filter("ticket_text__language = true_language").count();
        stderr.printf("language agreement on the sample: %d / %d%n", agree, set.count());
        assertThat(agree).isGreaterThan(set.count() * 85 / 100);
        JsonNode manifest = new ObjectMapper().readTree(Files.readString(root.resolve(
                "training-sets/t1/_training_set.json")));
        assertThat(manifest.at("/views/1/name").asText()).isEqualTo("customer_history");
        assertThat(manifest.at("/views/1/version").asInt()).isEqualTo(1);
        assertThat(manifest.at("/columns/text").asText()).isEqualTo("ticket_text__text_normalized");
        assertThat(manifest.at("/columns/tasks/intent/label").asText()).isEqualTo(TrainingSetCommand.INTENT_LABEL);
        // Intent labels are the agents' contact_reason field (set on ~70% of the sample's tickets, ~8% wrong, old
        // names mapped by the taxonomy), never the hidden truth, which the set keeps only to measure against.
        long labelled = set.where(TrainingSetCommand.INTENT_LABEL + " is not null").count();
        long right = set.where(TrainingSetCommand.INTENT_LABEL + " = true_intent").count();
        assertThat(labelled).isBetween(set.count() * 60 / 100, set.count() * 75 / 100);
        assertThat(right).isBetween(labelled * 85 / 100, labelled * 97 / 100);
        assertThat(manifest.at("/columns/tasks/sentiment/text").asText()).isEqualTo(TrainingSetCommand.CUSTOMER_TEXT);
        assertThat(manifest.at("/split/method").asText()).isEqualTo("time");
        assertThat(manifest.at("/split/testShare").asDouble()).isEqualTo(0.1);
        long testRows = manifest.at("/rows/test").asLong();
        assertThat(testRows).isPositive();
        long intentTest = set.where("split = 'test' and " + TrainingSetCommand.INTENT_LABEL + " is not null").count();
        long sentimentTest = set.where("split = 'test' and " + TrainingSetCommand.SENTIMENT_LABEL + " is not null")
                .count();

        // Training from the feature store records the exact view versions in the model's manifest.
        assertThat(cxml(withRoot("train", "intent", "--training-set", "training-sets/t1", "--name", "intent-fs")))
                .isZero();
        JsonNode model = new ObjectMapper().readTree(Files.readString(root.resolve("models/intent-fs/v1/model.json")));
        assertThat(model.toString()).contains("feature-store training set");
        String report = Files.readString(root.resolve("models/intent-fs/v1/report/report.html"));
        assertThat(report).contains("label coverage", "label agreement with truth", "model accuracy vs truth");
        for (JsonNode view : manifest.get("views")) {
            assertThat(model.findValue("featureVersions").get(view.get("name").asText()).asText())
                    .isEqualTo("v" + view.get("version").asInt() + " (" + view.get("fingerprint").asText() + ")");
        }
        // The split is the training set's, not a new one: every test row of the set is held out, no other.
        assertThat(model.at("/metrics/examples").asLong()).isEqualTo(intentTest);

        // Sentiment reads the same set: its own label and text columns from the manifest, the same split.
        assertThat(cxml(withRoot("train", "sentiment", "--training-set", "training-sets/t1", "--name", "sentiment-fs",
                "--conf", "cxml.training.baseline-features=0"))).as(err.toString(StandardCharsets.UTF_8)).isZero();
        JsonNode sentiment = new ObjectMapper().readTree(Files.readString(
                root.resolve("models/sentiment-fs/v1/model.json")));
        assertThat(sentiment.toString()).contains("sentiment label " + TrainingSetCommand.SENTIMENT_LABEL,
                "text " + TrainingSetCommand.CUSTOMER_TEXT, "split kept");
        assertThat(sentiment.at("/metrics/examples").asLong()).isEqualTo(sentimentTest);

        assertThat(cxml(withRoot("train", "intent", "--training-set", "training-sets/none"))).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8).lines()).anyMatch(l -> l.startsWith("cxml train intent: error: Cannot read training set"));
    }

    @Test
    void usageErrorsExitTwo() {
        assertThat(cxml("features", "build")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("Missing required option: '--from=DATE'");
        assertThat(cxml("features", "training-set", "--labels", "curated", "--views", "ticket_text", "--out", "x",
                "--conf", "cxml.features.training-set.validation-fraction=0.8")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("cumulative label-time quantiles are retired",
                "cxml.features.training-set.validation-share = test-fraction - validation-fraction");
        assertThat(cxml("features", "list", "--conf", "cxml.features.languages=[en,xx]")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .contains("Cannot configure language detection: 'xx' is not an ISO 639-1 code");
    }
}
