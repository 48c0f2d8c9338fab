package io.cxml.warehouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cxml.testing.WarehouseTestServers;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Publishing to PostgreSQL 15 through org.postgresql JDBC, including interrupted MERGEs. */
class PostgresPublisherTest extends WarehousePublisherContract {
    private static JdbcEndpoint endpoint;

    @BeforeAll
    static void connect() {
        endpoint = WarehouseTestServers.postgres("cxml_publish");
    }

    @Override
    JdbcEndpoint endpoint() {
        return endpoint;
    }

    @Override
    WarehouseDialect dialect() {
        return new PostgresDialect();
    }

    @Test
    void columnCommentsAreReadableByAnalysts() throws Exception {
        publisher().publish(scored(3, ""), options("scored_comments").build());
        try (Connection c = endpoint.connect(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT col_description('scored_comments'::regclass, 4), "
                        + "obj_description('scored_comments'::regclass)")) {
            rs.next();
            assertThat(rs.getString(1)).isEqualTo("Probability of the predicted intent.");
            assertThat(rs.getString(2)).isEqualTo("Scored tickets (test)");
        }
    }

    @Test
    void mergeFailingOnARowHalfWayLeavesTheTargetUnchanged() throws Exception {
        publisher().publish(scored(ROWS, ""), options("scored_fail").build());
        List<String> before = snapshot("scored_fail");
        // Updated intents for every row, plus one new row whose confidence is null: the target column is NOT NULL,
        // so the MERGE fails after it has updated rows; the transaction must undo them, and the added column too.
        Dataset<Row> bad = scored(ROWS + 1, "_changed")
                .withColumn("confidence", functions.expr("case when ticket_id = 'T0040' then null else confidence end"))
                .withColumn("language", functions.lit("en"));

        assertThatThrownBy(() -> publisher().publish(bad, options("scored_fail").build()))
                .isInstanceOf(WarehouseException.class)
                .hasMessageStartingWith("Cannot publish to \"cxml_publish_")
                .hasMessageContaining("null value in column \"confidence\"")
                .hasMessageContaining("The transaction rolled back, the target is unchanged");

        assertThat(snapshot("scored_fail")).isEqualTo(before);
        assertThat(stageTables()).isEmpty();
    }

    @Test
    void connectionKilledDuringTheMergeLeavesTheTargetUnchanged() throws Exception {
        publisher().publish(scored(ROWS, ""), options("scored_kill").build());
        List<String> before = snapshot("scored_kill");
        try (Connection locker = endpoint.connect(); Statement lock = locker.createStatement();
                Connection watcher = endpoint.connect(); Statement watch = watcher.createStatement()) {
            locker.setAutoCommit(false);
            // Blocks the publisher's MERGE (it needs ROW EXCLUSIVE) once it is inside its transaction.
            lock.execute("LOCK TABLE scored_kill IN SHARE MODE");
            CompletableFuture<PublishResult> publishing = CompletableFuture.supplyAsync(() ->
                    publisher().publish(scored(ROWS, "_changed"), options("scored_kill").build()));
            int killed = 0;
            for (int i = 0; i < 600 && killed == 0; i++) {
                // Polled outside the locker's transaction: pg_stat_activity is a snapshot per transaction.
                try (ResultSet rs = watch.executeQuery("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                        + "WHERE wait_event_type = 'Lock' AND query LIKE 'MERGE INTO%'")) {
                    while (rs.next()) {
                        killed++;
                    }
                }
                Thread.sleep(100);
            }
            locker.rollback();
            assertThat(killed).as("publisher backends terminated inside the MERGE").isEqualTo(1);
            assertThatThrownBy(() -> publishing.get(60, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(WarehouseException.class)
                    .hasMessageContaining("The transaction rolled back, the target is unchanged");
        }
        assertThat(snapshot("scored_kill")).isEqualTo(before);
        assertThat(stageTables()).isEmpty();
    }
}
