/**
 * The knowledge base as an input: the article export's contract, its ingest with quarantine, and the chunk vectors
 * of every published article version.
 */
package io.cxml.assist.kb;
