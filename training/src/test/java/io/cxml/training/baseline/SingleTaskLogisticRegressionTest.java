package io.cxml.training.baseline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cxml.testing.LocalSpark;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.classification.LogisticRegression;
import org.apache.spark.ml.classification.LogisticRegressionModel;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.VectorUDT;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The single-task estimator against MLlib's own LogisticRegression on the same rows, on real local Spark. */
class SingleTaskLogisticRegressionTest {
    @TempDir
    Path dir;

    private static Dataset<Row> rows(SparkSession spark, SoftmaxRegression.Problem p) {
        List<Row> out = new ArrayList<>();
        for (int r = 0; r < p.rows(); r++) {
            int from = p.rowStart()[r];
            int to = p.rowStart()[r + 1];
            out.add(RowFactory.create(Vectors.sparse(p.features(), java.util.Arrays.copyOfRange(p.index(), from, to),
                    java.util.Arrays.copyOfRange(p.value(), from, to)), (double) p.label()[r]));
        }
        StructType schema = new StructType().add("features", new VectorUDT(), false)
                .add("label", DataTypes.DoubleType, false);
        return spark.createDataFrame(out, schema).repartition(3);
    }

    @Test
    void convergesToMllibsSolutionAndSavesAsAnMllibModel() throws Exception {
        SparkSession spark = LocalSpark.get();
        SoftmaxRegression.Problem p = SoftmaxRegressionTest.problem(500, 25, 4, 7);
        Dataset<Row> train = rows(spark, p);
        for (boolean standardization : new boolean[] {false, true}) {
            LogisticRegressionModel mllib = new LogisticRegression().setFamily("multinomial").setRegParam(0.01)
                    .setStandardization(standardization).setMaxIter(500).setTol(1e-12).fit(train);
            LogisticRegressionModel ours = new SingleTaskLogisticRegression("features", "label", "probability", 0.01,
                    500, 1e-12, standardization).fit(train);
            assertThat(ours.numClasses()).isEqualTo(4);
            assertThat(ours.numFeatures()).isEqualTo(25);
            double[] a = mllib.coefficientMatrix().toArray();
            double[] b = ours.coefficientMatrix().toArray();
            for (int i = 0; i < a.length; i++) {
                assertThat(b[i]).as("coefficient %d (standardization %s)", i, standardization)
                        .isCloseTo(a[i], org.assertj.core.data.Offset.offset(2e-3 * (1 + Math.abs(a[i]))));
            }
            List<Row> pa = mllib.transform(train).select("probability").collectAsList();
            List<Row> pb = ours.transform(train).select("probability").collectAsList();
            for (int r = 0; r < pa.size(); r++) {
                Vector va = pa.get(r).getAs(0);
                Vector vb = pb.get(r).getAs(0);
                for (int c = 0; c < 4; c++) {
                    assertThat(vb.apply(c)).isCloseTo(va.apply(c), org.assertj.core.data.Offset.offset(1e-3));
                }
            }
        }
        // In a pipeline it saves and loads as MLlib's model: the registry's baseline artifacts do not change.
        PipelineModel pipeline = new Pipeline().setStages(new PipelineStage[] {new SingleTaskLogisticRegression(
                "features", "label", "probability", 0.01, 50, 1e-6, false)}).fit(train);
        String uri = dir.resolve("baseline").toUri().toString();
        pipeline.write().save(uri);
        PipelineModel loaded = PipelineModel.load(uri);
        assertThat(loaded.stages()[0]).isInstanceOf(LogisticRegressionModel.class);
        List<Row> before = pipeline.transform(train).select("prediction").collectAsList();
        assertThat(loaded.transform(train).select("prediction").collectAsList()).isEqualTo(before);
    }

    @Test
    void refusesRowsWithoutALabel() {
        SparkSession spark = LocalSpark.get();
        StructType schema = new StructType().add("features", new VectorUDT(), false)
                .add("label", DataTypes.DoubleType, true);
        Dataset<Row> bad = spark.createDataFrame(List.of(RowFactory.create(Vectors.dense(1, 0), 0.0),
                RowFactory.create(Vectors.dense(0, 1), null)), schema);
        assertThatThrownBy(() -> new SingleTaskLogisticRegression("features", "label", "probability", 0.01, 10,
                1e-6, false).fit(bad)).hasStackTraceContaining("a training row has no features or no label");
    }
}
