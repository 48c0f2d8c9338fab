/** Agent-assist retrieval on public data: BANKING77 kNN intent accuracy, xSID cross-lingual precision@1. */
package io.cxml.bench.assist;
