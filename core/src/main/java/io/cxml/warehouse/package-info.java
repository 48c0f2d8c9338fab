/**
 * Idempotent publishing of a DataFrame to a warehouse table: load a staging table, then one {@code MERGE} on the
 * business key inside a transaction, creating or additively evolving the target (with column comments), and drop the
 * stage. Two dialects behind {@link io.cxml.warehouse.WarehouseDialect}: Snowflake (production) and PostgreSQL
 * (dev/self-hosted).
 */
package io.cxml.warehouse;
