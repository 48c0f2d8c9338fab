package io.cxml.features;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cxml.contract.CuratedInteractions;
import io.cxml.features.view.AccountContextView;
import io.cxml.features.view.CustomerHistoryView;
import io.cxml.features.view.FeatureOptions;
import io.cxml.features.view.FeatureView;
import io.cxml.features.view.FeatureViewDefinition;
import io.cxml.runs.RunRecord;
import io.cxml.s3.Committers;
import io.cxml.storage.StorageLayout;
import io.cxml.testing.LocalSpark;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OfflineStoreTest {
    private static final LocalDate FROM = LocalDate.of(2026, 1, 5);
    private static final LocalDate TO = FROM.plusDays(19);
    private final SparkSession spark = LocalSpark.get();
    private final FeatureOptions options = FeatureOptions.defaults();

    @Test
    void incrementalBuildsEqualOneBuildAndRerunsChangeNothing(@TempDir Path dir) {
        List<FeatureView> views = List.of(new CustomerHistoryView(options), new AccountContextView(options));
        StorageLayout whole = layoutWithCurated(dir.resolve("whole"));
        StorageLayout daily = layoutWithCurated(dir.resolve("daily"));

        Map<String, Integer> built = new OfflineStore(spark, whole).build(views, FROM, TO, RunRecord.start("t"));
        assertThat(built).containsExactly(Map.entry("customer_history", 1), Map.entry("account_context", 1));
        OfflineStore dailyStore = new OfflineStore(spark, daily);
        for (LocalDate d = FROM; !d.isAfter(TO); d = d.plusDays(10)) {
            LocalDate end = d.plusDays(9).isAfter(TO) ? TO : d.plusDays(9);
            dailyStore.build(views, d, end, RunRecord.start("t"));
        }
        for (FeatureView v : views) {
            String name = v.definition().name();
            List<String> once = rows(new OfflineStore(spark, whole).read(name, 1));
            assertThat(once).isNotEmpty();
            assertThat(rows(dailyStore.read(name, 1))).as(name).isEqualTo(once);
        }

        RunRecord again = RunRecord.start("t");
        new OfflineStore(spark, whole).build(views, FROM.plusDays(3), FROM.plusDays(5), again);
        assertThat(again.count("customer_history.rows")).isPositive();
        assertThat(again.versions).containsEntry("features.customer_history", "v1");
        for (FeatureView v : views) {
            String name = v.definition().name();
            assertThat(rows(new OfflineStore(spark, whole).read(name, 1)))
                    .isEqualTo(rows(dailyStore.read(name, 1)));
        }
        FeatureRegistry.VersionEntry entry = new OfflineStore(spark, whole).registry().latest("customer_history");
        assertThat(entry.materializedFrom).isEqualTo(FROM.toString());
        assertThat(entry.materializedTo).isEqualTo(TO.toString());
        assertThat(entry.lastBuildRunId).isEqualTo(again.runId);
    }

    @Test
    void changedDefinitionGetsANewVersionAndKeepsTheOld(@TempDir Path dir) throws IOException {
        StorageLayout layout = layoutWithCurated(dir);
        OfflineStore store = new OfflineStore(spark, layout);
        FeatureView v1 = new CustomerHistoryView(options);
        store.build(List.of(v1), FROM, FROM.plusDays(9), RunRecord.start("t"));
        Path v1Dir = Path.of(java.net.URI.create(layout.features("customer_history", 1)));
        List<String> v1Files = files(v1Dir);

        FeatureView changed = withDefinition(v1, v1.definition().toBuilder().setLogicVersion("2").build());
        assertThat(store.build(List.of(changed), FROM, FROM.plusDays(9), RunRecord.start("t")))
                .containsEntry("customer_history", 2);
        assertThat(files(v1Dir)).isEqualTo(v1Files);
        assertThat(Path.of(java.net.URI.create(layout.features("customer_history", 2)))).isDirectory();

        // Owner, description and TTL do not change the data: no new version, metadata updated.
        FeatureView reowned = withDefinition(changed, changed.definition().toBuilder().optOwner("routing-team")
                .setTtl(java.time.Duration.ofDays(30)).build());
        assertThat(store.build(List.of(reowned), FROM, FROM, RunRecord.start("t")))
                .containsEntry("customer_history", 2);

        JsonNode json = new ObjectMapper().readTree(Files.readString(
                Path.of(java.net.URI.create(layout.featureRegistry()))));
        JsonNode versions = json.at("/views/customer_history/versions");
        assertThat(versions).hasSize(2);
        assertThat(versions.get(0).get("fingerprint").asText()).isEqualTo(v1.definition().fingerprint());
        assertThat(versions.get(1).get("fingerprint").asText()).isEqualTo(changed.definition().fingerprint());
        assertThat(versions.get(1).get("path").asText()).isEqualTo("features/customer_history/v2");
        assertThat(versions.get(1).get("owner").asText()).isEqualTo("routing-team");
        assertThat(versions.get(1).get("ttlSeconds").asLong()).isEqualTo(30L * 86400);
        assertThat(versions.get(1).at("/columns/csat_mean_90d").asText()).isEqualTo("double");
    }

    @Test
    void failsClearlyWithoutCuratedDataOrWithAReversedWindow(@TempDir Path dir) {
        OfflineStore store = new OfflineStore(spark, StorageLayout.of(dir.toString()));
        List<FeatureView> views = List.of(new CustomerHistoryView(options));
        assertThatThrownBy(() -> store.build(views, FROM, FROM, RunRecord.start("t")))
                .hasMessage("Cannot build features: no curated interactions at "
                        + StorageLayout.of(dir.toString()).curatedInteractions() + ". Run bin/cxml ingest first");
        assertThatThrownBy(() -> store.build(views, TO, FROM, RunRecord.start("t")))
                .hasMessage("Cannot build features for 2026-01-24..2026-01-05: --to is before --from. Swap them");
    }

    static FeatureView withDefinition(FeatureView base, FeatureViewDefinition definition) {
        return new FeatureView() {
            @Override
            public FeatureViewDefinition definition() {
                return definition;
            }

            @Override
            public Dataset<Row> compute(Dataset<Row> curated) {
                return base.compute(curated);
            }
        };
    }

    StorageLayout layoutWithCurated(Path root) {
        StorageLayout layout = StorageLayout.of(root.toString());
        Committers.withClassicCommitter(spark, () -> {
            CuratedFixtures.toCurated(spark, CuratedFixtures.random(800, 20, 11)).write().mode(SaveMode.Overwrite)
                    .partitionBy(CuratedInteractions.DT).parquet(layout.curatedInteractions());
            return null;
        });
        return layout;
    }

    private static List<String> rows(Dataset<Row> data) {
        String[] cols = data.columns();
        return data.select(org.apache.spark.sql.functions.to_json(org.apache.spark.sql.functions.struct(
                        java.util.Arrays.stream(cols).map(c -> col(c)).toArray(org.apache.spark.sql.Column[]::new)))
                        .as("j"))
                .orderBy("j").collectAsList().stream().map(r -> r.getString(0)).toList();
    }

    private static List<String> files(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).map(p -> dir.relativize(p) + ":" + p.toFile().length()
                    + ":" + p.toFile().lastModified()).sorted().toList();
        }
    }
}
