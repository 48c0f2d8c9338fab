/** The scoring benchmark behind {@code scripts/bench-scoring.sh}. */
package io.cxml.bench.scoring;
