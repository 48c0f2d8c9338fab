package io.cxml.warehouse;

import static org.assertj.core.api.Assertions.assertThat;

import io.cxml.testing.LocalSpark;
import io.cxml.testing.TestServers;
import io.cxml.testing.WarehouseTestServers;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes {@code cxml.bench.rows} rows (default 2,000: fakesnow executes bound batches row by row) twice to
 * PostgreSQL and fakesnow and logs the times, with the servers' env loaded:
 * {@code mvn -o test -pl feature-store -Dtest=PublishThroughputTest -Dcxml.bench.rows=10000}.
 */
@Tag("slow")
class PublishThroughputTest {
    private static final Logger LOG = LoggerFactory.getLogger(PublishThroughputTest.class);
    private static final int ROWS = Integer.getInteger("cxml.bench.rows", 2_000);

    private Dataset<Row> data() {
        return LocalSpark.get().range(0, ROWS).selectExpr("concat('T', id) as ticket_id",
                "'intent-v1' as model_version", "concat('intent_', id % 77) as intent",
                "cast(id % 100 as double) / 100 as confidence",
                "array(concat('a', id % 7), 'b', 'c') as top3", "timestamp'2026-11-01 10:00:00' as scored_at");
    }

    @Test
    void postgres() {
        TestServers.requireUnlessLocal(TestServers.PG_URL, "PostgreSQL");
        JdbcEndpoint pg = WarehouseTestServers.postgres("cxml_bench");
        measure("postgresql", new WarehousePublisher(pg, new PostgresDialect()),
                PublishOptions.builder().setTable("bench_scored").setKeyColumns("ticket_id", "model_version"));
    }

    @Test
    void fakesnow() {
        JdbcEndpoint sf = WarehouseTestServers.snowflake("cxml_bench");
        measure("fakesnow", new WarehousePublisher(sf, new SnowflakeDialect()),
                PublishOptions.builder().setTable("bench_scored").setKeyColumns("ticket_id", "model_version")
                        .optExplicitTransaction(false));
    }

    private void measure(String name, WarehousePublisher publisher, PublishOptions.Builder options) {
        Dataset<Row> data = data().cache();
        data.count();
        PublishResult first = publisher.publish(data, options.build());
        PublishResult second = publisher.publish(data, options.build());
        LOG.info("BENCH {}: {} rows, first publish {} ms ({} rows/s), re-publish {} ms", name, ROWS, first.millis(),
                ROWS * 1000L / Math.max(1, first.millis()), second.millis());
        assertThat(first.inserted()).isEqualTo(ROWS);
        assertThat(second.unchanged()).isEqualTo(ROWS);
        data.unpersist();
    }
}
