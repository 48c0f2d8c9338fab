package io.cxml.features.join;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.udf;
import static org.apache.spark.sql.functions.xxhash64;

import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.util.sketch.BloomFilter;

/**
 * Drops, before any shuffle, the feature events of entities that no label has: a Bloom filter of the labels' entity
 * hashes is built on the executors (only the filter, a few bits per label, reaches the driver), broadcast, and each
 * event is kept when the filter might contain its entity. False positives only keep an event the join ignores anyway,
 * so the join result is unchanged. Worth it when many events belong to entities without labels (sparse entities,
 * few labels); it reads the labels twice more (a count and the filter), so give it labels that are cheap to read.
 */
final class EntityPruning {
    /** Expected false-positive rate of the filter: about 7 bits per label. */
    private static final double FPP = 0.03;

    private EntityPruning() {}

    /**
     * @param events feature events
     * @param eventKey their entity column
     * @param labels label rows
     * @param labelKey the labels' entity column
     * @return the events whose entity might be among the labels' (all of those that are)
     */
    static Dataset<Row> keepEntitiesOf(Dataset<Row> events, String eventKey, Dataset<Row> labels, String labelKey) {
        DataType keyType = labels.schema().apply(labelKey).dataType();
        Dataset<Row> keys = labels.filter(col(labelKey).isNotNull()).select(hashOf(labelKey, keyType).as("h"));
        BloomFilter filter = keys.stat().bloomFilter(col("h"), Math.max(1_000L, keys.count()), FPP);
        Broadcast<BloomFilter> shared = JavaSparkContext.fromSparkContext(labels.sparkSession().sparkContext())
                .broadcast(filter);
        UserDefinedFunction mightContain = udf(
                (UDF1<Long, Boolean>) hash -> hash != null && shared.value().mightContainLong(hash),
                DataTypes.BooleanType);
        return events.filter(mightContain.apply(hashOf(eventKey, keyType)));
    }

    private static Column hashOf(String column, DataType keyType) {
        return xxhash64(col(column).cast(keyType));
    }
}
