/** Ingestion of the raw interaction export: contract validation, normalization, quarantine and deduplication. */
package io.cxml.ingest;
