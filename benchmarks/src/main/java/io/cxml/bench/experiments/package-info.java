/** The experiment-analysis benchmark (scripts/bench-experiments.sh). */
package io.cxml.bench.experiments;
