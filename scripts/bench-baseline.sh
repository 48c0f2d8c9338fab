#!/usr/bin/env bash
# Tunes and measures the TF-IDF + logistic-regression baseline on the BANKING77 carve (io.cxml.training.bench
# .BaselineBench): a small grid compared on the validation carve only, then the untuned pipeline ("before") and the
# configured defaults ("after") on validation and test, all in one JVM, one after the other (read the ratios).
# Usage: scripts/bench-baseline.sh [-Dbench.grid=none] [-Dbench.seed=7]   (BENCH_XMX default 3g; BENCH_DATA default
#   ../shared/data)
# Writes bench-results/baseline-banking77-<time>.json.
set -euo pipefail
cd "$(dirname "$0")/.."
CP_FILE=training/target/bench-classpath.txt
mvn -B -o -q test-compile dependency:build-classpath -pl training -am \
    -Dmdep.outputFile="$(pwd)/$CP_FILE" -Dmdep.includeScope=test >/dev/null
CP="training/target/classes:$(cat "$CP_FILE")"
OPENS=$(sed -n "s:.*<spark.jvm.opens>\(.*\)</spark.jvm.opens>.*:\1:p" pom.xml)
export OMP_NUM_THREADS=1 AWS_EC2_METADATA_DISABLED=true SPARK_LOCAL_IP=127.0.0.1
exec java -Xmx"${BENCH_XMX:-3g}" $OPENS -Dlog4j2.configurationFile=conf/log4j2.properties "$@" -cp "$CP" \
    io.cxml.bench.training.BaselineBench "${BENCH_DATA:-../shared/data}"
