package io.cxml.training.routing;

import static org.assertj.core.api.Assertions.assertThat;

import io.cxml.features.TrainingColumns;
import io.cxml.runtime.embedding.BaseEncoder;
import io.cxml.runtime.routing.EmbeddingProjection;
import io.cxml.runtime.routing.RoutingFeatures;
import io.cxml.runtime.routing.RoutingIndex;
import io.cxml.runtime.routing.RoutingTrainingOptions;
import io.cxml.runtime.stages.EmbeddingStage;
import io.cxml.testing.LocalSpark;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Same rows and seed, another input order and partitioning: byte-identical routing models (every tenant's, the
 * global fallback, the index with its embedding projection). The rows are built to meet every choice training makes
 * among rows: tickets of one tenant created the same second (order ties), more tickets than the per-tenant cap and
 * the global sample keep, and a row id that the splitter numbers by partition.
 */
class RoutingReproducibilityTest {
    private static final BaseEncoder ENCODER = new BaseEncoder("/encoders/test", "test-encoder", "0123456789abcdef0123",
            128);
    private static final String VECTORS = EmbeddingStage.columnFor(ENCODER);
    private static final int DIM = 12;
    private static final RoutingTrainingOptions OPTIONS = RoutingTrainingOptions.DEFAULT.toBuilder().setEpochs(3)
            .setMinTenantExamples(40).setMaxTenantExamples(150).setGlobalExamples(300).setTenantsPerTask(2)
            .setLookbackDays(0).build();

    @TempDir
    Path dir;

    private static Dataset<Row> rows(SparkSession spark) {
        StructType schema = new StructType().add(TrainingColumns.TEXT, DataTypes.StringType)
                .add(TrainingColumns.LABEL, DataTypes.StringType).add(TrainingColumns.LANGUAGE, DataTypes.StringType)
                .add(TrainingColumns.TENANT, DataTypes.StringType)
                .add(TrainingColumns.EVENT_TIME, DataTypes.TimestampType)
                .add("channel", DataTypes.StringType).add("priority", DataTypes.StringType)
                .add(TrainingColumns.SPLIT, DataTypes.StringType)
                .add(VECTORS, DataTypes.createArrayType(DataTypes.FloatType));
        String[] teams = {"billing", "cards", "fraud", "tech"};
        String[] words = {"refund", "card", "stolen", "login", "invoice", "blocked", "password", "charge"};
        Random r = new Random(5);
        List<Row> out = new ArrayList<>();
        for (int t = 0; t < 7; t++) {
            int n = t < 2 ? 12 : 100 + 30 * t; // two small tenants on the global model
            for (int i = 0; i < n; i++) {
                int team = r.nextInt(teams.length);
                // Few distinct texts: tickets that tie on time, text and team but differ in their other features.
                String text = words[team * 2] + " " + words[r.nextInt(words.length)];
                Float[] v = new Float[DIM];
                for (int d = 0; d < DIM; d++) {
                    v[d] = (float) (r.nextGaussian() * 0.2 + (d % teams.length == team ? 1 : 0));
                }
                // Ten tickets a day, all at midnight: many ties in time.
                Timestamp created = new Timestamp(1767225600000L + 86_400_000L * (i / 10));
                out.add(RowFactory.create(text, teams[team], "en", "acct-" + t, created, i % 3 == 0 ? "phone"
                        : "email", i % 4 == 0 ? "high" : "normal", i % 10 == 9 ? TrainingColumns.VALIDATION
                        : TrainingColumns.TRAIN, v));
            }
        }
        return spark.createDataFrame(out, schema);
    }

    /** Trains on the rows as given: projection, tenant models and global model, into {@code dir/name}. */
    private Map<String, byte[]> train(Dataset<Row> rows, String name) throws Exception {
        Dataset<Row> withId = rows.withColumn(TrainingColumns.ROW_ID, functions.monotonically_increasing_id());
        EmbeddingProjection projection = ProjectionFit.fit(withId, OPTIONS, ENCODER, 4);
        RoutingFeatures features = new RoutingFeatures(List.of(), 64, 16, 64, List.of(), projection);
        Path model = dir.resolve(name);
        RoutingTraining.Trained trained = RoutingTraining.train(withId, features, OPTIONS, model.toString(),
                rows.sparkSession().sparkContext().hadoopConfiguration());
        assertThat(trained.index().tenants).hasSize(5);
        assertThat(trained.index().fallback).hasSize(2);
        Map<String, byte[]> files = new TreeMap<>();
        try (Stream<Path> all = Files.list(model)) {
            for (Path f : all.filter(p -> !p.getFileName().toString().startsWith(".")).toList()) {
                files.put(f.getFileName().toString(), Files.readAllBytes(f));
            }
        }
        return files;
    }

    @Test
    @Tag("slow")
    void sameDataAndSeedGiveByteIdenticalModelsWhateverTheOrderAndPartitioning() throws Exception {
        SparkSession spark = LocalSpark.get();
        Dataset<Row> rows = rows(spark).cache();
        Map<String, byte[]> first = train(rows.coalesce(1), "ordered");
        Map<String, byte[]> second = train(rows.orderBy(functions.rand(11)).repartition(5), "shuffled");
        assertThat(first.keySet()).contains(RoutingIndex.FILE, RoutingIndex.GLOBAL_ARTIFACT)
                .isEqualTo(second.keySet());
        first.forEach((file, bytes) -> assertThat(second.get(file)).as(file).isEqualTo(bytes));
        // The index holds the projection: its directions are unit-variance on the training vectors.
        RoutingIndex index = RoutingIndex.JSON.readValue(first.get(RoutingIndex.FILE), RoutingIndex.class);
        assertThat(index.features.embedding().dims()).isEqualTo(4);
        assertThat(index.features.embedding().encoder()).isEqualTo(ENCODER);
        assertThat(index.features.embedding().explainedVariance()).isBetween(0.3, 1.0);
        rows.unpersist();
    }

    @Test
    void aMissingVectorRoutesOnTheOtherFeatures() {
        float[] mean = new float[DIM];
        float[] components = new float[2 * DIM];
        components[0] = 1f;
        components[DIM + 1] = 2f;
        EmbeddingProjection p = new EmbeddingProjection(ENCODER, mean, components, 2, 0.5);
        float[] x = new float[3];
        float[] v = new float[DIM];
        v[0] = 0.5f;
        v[1] = 0.25f;
        p.project(v, x, 1);
        assertThat(x).containsExactly(0f, 0.5f, 0.5f);
        float[] none = new float[3];
        p.project(null, none, 1);
        assertThat(none).containsExactly(0f, 0f, 0f);
    }

    @Test
    void theProjectionIsThePrincipalDirectionScaledToUnitVariance() {
        List<Row> rows = new ArrayList<>();
        Random r = new Random(3);
        for (int i = 0; i < 2000; i++) {
            double a = r.nextGaussian() * 3;
            Float[] v = {(float) a, (float) (r.nextGaussian() * 0.1), (float) (a + r.nextGaussian() * 0.1)};
            rows.add(RowFactory.create((long) i, scala.jdk.javaapi.CollectionConverters.asScala(
                    java.util.Arrays.asList(v)).toSeq()));
        }
        EmbeddingProjection p = ProjectionFit.project(rows, ENCODER, 1);
        // The direction (1, 0, 1)/sqrt(2), variance about 18: components about 0.707 / 4.24.
        assertThat(p.components()[0]).isCloseTo(p.components()[2], org.assertj.core.data.Offset.offset(0.01f));
        assertThat(Math.abs(p.components()[1])).isLessThan(0.01f);
        double projectedVariance = 0;
        float[] x = new float[1];
        for (Row row : rows) {
            List<Float> list = row.getList(1);
            float[] v = {list.get(0), list.get(1), list.get(2)};
            p.project(v, x, 0);
            projectedVariance += x[0] * x[0] / (rows.size() - 1);
        }
        assertThat(projectedVariance).isCloseTo(1.0, org.assertj.core.data.Offset.offset(0.01));
        assertThat(p.explainedVariance()).isGreaterThan(0.99);
    }
}
