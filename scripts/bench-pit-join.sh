#!/usr/bin/env bash
# Point-in-time join benchmark (not a unit test): 1M labels x 10M events by default, at 1, 10, 100, 1,000 and 10,000
# events per entity, every PointInTimeJoin strategy against a naive join-then-filter in the same JVM (ratios hold on a
# loaded machine; each method the fastest of up to 3 round-robin runs). Prints the figures and writes
# bench-results/pit-join-<time>.json.
# Usage: scripts/bench-pit-join.sh [labels] [events] [densities, e.g. 1,10,100]
#   env BENCH_XMX (heap, default 6g), BENCH_LIMIT_S (seconds before a method is cancelled, default 600),
#   BENCH_STRATEGIES (e.g. SLOT_MERGE,TIME_ORDERED_MERGE; default all), BENCH_REPEATS (runs per method, default 3;
#   a method runs again only while its runs take under 20 s)
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -o -q test-compile -pl feature-store
mvn -B -o -q dependency:build-classpath -pl feature-store -Dmdep.includeScope=test \
    -Dmdep.outputFile=target/bench.classpath >/dev/null
opens=$(sed -n 's:.*<spark.jvm.opens>\(.*\)</spark.jvm.opens>.*:\1:p' pom.xml)
# shellcheck disable=SC2086
exec java $opens -Xmx"${BENCH_XMX:-6g}" -Dspark.driver.bindAddress=127.0.0.1 \
    -Dlog4j2.level=WARN -Dbench.limitSeconds="${BENCH_LIMIT_S:-600}" \
    ${BENCH_STRATEGIES:+-Dbench.strategies="$BENCH_STRATEGIES"} ${BENCH_REPEATS:+-Dbench.repeats="$BENCH_REPEATS"} \
    -cp "feature-store/target/test-classes:feature-store/target/classes:$(cat feature-store/target/bench.classpath)" \
    io.cxml.bench.features.PointInTimeJoinBench "$@" 
