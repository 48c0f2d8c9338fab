/**
 * Zendesk as an ingest source: the Incremental Ticket Export (API pages or JSON lines of tickets) and the comments
 * (ticket comments endpoint, or ticket events with the {@code comment_events} sideload) mapped onto the raw
 * interaction contract and ingested like the file export. The mapping rules are in docs/zendesk.md.
 */
package io.cxml.zendesk;
