package io.cxml.jobs.storage;

import io.cxml.jobs.cli.CxmlCommand;
import io.cxml.jobs.cli.JobRun;
import io.cxml.jobs.config.Settings;
import io.cxml.runs.RunRecord;
import io.cxml.warehouse.JdbcEndpoint;
import io.cxml.warehouse.PublishOptions;
import io.cxml.warehouse.PublishResult;
import io.cxml.warehouse.WarehouseDialect;
import io.cxml.warehouse.WarehousePublisher;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code cxml publish}: MERGE a Parquet dataset into a warehouse table, idempotently. */
@Command(name = "publish", mixinStandardHelpOptions = true,
        description = {"Publish a Parquet dataset (e.g. scored/tickets) to a warehouse table: load a stage table, "
                + "then one MERGE on the business key in a transaction; the table is created or gets the new columns "
                + "(with comments). Publishing the same data twice changes nothing; a failure leaves the table as "
                + "it was."})
public final class PublishCommand extends CxmlCommand {
    /** Run-record count names. */
    public static final String ROWS = "rows";
    public static final String INSERTED = "inserted";
    public static final String UPDATED = "updated";
    public static final String UNCHANGED = "unchanged";

    @Option(names = "--from", required = true, paramLabel = "PATH",
            description = "Parquet dataset: a path under the storage root (scored/tickets) or a full URI.")
    String from;

    @Option(names = "--table", required = true, paramLabel = "NAME", description = "Target table, e.g. scored_tickets.")
    String table;

    @Option(names = "--key", required = true, split = ",", paramLabel = "COLUMN",
            description = "Business key column(s), comma-separated, e.g. ticket_id,intent_model_version.")
    List<String> key;

    @Option(names = "--comment", paramLabel = "TEXT", description = "Table comment for analysts.")
    String comment;

    @Override
    public Integer call() {
        run(settings(), from, table, key, comment);
        return 0;
    }

    /**
     * @param config the validated config
     * @param from the dataset path
     * @param table the target table
     * @param key the business key
     * @param comment the table comment, or null
     * @return the run record
     */
    public static RunRecord run(Settings config, String from, String table, List<String> key, String comment) {
        JdbcEndpoint endpoint = config.storage().warehouse();
        WarehouseDialect dialect = config.storage().dialect();
        String schema = config.storage().warehouseSchema();
        return JobRun.execute(config, "publish", System.out, (spark, layout, record) -> {
            String path = from.contains(":") || from.startsWith("/") ? from : layout.resolve(from);
            PublishOptions options = PublishOptions.builder().setTable(table)
                    .setKeyColumns(key.toArray(new String[0])).optTableComment(comment)
                    .optSchema(schema.isBlank() ? null : schema)
                    .optBatchSize(config.storage().warehouseBatchSize())
                    .optLoadPartitions(config.storage().warehouseLoadPartitions())
                    .optRunId(record.runId.replaceAll("[^A-Za-z0-9]", "_")).build();
            record.window.put("from", path);
            record.details.put("table", table);
            record.details.put("dialect", dialect.name());
            record.details.put("warehouse", endpoint.toString());
            Dataset<Row> data = spark.read().parquet(path);
            PublishResult r = new WarehousePublisher(endpoint, dialect).publish(data, options);
            record.count(ROWS, r.rows()).count(INSERTED, r.inserted()).count(UPDATED, r.updated())
                    .count(UNCHANGED, r.unchanged());
            record.details.put("created_table", r.createdTable());
            record.details.put("added_columns", r.addedColumns());
        });
    }
}
