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
public final class WarehouseSink {
    /** Run-record count of rows MERGEd into the warehouse. */
    public static final String PUBLISHED = "published";

    private WarehouseSink() {}

    /**
     * @param config the config
     * @param table the table ("" = do not publish)
     * @return whether rows go to a warehouse
     */
    public static boolean enabled(Settings config, String table) {
        return config.storage().publishes(table);
    }

    /**
     * MERGEs the rows on their keys, when a warehouse is configured and the table is not blank.
     *
     * @param config the config
     * @param rows the rows
     * @param table the table
     * @param keys the merge key columns
     * @param comment the table comment
     * @param columnComments comments per column
     * @param record the run record (gets the published count)
     */
    public static void publish(Settings config, Dataset<Row> rows, String table, String[] keys, String comment,
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
