package io.cxml.offline;

import static org.assertj.core.api.Assertions.assertThat;

import io.cxml.testing.LogCapture;
import io.cxml.testing.WarehouseTestServers;
import io.cxml.warehouse.JdbcEndpoint;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

/**
 * A login through the real snowflake-jdbc driver (to fakesnow) with the driver logging at DEBUG: the platform
 * detection that probes the cloud metadata services never starts. The CI tripwire (.ci/tripwire.sh) catches the
 * probe itself if it happens anyway.
 */
class SnowflakeNoProbeTest {
    @Test
    void loginDoesNotDetectTheCloudPlatform() throws Exception {
        JdbcEndpoint endpoint = WarehouseTestServers.snowflake("cxml_probe");
        assertThat(endpoint.properties().getProperty(JdbcEndpoint.SNOWFLAKE_DISABLE_PLATFORM_DETECTION))
                .isEqualTo("true");
        String captured;
        try (LogCapture capture = LogCapture.start("net.snowflake")) {
            try (Connection c = endpoint.connect(); Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT 1")) {
                assertThat(rs.next()).isTrue();
            }
            captured = capture.text();
        }
        // The driver says it skipped detection; nothing of the detection itself (its cache, the metadata hosts).
        // Booleans, so that a failure does not write the metadata hosts into the report the CI tripwire scans.
        assertThat(captured).as("driver log at DEBUG").contains("Platform detection is disabled");
        for (String probe : new String[] {"169.254.", "metadata.google", "Platform detection cache"}) {
            assertThat(captured.contains(probe)).as("driver log mentions a platform probe").isFalse();
        }
    }
}
