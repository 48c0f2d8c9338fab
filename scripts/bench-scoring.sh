#!/usr/bin/env bash
# Scoring benchmark: the same texts (BANKING77 train sentences, repeated) and the same hashed intent model, scored
# (a) by the DJL predictor in a plain single-process loop, (b) through the transformer path of `cxml score` in
# local[N], (c) by a naive per-row UDF. Each in its own JVM, so /usr/bin/time gives each one's peak RSS.
# Usage: scripts/bench-scoring.sh [ROWS=200000] [MASTER=local[2]]
# Prints the figures and writes bench-results/scoring.json.
set -euo pipefail
cd "$(dirname "$0")/.."
ROWS="${1:-200000}"; MASTER="${2:-local[2]}"
CP_FILE=batch-inference/target/bench-classpath.txt
mvn -B -o -q install -DskipTests -pl batch-inference -am >/dev/null
mvn -B -o -q dependency:build-classpath -pl batch-inference -Dmdep.outputFile="$(pwd)/$CP_FILE" \
    -Dmdep.includeScope=test >/dev/null
CP="batch-inference/target/classes:$(cat "$CP_FILE")"
OPENS=$(sed -n "s:.*<spark.jvm.opens>\(.*\)</spark.jvm.opens>.*:\1:p" pom.xml)
export OPT_OUT_TRACKING=true OMP_NUM_THREADS=1 AWS_EC2_METADATA_DISABLED=true SPARK_LOCAL_IP=127.0.0.1
WORK="$(mktemp -d)"; trap 'rm -rf "$WORK"' EXIT
run() {  # mode [args...]: prints the mode's JSON line with peak_rss_mb added
  local line
  line=$(/usr/bin/time -f '%M' -o "$WORK/rss" java -Xmx4g $OPENS -Dlog4j2.configurationFile=conf/log4j2.properties \
      -Dai.djl.offline=true -Dai.djl.pytorch.num_threads=1 -cp "$CP" io.cxml.bench.scoring.ScoringBench "$@" | tail -1)
  echo "${line%\}},\"peak_rss_mb\":$(( $(tail -1 "$WORK/rss") / 1024 ))}"
}
echo "bench-scoring: training the model and writing $ROWS texts" >&2
java -Xmx4g $OPENS -Dlog4j2.configurationFile=conf/log4j2.properties -Dai.djl.offline=true \
    -Dai.djl.pytorch.num_threads=1 -cp "$CP" io.cxml.bench.scoring.ScoringBench prepare "$WORK" ../shared/data "$ROWS"
loop=$(run loop "$WORK"); echo "$loop"
transformer=$(run transformer "$WORK" "$MASTER"); echo "$transformer"
udf=$(run udf "$WORK" "$MASTER"); echo "$udf"
mkdir -p bench-results
python3 - "$loop" "$transformer" "$udf" <<'PY' | tee bench-results/scoring.json
import json, sys
a, b, c = (json.loads(x) for x in sys.argv[1:4])
out = {"loop": a, "transformer": b, "udf": c,
       "transformer_per_core_vs_loop": round(b["rows_per_s"] / b["cores"] / a["rows_per_s"], 3),
       "transformer_vs_udf": round(b["rows_per_s"] / c["rows_per_s"], 1)}
print(json.dumps(out, indent=2))
PY
