/**
 * Snowflake as an ingest source: TICKETS, TICKET_EVENTS and CUSTOMERS read through snowflake-jdbc in parallel,
 * incrementally by an {@code UPDATED_AT} watermark kept in the run record, turned into the raw interaction contract
 * and handed to the same validation, quarantine and deduplication as the raw export.
 */
package io.cxml.snowflake;
