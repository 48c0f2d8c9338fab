package io.cxml.snowflake;

import io.cxml.ingest.IngestOptions;
import io.cxml.warehouse.JdbcEndpoint;

/**
 * Settings of the Snowflake ingest source. {@code set*} required, {@code opt*} optional.
 */
public final class SnowflakeSourceOptions {
    /** Default number of parallel JDBC reads (time slices of the window). */
    public static final int PARTITIONS_DEFAULT = 4;
    /** Default JDBC fetch size. */
    public static final int FETCH_SIZE_DEFAULT = 10_000;

    private final JdbcEndpoint endpoint;
    private final String tickets;
    private final String events;
    private final String customers;
    private final int partitions;
    private final int fetchSize;
    private final IngestOptions ingest;

    private SnowflakeSourceOptions(Builder b) {
        this.endpoint = b.endpoint;
        this.tickets = b.tickets;
        this.events = b.events;
        this.customers = b.customers;
        this.partitions = b.partitions;
        this.fetchSize = b.fetchSize;
        this.ingest = b.ingest;
    }

    /** @return a new builder */
    public static Builder builder() {
        return new Builder();
    }

    /** @return the connection (its {@code db} and {@code schema} properties locate the tables) */
    public JdbcEndpoint endpoint() {
        return endpoint;
    }

    /** @return the TICKETS table name */
    public String tickets() {
        return tickets;
    }

    /** @return the TICKET_EVENTS table name */
    public String events() {
        return events;
    }

    /** @return the CUSTOMERS table name */
    public String customers() {
        return customers;
    }

    /** @return parallel reads */
    public int partitions() {
        return partitions;
    }

    /** @return JDBC fetch size */
    public int fetchSize() {
        return fetchSize;
    }

    /** @return the ingest settings (text limits) */
    public IngestOptions ingest() {
        return ingest;
    }

    /** Builds {@link SnowflakeSourceOptions}. */
    public static final class Builder {
        private JdbcEndpoint endpoint;
        private String tickets = SnowflakeTables.TICKETS;
        private String events = SnowflakeTables.TICKET_EVENTS;
        private String customers = SnowflakeTables.CUSTOMERS;
        private int partitions = PARTITIONS_DEFAULT;
        private int fetchSize = FETCH_SIZE_DEFAULT;
        private IngestOptions ingest = IngestOptions.defaults();

        private Builder() {}

        /**
         * @param endpoint the Snowflake connection, with {@code db} and {@code schema} properties
         * @return this builder
         */
        public Builder setEndpoint(JdbcEndpoint endpoint) {
            this.endpoint = endpoint;
            return this;
        }

        /**
         * @param tickets TICKETS table name
         * @param events TICKET_EVENTS table name
         * @param customers CUSTOMERS table name
         * @return this builder
         */
        public Builder optTables(String tickets, String events, String customers) {
            this.tickets = tickets;
            this.events = events;
            this.customers = customers;
            return this;
        }

        /**
         * @param partitions parallel JDBC reads
         * @return this builder
         */
        public Builder optPartitions(int partitions) {
            this.partitions = partitions;
            return this;
        }

        /**
         * @param fetchSize rows per JDBC fetch
         * @return this builder
         */
        public Builder optFetchSize(int fetchSize) {
            this.fetchSize = fetchSize;
            return this;
        }

        /**
         * @param ingest text limits applied by the contract
         * @return this builder
         */
        public Builder optIngest(IngestOptions ingest) {
            this.ingest = ingest;
            return this;
        }

        /**
         * Checks the settings.
         *
         * @return the options
         */
        public SnowflakeSourceOptions build() {
            if (endpoint == null) {
                throw new IllegalArgumentException("Cannot read from Snowflake: no connection. Set cxml.snowflake.url");
            }
            for (String t : new String[] {tickets, events, customers}) {
                if (t == null || !t.matches("[A-Za-z_][A-Za-z0-9_$]*")) {
                    throw new IllegalArgumentException("Cannot read from Snowflake: table name '" + t
                            + "' must be an unquoted identifier. Fix cxml.snowflake.tables.*");
                }
            }
            if (partitions < 1 || fetchSize < 1) {
                throw new IllegalArgumentException("Cannot read from Snowflake: partitions " + partitions
                        + " and fetch size " + fetchSize + " must be >= 1");
            }
            return new SnowflakeSourceOptions(this);
        }
    }
}
