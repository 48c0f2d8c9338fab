#!/usr/bin/env bash
# Point-in-time join benchmark (not a unit test): 1M labels x 10M events by default, against a naive
# join-then-filter in the same JVM. Prints the figures and writes bench-results/pit-join-<time>.json.
# Usage: scripts/bench-pit-join.sh [labels] [events] [entities]   (env BENCH_XMX, default 6g)
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -o -q test-compile -pl feature-store
mvn -B -o -q dependency:build-classpath -pl feature-store -Dmdep.includeScope=test \
    -Dmdep.outputFile=target/bench.classpath >/dev/null
opens=$(sed -n 's:.*<spark.jvm.opens>\(.*\)</spark.jvm.opens>.*:\1:p' pom.xml)
# shellcheck disable=SC2086
exec java $opens -Xmx"${BENCH_XMX:-6g}" -Dspark.driver.bindAddress=127.0.0.1 \
    -Dlog4j2.level=WARN \
    -cp "feature-store/target/test-classes:feature-store/target/classes:$(cat feature-store/target/bench.classpath)" \
    io.cxml.features.bench.PointInTimeJoinBench "$@" 
