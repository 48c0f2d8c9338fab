/** Benchmarks run by hand (not unit tests): see {@code scripts/bench-pit-join.sh}. */
package io.cxml.bench.features;
