/** Heads on sentence embeddings: training, scoring and embedding throughput (scripts/bench-heads.sh). */
package io.cxml.bench.embedding;
