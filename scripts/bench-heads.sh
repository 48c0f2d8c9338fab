#!/usr/bin/env bash
# Heads on embeddings: (a) training a head through EmbeddingHeadTrainer on TRAIN_ROWS synthetic embedded rows (384-dim
# unit vectors around 77 seeded class centroids with noise, plus a tenth as many validation rows) in local[2];
# (b) scoring three heads (77, 3 and 12 labels) on SCORE_ROWS pre-embedded rows through three TextClassifierStages
# that read the same embedding column (a real BaseEncoder record: the tiny XLM-R test fixture), local[2];
# (c) embedding throughput of EmbeddingStage with the multilingual e5 encoder on EMBED_ROWS BANKING77 texts, local[1]
# and local[2]. Each in its own JVM, so /usr/bin/time gives each one's peak RSS.
# Usage: scripts/bench-heads.sh [TRAIN_ROWS=100000] [SCORE_ROWS=200000] [EMBED_ROWS=2000] [-Dbench.* ...]
#   env CXML_E5 (default ${CXML_CACHE:-~/.cache/cxml}/models/multilingual-e5-small-q4; scripts/fetch-multilingual-e5.sh),
#   BENCH_DATA (default datasets: reads banking77/banking_data/train.csv), BENCH_HEADS_SKIP (e.g. "embed")
# Prints the figures and writes bench-results/heads.json. The comparison with sentence-transformers is
# scripts/bench-models.sh embeddings (it needs a python with torch, CXML_REF_PYTHON).
source "$(dirname "${BASH_SOURCE[0]}")/lib/bench-env.sh"
POS=(); PROPS=()
for arg in "$@"; do
  if [[ "$arg" == -D* ]]; then PROPS+=("$arg"); else POS+=("$arg"); fi
done
TRAIN_ROWS="${POS[0]:-100000}"; SCORE_ROWS="${POS[1]:-200000}"; EMBED_ROWS="${POS[2]:-2000}"
bench_int TRAIN_ROWS "$TRAIN_ROWS"; bench_int SCORE_ROWS "$SCORE_ROWS"; bench_int EMBED_ROWS "$EMBED_ROWS"
SKIP="${BENCH_HEADS_SKIP:-}"
E5="${CXML_E5:-${CXML_CACHE:-$HOME/.cache/cxml}/models/multilingual-e5-small-q4}"
FIXTURE=model-runtime/src/test/resources/io/cxml/runtime/text/tiny-xlmr
bench_need_cmd /usr/bin/time time
[[ -f "$FIXTURE/model.safetensors" ]] || bench_fail "the tiny XLM-R fixture is missing ($FIXTURE)" "git checkout $FIXTURE"
if [[ "$SKIP" != *embed* ]]; then
  [[ -f "$E5/model.safetensors" ]] || bench_fail "the multilingual e5 folder is missing ($E5)" \
      "scripts/fetch-multilingual-e5.sh, or set CXML_E5 to the folder (or BENCH_HEADS_SKIP=embed)"
  bench_need_data banking77/banking_data/train.csv
fi
bench_build
WORK="$(mktemp -d)"; trap 'rm -rf "$WORK"' EXIT
JAVA=("${BENCH_JAVA[@]}" -Xmx6g -Dlog4j2.configurationFile=conf/log4j2.properties "${PROPS[@]}" -cp "$BENCH_CP")
run() {  # mode [args...]: prints the mode's JSON line with peak_rss_mb and the load average added
  local line load
  load="$(cut -d' ' -f1-3 /proc/loadavg)"
  line=$(/usr/bin/time -f '%M' -o "$WORK/rss" "${JAVA[@]}" io.cxml.bench.embedding.HeadBench "$@" | tail -1)
  [[ "$line" == \{*\} ]] || return 1 # the mode printed no figures: its error is above
  echo "${line%\}},\"peakRssMb\":$(( $(tail -1 "$WORK/rss") / 1024 )),\"loadBefore\":\"$load\",\"loadAfter\":\"$(cut -d' ' -f1-3 /proc/loadavg)\"}"
}
train='null'; score='null'; embed1='null'; embed2='null'
if [[ "$SKIP" != *train* ]]; then
  bench_step "training a head on $TRAIN_ROWS synthetic embedded rows (HeadBench train)"
  train=$(run train "$TRAIN_ROWS" 384 77 'local[2]'); echo "$train"
fi
if [[ "$SKIP" != *score* ]]; then
  bench_step "scoring three heads on $SCORE_ROWS pre-embedded rows (HeadBench score)"
  score=$(run score "$SCORE_ROWS" 384 'local[2]' "$FIXTURE"); echo "$score"
fi
if [[ "$SKIP" != *embed* ]]; then
  bench_step "embedding $EMBED_ROWS BANKING77 texts with $E5 in local[1] (HeadBench embed)"
  embed1=$(run embed "$E5" "$BENCH_DATA" "$EMBED_ROWS" 'local[1]'); echo "$embed1"
  bench_step "embedding $EMBED_ROWS BANKING77 texts with $E5 in local[2] (HeadBench embed)"
  embed2=$(run embed "$E5" "$BENCH_DATA" "$EMBED_ROWS" 'local[2]'); echo "$embed2"
fi
bench_step "writing bench-results/heads.json"
mkdir -p bench-results
python3 - "$train" "$score" "$embed1" "$embed2" <<'PY' | tee bench-results/heads.json
import json, sys
train, score, e1, e2 = (json.loads(x) for x in sys.argv[1:5])
out = {"train": train, "score": score, "embed_local1": e1, "embed_local2": e2,
       "goals": {"train_seconds_under": 120, "score_rows_per_s_at_least": 20000}}
if train:
    out["train_goal_met"] = train["seconds"] < 120
if score:
    out["score_goal_met"] = score["rowsPerSecond"] >= 20000
if e1 and e2:
    out["embed_scaling_local2_vs_local1"] = round(e2["rowsPerSecond"] / e1["rowsPerSecond"], 3)
print(json.dumps(out, indent=2))
PY
