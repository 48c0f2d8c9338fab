#!/usr/bin/env bash
# Experiment-analysis benchmark: one look at an experiment of ROWS exposed tickets x 3 arms x 5 metrics (plus ROWS/2
# pre-period tickets for CUPED), synthetic and deterministic; the executors' sufficient statistics and the driver's
# analysis, per ticket unit and per requester unit (cluster-robust: one more shuffle). Each analysis in its own JVM,
# so /usr/bin/time gives its peak RSS.
# Usage: scripts/bench-experiments.sh [ROWS=10000000] [MASTER=local[2]]
# Prints the figures and writes bench-results/experiments.json.
source "$(dirname "${BASH_SOURCE[0]}")/lib/bench-env.sh"
ROWS="${1:-10000000}"; MASTER="${2:-local[2]}"
bench_int ROWS "$ROWS"
bench_need_cmd /usr/bin/time time
bench_build
WORK="$(mktemp -d)"; trap 'rm -rf "$WORK"' EXIT
JAVA=("${BENCH_JAVA[@]}" -Xmx4g -Dlog4j2.configurationFile=conf/log4j2.properties -cp "$BENCH_CP")
run() {  # mode [args...]: prints the mode's JSON line with peak_rss_mb added
  local line
  line=$(/usr/bin/time -f '%M' -o "$WORK/rss" "${JAVA[@]}" io.cxml.bench.experiments.ExperimentBench "$@" | tail -1)
  [[ "$line" == \{*\} ]] || return 1 # the mode printed no figures: its error is above
  echo "${line%\}},\"peak_rss_mb\":$(( $(tail -1 "$WORK/rss") / 1024 ))}"
}
bench_step "writing $ROWS exposed tickets (ExperimentBench prepare)"
"${JAVA[@]}" io.cxml.bench.experiments.ExperimentBench prepare "$WORK" "$ROWS" | tail -1
bench_step "analysing, unit = ticket, in $MASTER"
ticket=$(run analyze "$WORK" "$MASTER" ticket); echo "$ticket"
bench_step "analysing, unit = requester, in $MASTER"
requester=$(run analyze "$WORK" "$MASTER" requester); echo "$requester"
bench_step "writing bench-results/experiments.json"
mkdir -p bench-results
python3 - "$ticket" "$requester" "$MASTER" <<'PY' | tee bench-results/experiments.json
import json, sys
print(json.dumps({"master": sys.argv[3], "ticket_unit": json.loads(sys.argv[1]),
                  "requester_unit": json.loads(sys.argv[2])}, indent=2))
PY
