/**
 * Approximate nearest-neighbour search of agent assist: a tenant's solved tickets in an HNSW graph (Lucene), used
 * instead of the exact search above a measured tenant size (docs/assist.md).
 */
package io.cxml.assist.ann;
