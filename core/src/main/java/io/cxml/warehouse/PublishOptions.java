package io.cxml.warehouse;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * What to publish where: target table, business key, comments and load settings. {@code set*} are required,
 * {@code opt*} optional; checked in {@link Builder#build()}.
 */
public final class PublishOptions {
    /** Default rows per JDBC batch when loading the stage. */
    public static final int BATCH_SIZE_DEFAULT = 1_000;
    /** Default number of parallel connections loading the stage. */
    public static final int LOAD_PARTITIONS_DEFAULT = 4;

    private final String schema;
    private final String table;
    private final List<String> keyColumns;
    private final String tableComment;
    private final Map<String, String> columnComments;
    private final int batchSize;
    private final int loadPartitions;
    private final boolean explicitTransaction;
    private final String runId;

    private PublishOptions(Builder b) {
        this.schema = b.schema;
        this.table = b.table;
        this.keyColumns = List.copyOf(b.keyColumns);
        this.tableComment = b.tableComment;
        this.columnComments = Map.copyOf(b.columnComments);
        this.batchSize = b.batchSize;
        this.loadPartitions = b.loadPartitions;
        this.explicitTransaction = b.explicitTransaction;
        this.runId = b.runId == null ? UUID.randomUUID().toString().replace("-", "").substring(0, 12) : b.runId;
    }

    /** @return a new builder */
    public static Builder builder() {
        return new Builder();
    }

    /** @return the schema, or null for the connection's current schema */
    public String schema() {
        return schema;
    }

    /** @return the table name as written in code */
    public String table() {
        return table;
    }

    /** @return the business-key columns */
    public List<String> keyColumns() {
        return keyColumns;
    }

    /** @return the table comment, or null */
    public String tableComment() {
        return tableComment;
    }

    /** @return comments by column name, overriding the DataFrame's field comments */
    public Map<String, String> columnComments() {
        return columnComments;
    }

    /** @return rows per JDBC batch */
    public int batchSize() {
        return batchSize;
    }

    /** @return parallel stage-loading connections */
    public int loadPartitions() {
        return loadPartitions;
    }

    /** @return whether the MERGE runs inside an explicit transaction */
    public boolean explicitTransaction() {
        return explicitTransaction;
    }

    /** @return the id that makes the stage table name unique */
    public String runId() {
        return runId;
    }

    /** Builds {@link PublishOptions}. */
    public static final class Builder {
        private String schema;
        private String table;
        private List<String> keyColumns = new ArrayList<>();
        private String tableComment;
        private final Map<String, String> columnComments = new LinkedHashMap<>();
        private int batchSize = BATCH_SIZE_DEFAULT;
        private int loadPartitions = LOAD_PARTITIONS_DEFAULT;
        private boolean explicitTransaction = true;
        private String runId;

        private Builder() {}

        /**
         * @param table the target table, e.g. {@code scored_tickets} (case follows the warehouse's default)
         * @return this builder
         */
        public Builder setTable(String table) {
            this.table = table;
            return this;
        }

        /**
         * @param keyColumns the business key: the MERGE matches on these, they must be unique and non-null
         * @return this builder
         */
        public Builder setKeyColumns(String... keyColumns) {
            this.keyColumns = new ArrayList<>(Arrays.asList(keyColumns));
            return this;
        }

        /**
         * @param schema the target schema; null for the connection's current schema
         * @return this builder
         */
        public Builder optSchema(String schema) {
            this.schema = schema;
            return this;
        }

        /**
         * @param comment the table comment analysts see
         * @return this builder
         */
        public Builder optTableComment(String comment) {
            this.tableComment = comment;
            return this;
        }

        /**
         * @param column a column
         * @param comment its comment, overriding the DataFrame field's comment
         * @return this builder
         */
        public Builder optColumnComment(String column, String comment) {
            this.columnComments.put(column, comment);
            return this;
        }

        /**
         * @param batchSize rows per JDBC batch when loading the stage
         * @return this builder
         */
        public Builder optBatchSize(int batchSize) {
            this.batchSize = batchSize;
            return this;
        }

        /**
         * @param loadPartitions parallel connections loading the stage
         * @return this builder
         */
        public Builder optLoadPartitions(int loadPartitions) {
            this.loadPartitions = loadPartitions;
            return this;
        }

        /**
         * @param explicitTransaction false runs the MERGE as its own autocommitted statement. A single MERGE is
         *     atomic on Snowflake and PostgreSQL either way; false exists for fakesnow, whose MERGE emulation (a
         *     temporary table plus several statements) cannot run inside a transaction and is not atomic
         * @return this builder
         */
        public Builder optExplicitTransaction(boolean explicitTransaction) {
            this.explicitTransaction = explicitTransaction;
            return this;
        }

        /**
         * @param runId makes the stage table name unique (letters, digits, underscore); random by default
         * @return this builder
         */
        public Builder optRunId(String runId) {
            this.runId = runId;
            return this;
        }

        /**
         * Checks the options.
         *
         * @return the options
         */
        public PublishOptions build() {
            if (table == null || !table.matches("[A-Za-z_][A-Za-z0-9_]*")) {
                throw new IllegalArgumentException("Cannot publish to table '" + table + "': the name must be "
                        + "letters, digits and underscores. Pass --table NAME (schema via optSchema)");
            }
            if (keyColumns.isEmpty()) {
                throw new IllegalArgumentException("Cannot publish to " + table + ": no business key. Name the key "
                        + "columns (e.g. --key ticket_id)");
            }
            if (batchSize < 1 || loadPartitions < 1) {
                throw new IllegalArgumentException("Cannot publish to " + table + ": batch size " + batchSize
                        + " and load partitions " + loadPartitions + " must be >= 1");
            }
            if (runId != null && !runId.matches("[A-Za-z0-9_]+")) {
                throw new IllegalArgumentException("Cannot publish to " + table + ": run id '" + runId
                        + "' must be letters, digits and underscores");
            }
            return new PublishOptions(this);
        }
    }
}
