package io.cxml.warehouse;

import io.cxml.testing.WarehouseTestServers;
import org.junit.jupiter.api.BeforeAll;

/**
 * Publishing through the real snowflake-jdbc driver to fakesnow. fakesnow emulates MERGE with a temporary table and
 * several statements, which DuckDB refuses inside an explicit transaction and which is not atomic, so these tests run
 * the MERGE autocommitted ({@link PublishOptions.Builder#optExplicitTransaction}); the interrupted-MERGE tests run
 * against PostgreSQL ({@link PostgresPublisherTest}). fakesnow also accepts but does not report column comments.
 */
class SnowflakePublisherTest extends WarehousePublisherContract {
    private static JdbcEndpoint endpoint;

    @BeforeAll
    static void connect() {
        endpoint = WarehouseTestServers.snowflake("cxml_publish");
    }

    @Override
    JdbcEndpoint endpoint() {
        return endpoint;
    }

    @Override
    WarehouseDialect dialect() {
        return new SnowflakeDialect();
    }

    @Override
    PublishOptions.Builder options(String table) {
        return super.options(table).optExplicitTransaction(false);
    }
}
