#!/usr/bin/env bash
# Language-detection throughput (not a unit test): Lingua 1.2.2's detector against cxml's LanguageDetector (same
# answers, merged n-gram tables) on the xSID validation sentences, 1 and 2 threads, best of N rounds after a warm-up;
# counts differing answers (expected 0); writes bench-results/language-<time>.json.
# Usage: scripts/bench-language.sh [rounds]   (default 5; about 1-2 minutes)
#   env BENCH_XMX (default 4g), BENCH_DATA (default datasets: reads xsid/valid)
source "$(dirname "${BASH_SOURCE[0]}")/lib/bench-env.sh"
(($# <= 1)) || { bench_usage; bench_fail "too many arguments: $*" "$BENCH_SCRIPT 5"; }
[[ $# -eq 0 ]] || bench_int rounds "$1"
bench_need_data xsid/valid
bench_build
bench_step "running io.cxml.bench.language.LanguageDetectionBench"
"${BENCH_JAVA[@]}" -Xmx"${BENCH_XMX:-4g}" -Dlog4j2.level=WARN -Dbench.data="$BENCH_DATA" -cp "$BENCH_CP" \
    io.cxml.bench.language.LanguageDetectionBench "$@"
