package io.cxml.training.routing;

import io.cxml.runtime.routing.RoutingColumns;
import io.cxml.runtime.routing.RoutingFeatures;
import io.cxml.runtime.stages.AppendColumns;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;

/** Appends the routing input vector (without the tenant-specific team-load block) as a Spark ML vector column. */
final class RoutingVectors {
    /** The vector column. */
    static final String FEATURES = "_routing_features";

    private RoutingVectors() {}

    static Dataset<Row> add(Dataset<Row> rows, RoutingFeatures features, String textColumn) {
        RoutingColumns columns = RoutingColumns.of(rows.schema(), features, textColumn);
        StructType schema = rows.schema().add(FEATURES, SQLDataTypes.VectorType(), false);
        return AppendColumns.apply(rows, schema, 256, new Vectorize(features, columns));
    }

    private record Vectorize(RoutingFeatures features, RoutingColumns columns) implements AppendColumns.Scorer {
        @Override
        public AppendColumns.Batch open() {
            return AppendColumns.Batch.eachRow(r -> {
                float[] x = features.vector(columns.example(r), null);
                double[] d = new double[x.length];
                for (int i = 0; i < x.length; i++) {
                    d[i] = x[i];
                }
                return new Object[] {Vectors.dense(d).compressed()};
            });
        }
    }
}
