#!/usr/bin/env bash
# Point-in-time join benchmark (not a unit test): 1M labels x 10M events by default, at 1, 10, 100, 1,000 and 10,000
# events per entity, every PointInTimeJoin strategy against a naive join-then-filter in the same JVM (ratios hold on a
# loaded machine; each method the fastest of up to 3 round-robin runs). Prints the figures and writes
# bench-results/pit-join-<time>.json.
# Usage: scripts/bench-pit-join.sh [labels] [events] [densities, e.g. 1,10,100] [work dir, default target/bench]
#   env BENCH_XMX (heap, default 6g), BENCH_LIMIT_S (seconds before a method is cancelled, default 600),
#   BENCH_STRATEGIES (e.g. SLOT_MERGE,TIME_ORDERED_MERGE; default all: TIME_ORDERED_MERGE, PRUNED_SORT_MERGE,
#   SLOT_MERGE, AUTO), BENCH_REPEATS (runs per method, default 3; a method runs again only while its runs take under
#   20 s)
source "$(dirname "${BASH_SOURCE[0]}")/lib/bench-env.sh"
(($# <= 4)) || { bench_usage; bench_fail "too many arguments: $*" "$BENCH_SCRIPT 1000 10000 1,10"; }
[[ $# -lt 1 ]] || bench_int labels "$1"
[[ $# -lt 2 ]] || bench_int events "$2"
[[ $# -lt 3 || "$3" =~ ^[0-9]+(,[0-9]+)*$ ]] || { bench_usage; bench_fail "densities must be numbers separated by \
commas, got '$3'" "$BENCH_SCRIPT ${1:-1000000} ${2:-10000000} 1,10,100"; }
strategies="${BENCH_STRATEGIES:-}"
for s in ${strategies//,/ }; do
  [[ "$s" =~ ^(TIME_ORDERED_MERGE|PRUNED_SORT_MERGE|SLOT_MERGE|AUTO)$ ]] || bench_fail "unknown strategy '$s' in \
BENCH_STRATEGIES (SORT_MERGE was removed)" "BENCH_STRATEGIES=SLOT_MERGE,TIME_ORDERED_MERGE $BENCH_SCRIPT $*"
done
bench_build
bench_step "running io.cxml.bench.features.PointInTimeJoinBench"
# shellcheck disable=SC2086
"${BENCH_JAVA[@]}" -Xmx"${BENCH_XMX:-6g}" -Dspark.driver.bindAddress=127.0.0.1 \
    -Dlog4j2.level=WARN -Dbench.limitSeconds="${BENCH_LIMIT_S:-600}" \
    ${BENCH_STRATEGIES:+-Dbench.strategies="$BENCH_STRATEGIES"} ${BENCH_REPEATS:+-Dbench.repeats="$BENCH_REPEATS"} \
    -cp "$BENCH_CP" io.cxml.bench.features.PointInTimeJoinBench "$@"
