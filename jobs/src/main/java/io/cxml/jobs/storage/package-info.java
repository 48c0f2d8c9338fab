/**
 * Wiring of real storage: S3 settings for the Spark session, the Snowflake ingest source and the warehouse publish
 * job, from the {@code cxml.storage.s3}, {@code cxml.snowflake} and {@code cxml.warehouse} config keys.
 */
package io.cxml.jobs.storage;
