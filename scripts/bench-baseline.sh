#!/usr/bin/env bash
# Tunes and measures the TF-IDF + logistic-regression baseline on the BANKING77 carve (io.cxml.bench.training
# .BaselineBench, in the benchmarks module): a small grid compared on the validation carve only, then the untuned pipeline ("before") and the
# configured defaults ("after") on validation and test, all in one JVM, one after the other (read the ratios).
# Usage: scripts/bench-baseline.sh [-Dbench.grid=none] [-Dbench.seed=7]   (BENCH_XMX default 3g; BENCH_DATA default
#   datasets)
# Writes bench-results/baseline-banking77-<time>.json.
source "$(dirname "${BASH_SOURCE[0]}")/lib/bench-env.sh"
for arg in "$@"; do
  [[ "$arg" == -D* ]] || { bench_usage; bench_fail "unknown argument '$arg' (only -Dkey=value settings)" \
      "$BENCH_SCRIPT -Dbench.grid=none"; }
done
bench_need_data banking77/banking_data/train.csv
bench_build
bench_step "running io.cxml.bench.training.BaselineBench"
"${BENCH_JAVA[@]}" -Xmx"${BENCH_XMX:-3g}" -Dlog4j2.configurationFile=conf/log4j2.properties "$@" -cp "$BENCH_CP" \
    io.cxml.bench.training.BaselineBench "$BENCH_DATA"
