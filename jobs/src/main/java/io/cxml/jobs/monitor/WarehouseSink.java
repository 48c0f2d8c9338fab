package io.cxml.jobs.monitor;

import io.cxml.jobs.config.Settings;
import io.cxml.runs.RunRecord;
import io.cxml.warehouse.PublishOptions;
import io.cxml.warehouse.PublishResult;
import io.cxml.warehouse.WarehousePublisher;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** MERGEs a monitoring table into the configured warehouse (Snowflake or PostgreSQL), when one is configured. */
final class WarehouseSink {
    /** Run-record count of rows MERGEd into the warehouse. */
    static final String PUBLISHED = "published";

    private WarehouseSink() {}

    /**
     * @param config the config
     * @param table the table ("" = do not publish)
     * @return whether rows go to a warehouse
     */
    static boolean enabled(Settings config, String table) {
        return config.storage().publishes(table);
    }

    static void publish(Settings config, Dataset<Row> rows, String table, String[] keys, String comment,
            Map<String, String> columnComments, RunRecord record) {
        if (!enabled(config, table)) {
            return;
        }
        PublishOptions.Builder b = PublishOptions.builder().setTable(table).setKeyColumns(keys)
                .optTableComment(comment).optBatchSize(config.storage().warehouseBatchSize())
                .optLoadPartitions(config.storage().warehouseLoadPartitions())
                .optRunId(record.runId.replaceAll("[^A-Za-z0-9]", "_"));
        String schema = config.storage().warehouseSchema();
        if (!schema.isBlank()) {
            b.optSchema(schema);
        }
        columnComments.forEach(b::optColumnComment);
        PublishResult r = new WarehousePublisher(config.storage().warehouse(), config.storage().dialect())
                .publish(rows, b.build());
        record.count(PUBLISHED, r.rows());
        record.details.put("warehouse_table", table);
    }
}
