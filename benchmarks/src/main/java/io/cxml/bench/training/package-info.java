/** Benchmarks on public data (BANKING77, xSID): model vs baseline figures printed and written under bench-results/. */
package io.cxml.bench.training;
