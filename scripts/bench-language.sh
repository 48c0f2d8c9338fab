#!/usr/bin/env bash
# Language-detection throughput (not a unit test): Lingua 1.2.2's detector against cxml's LanguageDetector (same
# answers, merged n-gram tables) on the xSID validation sentences, 1 and 2 threads, best of N rounds after a warm-up;
# counts differing answers (expected 0); writes bench-results/language-<time>.json.
# Usage: scripts/bench-language.sh [rounds]   (default 5; about 1-2 minutes)
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -o -q test-compile -pl feature-store
mvn -B -o -q dependency:build-classpath -pl feature-store -Dmdep.includeScope=test \
    -Dmdep.outputFile=target/bench.classpath >/dev/null
exec java -Xmx"${BENCH_XMX:-4g}" -Dlog4j2.level=WARN -Dcxml.shared.dir="$(pwd)/../shared" \
    -cp "feature-store/target/test-classes:feature-store/target/classes:$(cat feature-store/target/bench.classpath)" \
    io.cxml.bench.language.LanguageDetectionBench "$@"
