package io.cxml.features;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cxml.contract.CuratedInteractions;
import io.cxml.features.CuratedFixtures.Ticket;
import io.cxml.features.split.SplitPlan;
import io.cxml.features.split.SplitShares;
import io.cxml.features.view.FeatureOptions;
import io.cxml.features.view.FeatureView;
import io.cxml.features.view.FeatureViewDefinition;
import io.cxml.features.view.FeatureViews;
import io.cxml.runs.RunRecord;
import io.cxml.s3.Committers;
import io.cxml.storage.StorageLayout;
import io.cxml.testing.LocalSpark;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainingSetBuilderTest {
    private static final LocalDate FROM = LocalDate.of(2026, 1, 5);
    private static final FeatureOptions OPTIONS = FeatureOptions.defaults();
    private static final List<String> VIEWS = List.of("ticket_text", "customer_history", "account_context");
    @TempDir
    static Path root;
    private static StorageLayout layout;
    private static List<Ticket> tickets;
    private static Dataset<Row> curated;
    private final SparkSession spark = LocalSpark.get();

    @BeforeAll
    static void buildStore() {
        SparkSession spark = LocalSpark.get();
        layout = StorageLayout.of(root.toString());
        tickets = CuratedFixtures.random(600, 30, 3);
        curated = CuratedFixtures.toCurated(spark, tickets);
        Committers.withClassicCommitter(spark, () -> {
            curated.write().mode(SaveMode.Overwrite).partitionBy(CuratedInteractions.DT)
                    .parquet(layout.curatedInteractions());
            return null;
        });
        new OfflineStore(spark, layout).build(FeatureViews.builtIn(OPTIONS).all(), FROM, FROM.plusDays(29),
                RunRecord.start("features-build"));
    }

    @Test
    void everyLabelGetsOnlyPastFeaturesWithinTtlAndAManifest() throws Exception {
        Dataset<Row> labels = curated.select(col(CuratedInteractions.TICKET_ID), col(CuratedInteractions.REQUESTER_ID),
                col(CuratedInteractions.ACCOUNT_ID), col(CuratedInteractions.CREATED_AT).as("label_time"),
                col(CuratedInteractions.CHANNEL).as("label"));
        String out = layout.resolve("training-sets/t1");
        RunRecord record = RunRecord.start("features-training-set");
        List<TrainingSetBuilder.ViewRef> refs = VIEWS.stream().map(TrainingSetBuilder.ViewRef::parse).toList();
        TrainingSetColumns columns = TrainingSetColumns.defaults(List.of(labels.columns()), refs, "label_time",
                Map.of("channel", new TrainingSetColumns.Task("label", null, null)));
        SplitPlan plan = SplitPlan.choose(labels, "label_time", List.of(labels.columns()), SplitShares.DEFAULT, 42);
        assertThat(plan.timeBased()).isTrue();
        TrainingSetBuilder.Manifest manifest = new TrainingSetBuilder(spark, layout).build(labels, "fixture",
                columns, refs, plan, out, record);

        Dataset<Row> set = spark.read().parquet(out).cache();
        assertThat(set.count()).isEqualTo(tickets.size());
        assertThat(manifest.rows.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(tickets.size());
        Map<String, FeatureViewDefinition> defs = FeatureViews.builtIn(OPTIONS).all().stream()
                .collect(Collectors.toMap(v -> v.definition().name(), FeatureView::definition));
        for (String view : VIEWS) {
            String eventTime = view + "__event_time";
            long ttl = defs.get(view).ttl().toSeconds();
            assertThat(set.filter(col(eventTime).gt(col("label_time"))).count()).as(view + " leaks").isZero();
            assertThat(set.filter(expr("unix_seconds(label_time) - unix_seconds(" + eventTime + ") > " + ttl))
                    .count()).as(view + " beyond TTL").isZero();
        }
        // Every ticket's own events are stamped at its creation: they join exactly.
        assertThat(set.filter(col("ticket_text__language").isNull()
                .or(col("ticket_text__event_time").notEqual(col("label_time")))).count()).isZero();
        assertThat(set.filter(col("requester_id").isNotNull()
                .and(col("customer_history__event_time").notEqual(col("label_time")))).count()).isZero();
        for (Row r : set.filter(col("requester_id").isNotNull()).limit(100).collectAsList()) {
            Instant t = r.<Timestamp>getAs("label_time").toInstant();
            long prior = tickets.stream().filter(x -> r.getAs("requester_id").equals(x.requester())
                    && x.created().isBefore(t)).count();
            assertThat(r.<Long>getAs("customer_history__prior_tickets_total")).isEqualTo(prior);
        }

        // Time-based windows: train < validation < test, about 80/10/10.
        Map<String, Row> bounds = set.groupBy(SplitPlan.SPLIT).agg(expr("min(label_time)"), expr("max(label_time)"))
                .collectAsList().stream().collect(Collectors.toMap(r -> r.getString(0), r -> r));
        assertThat(bounds.get("train").getTimestamp(2)).isBefore(bounds.get("validation").getTimestamp(1));
        assertThat(bounds.get("validation").getTimestamp(2)).isBefore(bounds.get("test").getTimestamp(1));
        assertThat(manifest.rows.get("train")).isBetween(tickets.size() * 75L / 100, tickets.size() * 85L / 100);

        JsonNode json = new ObjectMapper().readTree(Files.readString(
                Path.of(java.net.URI.create(out + "/" + TrainingSetBuilder.MANIFEST))));
        for (int i = 0; i < VIEWS.size(); i++) {
            JsonNode v = json.at("/views/" + i);
            assertThat(v.get("name").asText()).isEqualTo(VIEWS.get(i));
            assertThat(v.get("version").asInt()).isEqualTo(1);
            assertThat(v.get("fingerprint").asText()).isEqualTo(defs.get(VIEWS.get(i)).fingerprint());
        }
        assertThat(record.versions).containsEntry("features.customer_history", "v1");
        // The manifest says which columns are the model's inputs and how the set was split.
        assertThat(json.at("/format").asInt()).isEqualTo(TrainingSetBuilder.FORMAT);
        assertThat(json.at("/columns/text").asText()).isEqualTo("ticket_text__text_normalized");
        assertThat(json.at("/columns/language").asText()).isEqualTo("ticket_text__language");
        assertThat(json.at("/columns/tenant").asText()).isEqualTo("account_id");
        assertThat(json.at("/columns/labelTime").asText()).isEqualTo("label_time");
        assertThat(json.at("/columns/tasks/channel/label").asText()).isEqualTo("label");
        assertThat(json.at("/split/method").asText()).isEqualTo(SplitPlan.BY_TIME);
        assertThat(json.at("/split/validationShare").asDouble()).isEqualTo(0.1);
        assertThat(json.at("/split/testStart").asText()).isEqualTo(plan.windows().testStart().toString());
    }

    @Test
    void aRecordedColumnThatIsNotThereFailsBeforeAnythingIsWritten() {
        Dataset<Row> labels = curated.select(col(CuratedInteractions.TICKET_ID),
                col(CuratedInteractions.CREATED_AT).as("label_time"));
        String out = layout.resolve("training-sets/missing");
        TrainingSetColumns columns = new TrainingSetColumns("ticket_text__text_normalized", null, "account_id",
                "label_time", Map.of());
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new TrainingSetBuilder(spark, layout).build(labels,
                "fixture", columns, List.of(TrainingSetBuilder.ViewRef.parse("ticket_text")),
                SplitPlan.choose(labels, "label_time", List.of("ticket_id"), SplitShares.DEFAULT, 1), out,
                RunRecord.start("features-training-set")))
                .hasMessageStartingWith("Cannot use training set " + out + ": its tenant column 'account_id' is not"
                        + " among its columns");
        assertThat(Path.of(java.net.URI.create(out))).doesNotExist();
    }

    @Test
    void labelsOneSecondBeforeCreationGetNoneOfTheTicketsOwnFeatures() {
        Dataset<Row> labels = curated.select(col(CuratedInteractions.TICKET_ID), col(CuratedInteractions.REQUESTER_ID),
                col(CuratedInteractions.CREATED_AT).minus(expr("INTERVAL 1 SECOND")).as("label_time"));
        Dataset<Row> joined = new TrainingSetBuilder(spark, layout).join(labels, "label_time",
                List.of(TrainingSetBuilder.ViewRef.parse("ticket_text"),
                        TrainingSetBuilder.ViewRef.parse("customer_history:v1")),
                new TrainingSetBuilder.Manifest()).cache();
        assertThat(joined.count()).isEqualTo(tickets.size());
        assertThat(joined.filter(col("ticket_text__event_time").isNotNull()).count()).isZero();
        assertThat(joined.filter(col("customer_history__event_time").geq(col("label_time"))).count()).isZero();
        // Requesters with an earlier ticket still get that earlier snapshot (within the 90-day TTL).
        long withEarlier = tickets.stream().filter(t -> t.requester() != null && tickets.stream().anyMatch(
                o -> t.requester().equals(o.requester()) && o.created().isBefore(t.created().minusSeconds(1))
                        && !o.created().isBefore(t.created().minus(Duration.ofDays(90)).minusSeconds(1))))
                .count();
        assertThat(joined.filter(col("customer_history__event_time").isNotNull()).count()).isEqualTo(withEarlier);
    }
}
