package io.cxml.training.routing;

import io.cxml.runtime.routing.RoutingColumns;
import io.cxml.runtime.routing.RoutingFeatures;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.StructType;

/** Appends the routing input vector (without the tenant-specific team-load block) as a Spark ML vector column. */
final class RoutingVectors {
    /** The vector column. */
    static final String FEATURES = "_routing_features";

    private RoutingVectors() {}

    static Dataset<Row> add(Dataset<Row> rows, RoutingFeatures features, String textColumn) {
        RoutingColumns columns = RoutingColumns.of(rows.schema(), features.numericColumns(), textColumn);
        StructType schema = rows.schema().add(FEATURES, SQLDataTypes.VectorType(), false);
        return rows.mapPartitions(new Add(features, columns), Encoders.row(schema));
    }

    private record Add(RoutingFeatures features, RoutingColumns columns) implements MapPartitionsFunction<Row, Row> {
        @Override
        public Iterator<Row> call(Iterator<Row> rows) {
            return new Iterator<>() {
                @Override
                public boolean hasNext() {
                    return rows.hasNext();
                }

                @Override
                public Row next() {
                    Row r = rows.next();
                    float[] x = features.vector(columns.example(r), null);
                    double[] d = new double[x.length];
                    for (int i = 0; i < x.length; i++) {
                        d[i] = x[i];
                    }
                    List<Object> values = new ArrayList<>(r.size() + 1);
                    for (int i = 0; i < r.size(); i++) {
                        values.add(r.get(i));
                    }
                    values.add(Vectors.dense(d).compressed());
                    return RowFactory.create(values.toArray());
                }
            };
        }
    }
}
