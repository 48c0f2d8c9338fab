#!/usr/bin/env bash
# Model-vs-baseline benchmark on public data (BANKING77 carved split, xSID per-language).
# Usage: scripts/bench-models.sh banking77|xsid [-Dbench.buckets=131072 -Dbench.dim=64 ...]
# Prints the figures and writes bench-results/models-<set>.json and bench-results/models-<set>/report.html.
set -euo pipefail
cd "$(dirname "$0")/.."
SET="${1:-banking77}"; shift || true
CP_FILE=training/target/bench-classpath.txt
mvn -B -o -q test-compile dependency:build-classpath -pl training -am \
    -Dmdep.outputFile="$(pwd)/$CP_FILE" -Dmdep.includeScope=test >/dev/null
# Only training's own classpath file is wanted; feature-store writes the same name in its own target.
CP="training/target/classes:$(cat "$CP_FILE")"
OPENS=$(sed -n "s:.*<spark.jvm.opens>\(.*\)</spark.jvm.opens>.*:\1:p" pom.xml)
export OPT_OUT_TRACKING=true OMP_NUM_THREADS=1 AWS_EC2_METADATA_DISABLED=true SPARK_LOCAL_IP=127.0.0.1
exec java -Xmx6g $OPENS -Dlog4j2.configurationFile=conf/log4j2.properties -Dai.djl.offline=true -Dai.djl.pytorch.num_threads=1 "$@" \
    -cp "$CP" io.cxml.training.bench.ModelBench "$SET" ../shared/data
