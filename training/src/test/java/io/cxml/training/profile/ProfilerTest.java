package io.cxml.training.profile;

import static org.assertj.core.api.Assertions.assertThat;

import io.cxml.testing.LocalSpark;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.junit.jupiter.api.Test;

/** Profiling on the executors gives exactly the in-memory counts, per slice, with decile edges of the reference. */
class ProfilerTest {
    private static List<Row> rows(int n, long seed) {
        Random r = new Random(seed);
        List<Row> out = new ArrayList<>();
        String[] langs = {"en", "de", "ja"};
        for (int i = 0; i < n; i++) {
            double confidence = r.nextDouble();
            out.add(RowFactory.create(langs[r.nextInt(3)], r.nextBoolean() ? "email" : "chat", null,
                    "t" + r.nextInt(4), i % 7 == 0 ? null : "team" + r.nextInt(3), (double) (20 + r.nextInt(400)),
                    "intent" + r.nextInt(12), confidence, confidence < 0.3));
        }
        return out;
    }

    @Test
    void executorsAndMemoryAgreeAndEdgesAreDeciles() {
        List<Row> rows = rows(4000, 1);
        Dataset<Row> ds = LocalSpark.get().createDataFrame(rows, ProfileColumns.SCHEMA).repartition(4);

        Profile spark = Profiler.profile(ds.drop(ProfileColumns.PRIORITY), null, Map.of("model", "intent@v1"));

        double[] chars = spark.edges().get(ProfileColumns.TEXT_CHARS);
        assertThat(chars).hasSize(Profiler.BINS - 1).isSorted();
        ProfileAccumulator memory = new ProfileAccumulator(spark.edges());
        rows.forEach(memory::add);
        Profile local = memory.finish(spark.quantiles(), Map.of("model", "intent@v1"));
        assertThat(spark.rows()).isEqualTo(4000);
        assertThat(spark.slices().keySet()).isEqualTo(local.slices().keySet())
                .contains("overall", "language=en", "language=ja", "tenant=t3");
        for (String s : local.slices().keySet()) {
            SliceProfile a = spark.slices().get(s);
            SliceProfile b = local.slices().get(s);
            assertThat(a.rows()).as(s).isEqualTo(b.rows());
            assertThat(a.categorical()).as(s).isEqualTo(b.categorical());
            assertThat(a.numeric().keySet()).isEqualTo(b.numeric().keySet());
            a.numeric().forEach((f, bins) -> assertThat(bins).as(s + " " + f).isEqualTo(b.numeric().get(f)));
            assertThat(a.meanConfidence()).isCloseTo(b.meanConfidence(), org.assertj.core.data.Offset.offset(1e-9));
            assertThat(a.unknownRate()).isEqualTo(b.unknownRate());
        }
        SliceProfile overall = spark.overall();
        long[] charBins = overall.numeric().get(ProfileColumns.TEXT_CHARS);
        for (long c : charBins) {
            assertThat(c).as("deciles hold about a tenth each").isBetween(300L, 500L);
        }
        assertThat(overall.counts(ProfileColumns.PRIORITY)).containsOnly(Map.entry(ProfileColumns.MISSING, 4000L));
        assertThat(overall.counts(ProfileColumns.TEAM)).containsKey(ProfileColumns.MISSING);
        assertThat(spark.slices().get("language=en").counts(ProfileColumns.LANGUAGE)).as("own dimension").isEmpty();
        assertThat(spark.quantiles().get(ProfileColumns.CONFIDENCE)).hasSize(Profile.QUANTILES.length).isSorted();
    }

    @Test
    void aProfileSurvivesItsJsonFile(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
        Profile p = Profiler.profile(LocalSpark.get().createDataFrame(rows(500, 2), ProfileColumns.SCHEMA), null,
                Map.of("model", "intent@v2"));
        String version = dir.resolve("v2").toUri().toString();
        assertThat(ReferenceProfiles.read(version, LocalSpark.get().sparkContext().hadoopConfiguration())).isEmpty();
        ReferenceProfiles.write(p, version, LocalSpark.get().sparkContext().hadoopConfiguration());
        Profile back = ReferenceProfiles.read(version, LocalSpark.get().sparkContext().hadoopConfiguration())
                .orElseThrow();
        assertThat(back.rows()).isEqualTo(p.rows());
        assertThat(back.facts()).isEqualTo(p.facts());
        assertThat(back.overall().categorical()).isEqualTo(p.overall().categorical());
        assertThat(back.edges().get(ProfileColumns.CONFIDENCE)).isEqualTo(p.edges().get(ProfileColumns.CONFIDENCE));
        assertThat(back.overall().unknownRate()).isEqualTo(p.overall().unknownRate());
    }
}
