package io.cxml.features.view;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Objects;
import java.util.regex.Pattern;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * What a feature view is: name, entity key, event-time column, feature columns, logic version, owner, description and
 * time to live. Immutable; built with {@link #builder(String)} ({@code set*} required, {@code opt*} optional, checked
 * in {@code build()}).
 *
 * <p>The {@link #fingerprint()} covers everything that changes the stored data (name, entity key, event-time column,
 * feature names and types, logic version) and nothing that does not (owner, description, TTL, which only matters at
 * join time). A new fingerprint gets a new version in the {@link io.cxml.features.FeatureRegistry}; bump {@link #logicVersion()}
 * whenever the computation changes without changing the columns.
 */
public final class FeatureViewDefinition {
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]{0,62}");

    private final String name;
    private final String entityKey;
    private final String eventTimeColumn;
    private final StructType features;
    private final String logicVersion;
    private final String owner;
    private final String description;
    private final Duration ttl;

    private FeatureViewDefinition(Builder b) {
        this.name = b.name;
        this.entityKey = b.entityKey;
        this.eventTimeColumn = b.eventTimeColumn;
        this.features = b.features;
        this.logicVersion = b.logicVersion;
        this.owner = b.owner;
        this.description = b.description;
        this.ttl = b.ttl;
    }

    /**
     * @param name the view name: lowercase letters, digits and underscores
     * @return a builder
     */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** @return a builder holding this definition, to make a variant */
    public Builder toBuilder() {
        Builder b = new Builder(name);
        b.entityKey = entityKey;
        b.eventTimeColumn = eventTimeColumn;
        b.features = features;
        b.logicVersion = logicVersion;
        b.owner = owner;
        b.description = description;
        b.ttl = ttl;
        return b;
    }

    /** @return the view name, also its folder under {@code features/} */
    public String name() {
        return name;
    }

    /** @return the column identifying the entity the features describe (ticket, requester, account) */
    public String entityKey() {
        return entityKey;
    }

    /** @return the timestamp column from which the feature values are valid */
    public String eventTimeColumn() {
        return eventTimeColumn;
    }

    /** @return the feature columns (without the entity key and the event time) */
    public StructType features() {
        return features;
    }

    /** @return the version string of the computation, part of the fingerprint */
    public String logicVersion() {
        return logicVersion;
    }

    /** @return the team or person who answers for the view */
    public String owner() {
        return owner;
    }

    /** @return what the view holds and how it is computed */
    public String description() {
        return description;
    }

    /** @return how long after its event time a value may still be joined; older values join as null */
    public Duration ttl() {
        return ttl;
    }

    /** @return the stored schema: entity key, event time, then the features */
    public StructType storedSchema() {
        return new StructType()
                .add(entityKey, org.apache.spark.sql.types.DataTypes.StringType, false)
                .add(eventTimeColumn, org.apache.spark.sql.types.DataTypes.TimestampType, false)
                .merge(features, false);
    }

    /** @return a stable hash (16 hex digits) of everything that changes the stored data */
    public String fingerprint() {
        StringBuilder canonical = new StringBuilder()
                .append("name=").append(name)
                .append("\nentity=").append(entityKey)
                .append("\nevent_time=").append(eventTimeColumn)
                .append("\nlogic=").append(logicVersion);
        for (StructField f : features.fields()) {
            canonical.append("\nfeature=").append(f.name()).append(':').append(f.dataType().catalogString());
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(canonical.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Cannot fingerprint feature view " + name + ": no SHA-256", e);
        }
    }

    @Override
    public String toString() {
        return name + "[" + fingerprint() + "]";
    }

    /** Builder: {@code set*} are required, {@code opt*} optional. */
    public static final class Builder {
        private final String name;
        private String entityKey;
        private String eventTimeColumn;
        private StructType features;
        private String logicVersion;
        private String owner = "cxml";
        private String description = "";
        private Duration ttl;

        private Builder(String name) {
            this.name = name;
        }

        /**
         * @param column entity key column
         * @return this builder
         */
        public Builder setEntityKey(String column) {
            this.entityKey = column;
            return this;
        }

        /**
         * @param column event-time column
         * @return this builder
         */
        public Builder setEventTimeColumn(String column) {
            this.eventTimeColumn = column;
            return this;
        }

        /**
         * @param schema feature columns
         * @return this builder
         */
        public Builder setFeatures(StructType schema) {
            this.features = schema;
            return this;
        }

        /**
         * @param version version string of the computation
         * @return this builder
         */
        public Builder setLogicVersion(String version) {
            this.logicVersion = version;
            return this;
        }

        /**
         * @param ttl how long a value stays joinable after its event time
         * @return this builder
         */
        public Builder setTtl(Duration ttl) {
            this.ttl = ttl;
            return this;
        }

        /**
         * @param owner owning team
         * @return this builder
         */
        public Builder optOwner(String owner) {
            this.owner = owner;
            return this;
        }

        /**
         * @param description what the view holds
         * @return this builder
         */
        public Builder optDescription(String description) {
            this.description = description;
            return this;
        }

        /** @return the definition, after checking every required field */
        public FeatureViewDefinition build() {
            if (name == null || !NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("Cannot define feature view '" + name
                        + "': the name must match " + NAME.pattern() + ". Use lowercase snake_case");
            }
            require(entityKey, "entity key", "setEntityKey");
            require(eventTimeColumn, "event-time column", "setEventTimeColumn");
            require(logicVersion, "logic version", "setLogicVersion");
            Objects.requireNonNull(owner, "owner");
            Objects.requireNonNull(description, "description");
            if (features == null || features.fields().length == 0) {
                throw new IllegalArgumentException(
                        "Cannot define feature view " + name + ": no feature column. Call setFeatures");
            }
            if (ttl == null || ttl.isNegative() || ttl.isZero()) {
                throw new IllegalArgumentException(
                        "Cannot define feature view " + name + ": TTL " + ttl + " must be positive. Call setTtl");
            }
            for (String reserved : new String[] {entityKey, eventTimeColumn}) {
                if (java.util.Arrays.asList(features.fieldNames()).contains(reserved)) {
                    throw new IllegalArgumentException("Cannot define feature view " + name + ": feature column '"
                            + reserved + "' clashes with the entity key or event-time column. Rename it");
                }
            }
            return new FeatureViewDefinition(this);
        }

        private void require(String value, String what, String setter) {
            if (value == null || value.isBlank()) {
                throw new IllegalArgumentException(
                        "Cannot define feature view " + name + ": no " + what + ". Call " + setter);
            }
        }
    }
}
