/**
 * {@code cxml score}: a window of curated tickets through the language, intent and sentiment stages on the
 * executors, into {@code scored/tickets/dt=} (staged, idempotent partition rewrite) and the warehouse table
 * {@code SCORED_TICKETS} (MERGE on {@code ticket_id}); tickets that cannot be scored go to
 * {@code quarantine/scoring/dt=} with a reason.
 */
package io.cxml.inference.scoring;
