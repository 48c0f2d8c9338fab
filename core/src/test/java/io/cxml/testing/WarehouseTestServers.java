package io.cxml.testing;

import io.cxml.warehouse.JdbcEndpoint;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;

/**
 * JDBC endpoints of the test warehouses: fakesnow (Snowflake protocol) and PostgreSQL, from the
 * {@code CXML_TEST_*} variables of {@code .ci/services.sh}. Without them, fakesnow is started here as a child process;
 * PostgreSQL tests are skipped with a message locally and fail under CI.
 */
public final class WarehouseTestServers {
    private static ChildProcess ownFakesnow;
    private static String ownFakesnowUrl;

    private WarehouseTestServers() {}

    /**
     * A fresh database and schema on the fakesnow server, so test classes do not see each other's tables.
     *
     * @param prefix database name prefix
     * @return an endpoint whose session uses the new database and schema {@code CXML}
     */
    public static synchronized JdbcEndpoint snowflake(String prefix) {
        TestServers.requireUnlessLocal(TestServers.SNOWFLAKE_URL, "Snowflake (fakesnow)");
        String url = TestServers.env(TestServers.SNOWFLAKE_URL);
        if (url == null) {
            url = startOwnFakesnow();
        }
        String user = TestServers.env(TestServers.SNOWFLAKE_USER);
        String password = TestServers.env(TestServers.SNOWFLAKE_PASSWORD);
        JdbcEndpoint base = JdbcEndpoint.builder().setUrl(url).optUser(user == null ? "cxml" : user)
                .optPassword(password == null ? UUID.randomUUID().toString() : password)
                // fakesnow answers unsupported SQL with HTTP 500, which the driver would retry for minutes.
                .optProperty("maxHttpRetries", "1").optProperty("retryTimeout", "10")
                .optProperty("JDBC_TREAT_TIMESTAMP_NTZ_AS_UTC", "true")
                .build();
        String db = (prefix + "_" + UUID.randomUUID().toString().substring(0, 8)).toUpperCase();
        try (Connection c = base.connect(); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE IF NOT EXISTS " + db);
            s.execute("CREATE SCHEMA IF NOT EXISTS " + db + ".CXML");
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot prepare fakesnow database " + db + ": " + e.getMessage(), e);
        }
        return base.toBuilder().optProperty("db", db).optProperty("schema", "CXML").build();
    }

    private static String startOwnFakesnow() {
        if (ownFakesnow == null) {
            try {
                Path dir = Path.of("target", "fakesnow").toAbsolutePath();
                Files.createDirectories(dir);
                int port = ChildProcess.freePort();
                ownFakesnow = new ChildProcess("fakesnow", List.of(TestServers.fakesnow().toString(), "-s",
                        "--host", "127.0.0.1", "-p", Integer.toString(port)), dir.resolve("fakesnow.log"), port)
                        .start(Duration.ofSeconds(60));
                Runtime.getRuntime().addShutdownHook(new Thread(ownFakesnow::stop));
                ownFakesnowUrl = "jdbc:snowflake://127.0.0.1:" + port + "/?account=fakesnow&ssl=off";
            } catch (java.io.IOException e) {
                throw new IllegalStateException("Cannot start fakesnow: " + e.getMessage(), e);
            }
        }
        return ownFakesnowUrl;
    }

    /**
     * A fresh schema on the PostgreSQL server.
     *
     * @param prefix schema name prefix
     * @return an endpoint whose current schema is the new one
     */
    public static JdbcEndpoint postgres(String prefix) {
        TestServers.requireUnlessLocal(TestServers.PG_URL, "PostgreSQL");
        String url = TestServers.env(TestServers.PG_URL);
        Assumptions.assumeTrue(url != null, "PostgreSQL not running: `.ci/services.sh start` and load "
                + ".cxml-services/env (CI fails instead of skipping)");
        JdbcEndpoint base = JdbcEndpoint.builder().setUrl(url).optUser(TestServers.env(TestServers.PG_USER))
                .optPassword(TestServers.env(TestServers.PG_PASSWORD)).build();
        String schema = (prefix + "_" + UUID.randomUUID().toString().substring(0, 8)).toLowerCase();
        try (Connection c = base.connect(); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + schema);
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot prepare PostgreSQL schema " + schema + ": " + e.getMessage(), e);
        }
        return base.toBuilder().optProperty("currentSchema", schema).optProperty("ApplicationName", "cxml-test")
                .build();
    }
}
