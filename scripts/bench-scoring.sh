#!/usr/bin/env bash
# Scoring benchmark: the same texts (BANKING77 train sentences, repeated) and the same hashed intent model, scored
# (a) by the DJL predictor in a plain loop on 1 thread and on N threads (one shared model, a predictor per thread:
# what this machine gives N cores without Spark), (b) through the transformer path of `cxml score` in local[N],
# (c) by a naive per-row UDF. Each in its own JVM, so /usr/bin/time gives each one's peak RSS.
# Usage: scripts/bench-scoring.sh [ROWS=200000] [MASTER=local[2]]
#   env BENCH_DATA (default datasets: reads BANKING77's banking77/banking_data/train.csv)
# Prints the figures and writes bench-results/scoring.json.
source "$(dirname "${BASH_SOURCE[0]}")/lib/bench-env.sh"
ROWS="${1:-200000}"; MASTER="${2:-local[2]}"
bench_int ROWS "$ROWS"
[[ "$MASTER" =~ ^local\[([0-9]+|\*)\]$ ]] || { bench_usage; bench_fail "MASTER must be local[N], got '$MASTER'" \
    "$BENCH_SCRIPT $ROWS local[2]"; }
bench_need_cmd /usr/bin/time time
bench_need_data banking77/banking_data/train.csv
bench_build
WORK="$(mktemp -d)"; trap 'rm -rf "$WORK"' EXIT
JAVA=("${BENCH_JAVA[@]}" -Xmx4g -Dlog4j2.configurationFile=conf/log4j2.properties -cp "$BENCH_CP")
run() {  # mode [args...]: prints the mode's JSON line with peak_rss_mb added
  local line
  line=$(/usr/bin/time -f '%M' -o "$WORK/rss" "${JAVA[@]}" io.cxml.bench.scoring.ScoringBench "$@" | tail -1)
  [[ "$line" == \{*\} ]] || return 1 # the mode printed no figures: its error is above
  echo "${line%\}},\"peak_rss_mb\":$(( $(tail -1 "$WORK/rss") / 1024 ))}"
}
bench_step "training the model and writing $ROWS texts (ScoringBench prepare)"
"${JAVA[@]}" io.cxml.bench.scoring.ScoringBench prepare "$WORK" "$BENCH_DATA" "$ROWS"
THREADS="${MASTER//[^0-9]/}"; THREADS="${THREADS:-$(nproc)}"
bench_step "scoring in a plain loop on 1 thread (ScoringBench loop)"
loop=$(run loop "$WORK" 1); echo "$loop"
bench_step "scoring in a plain loop on $THREADS threads (ScoringBench loop)"
loopn=$(run loop "$WORK" "$THREADS"); echo "$loopn"
bench_step "scoring through the transformer in $MASTER (ScoringBench transformer)"
transformer=$(run transformer "$WORK" "$MASTER"); echo "$transformer"
bench_step "scoring through a per-row UDF in $MASTER (ScoringBench udf)"
udf=$(run udf "$WORK" "$MASTER"); echo "$udf"
bench_step "writing bench-results/scoring.json"
mkdir -p bench-results
python3 - "$loop" "$transformer" "$udf" "$loopn" <<'PY' | tee bench-results/scoring.json
import json, sys
a, b, c, n = (json.loads(x) for x in sys.argv[1:5])
out = {"loop": a, "loop_threads": n, "transformer": b, "udf": c,
       # per core against the 1-thread loop (assumes the machine scales linearly with cores)
       "transformer_per_core_vs_loop": round(b["rows_per_s"] / b["cores"] / a["rows_per_s"], 3),
       # against the same number of threads without Spark (what the machine really gives): Spark's own cost
       "transformer_vs_loop_same_threads": round(b["rows_per_s"] / n["rows_per_s"], 3),
       "loop_scaling": round(n["rows_per_s"] / a["rows_per_s"], 3),
       "transformer_vs_udf": round(b["rows_per_s"] / c["rows_per_s"], 1)}
print(json.dumps(out, indent=2))
PY
