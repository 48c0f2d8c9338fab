#!/usr/bin/env bash
# Model-vs-baseline benchmark on public data (BANKING77 carved split, xSID per-language).
# Usage: scripts/bench-models.sh banking77|xsid [-Dbench.buckets=131072 -Dbench.dim=64 ...]
#   fine-tune a pretrained encoder instead of the hashed model (scaled for a shared CPU):
#        scripts/bench-models.sh banking77 -Dbench.encoder=$HOME/.cache/cxml/models/all-MiniLM-L6-v2 \
#            -Dbench.trainLimit=2000 -Dbench.epochs=2 -Dbench.lr=1e-4 -Dbench.tag=minilm
#   cross-lingual transfer: train (and validate) on English only, test on every xSID language; the multilingual base
#   from scripts/fetch-multilingual-e5.sh (4-bit multilingual-e5-small, dequantized):
#        scripts/bench-models.sh xsid -Dbench.trainLanguages=en -Dbench.tag=en-hashed
#        scripts/bench-models.sh xsid -Dbench.trainLanguages=en -Dbench.encoder=$HOME/.cache/cxml/models/multilingual-e5-small-q4 \
#            -Dbench.epochs=... -Dbench.tag=en-e5      (settings: docs/models.md, Cross-lingual transfer)
#   a head on a frozen encoder's embeddings beside the hashed model and the baseline (same run, same carve; the
#   reg-param chosen by validation accuracy from a comma-separated list; -Dbench.headMaxIter=200 -Dbench.headTol=1e-6
#   -Dbench.maxTokens=128 -Dbench.headBatch=256; a hybrid head with the text's hashed n-grams beside the vector:
#   -Dbench.headNgramBuckets=32768 -Dbench.headNgramReg=1e-4):
#        scripts/bench-models.sh banking77 -Dbench.head=$HOME/.cache/cxml/models/all-MiniLM-L6-v2 \
#            -Dbench.headReg=1e-4,3e-4,1e-3,3e-3,1e-2 -Dbench.tag=head-minilm
#        scripts/bench-models.sh xsid -Dbench.trainLanguages=en -Dbench.head=$HOME/.cache/cxml/models/multilingual-e5-small-q4 \
#            -Dbench.headReg=1e-4,3e-4,1e-3,3e-3,1e-2 -Dbench.tag=en-head-e5
#   embedding throughput of cxml vs the Python reference on the same texts, batch and thread count, in turns, at 1
#   and 2 threads (BENCH_THREADS="1 2", BENCH_ROUNDS=3; CXML_REF_PYTHON: a python with torch + sentence-transformers,
#   e.g. a throwaway venv outside the repo); writes bench-results/embeddings.json (medians and ratios):
#        CXML_REF_PYTHON=~/.cache/cxml/refvenv/bin/python scripts/bench-models.sh embeddings FOLDER [-Dbench.rows=1000]
# Prints the figures and writes bench-results/models-<set>[-<tag>].json and bench-results/models-<set>/report.html
#   env BENCH_DATA (default datasets: banking77/banking_data/train.csv, xsid/valid)
source "$(dirname "${BASH_SOURCE[0]}")/lib/bench-env.sh"
SET="${1:-banking77}"; shift || true
for arg in "${@:$([[ "$SET" == embeddings ]] && echo 2 || echo 1)}"; do
  [[ "$arg" == -D* ]] || { bench_usage; bench_fail "unknown argument '$arg' (after the set, only -Dkey=value settings)" \
      "$BENCH_SCRIPT banking77 -Dbench.epochs=1"; }
done
case "$SET" in
  banking77) bench_need_data banking77/banking_data/train.csv ;;
  xsid) bench_need_data xsid/valid ;;
  embeddings)
    [[ $# -ge 1 && -d "$1" ]] || { bench_usage; bench_fail "embeddings needs a pretrained model FOLDER, got '${1:-}'" \
        "$BENCH_SCRIPT embeddings \$HOME/.cache/cxml/models/all-MiniLM-L6-v2 (scripts/fetch-test-models.sh)"; }
    [[ -n "${CXML_REF_PYTHON:-}" ]] || bench_fail "set CXML_REF_PYTHON to a python with torch and sentence-transformers" \
        "CXML_REF_PYTHON=~/.cache/cxml/refvenv/bin/python $BENCH_SCRIPT embeddings $1"
    bench_need_data banking77/banking_data/train.csv ;;
  *) bench_usage; bench_fail "unknown set '$SET': expected banking77, xsid or embeddings" "$BENCH_SCRIPT banking77" ;;
esac
bench_build
JAVA=("${BENCH_JAVA[@]}" -Xmx6g -Dlog4j2.configurationFile=conf/log4j2.properties)
if [[ "$SET" == embeddings ]]; then
  # Both sides run in turns (cxml, Python, cxml, ...) at each thread count, so a change of machine load hits both;
  # the summary keeps each side's median over BENCH_ROUNDS rounds.
  FOLDER="$1"; shift
  ROWS=$(printf '%s\n' "$@" | sed -n 's/^-Dbench.rows=//p'); ROWS="${ROWS:-1000}"
  mkdir -p bench-results
  : >bench-results/embeddings-runs.jsonl
  for threads in ${BENCH_THREADS:-1 2}; do
    for round in $(seq 1 "${BENCH_ROUNDS:-3}"); do
      bench_step "EmbeddingBench on $FOLDER, $threads thread(s), round $round"
      OMP_NUM_THREADS=$threads "${JAVA[@]}" -Dai.djl.pytorch.num_threads="$threads" "$@" -cp "$BENCH_CP" \
          io.cxml.bench.training.EmbeddingBench "$FOLDER" "$BENCH_DATA"
      bench_step "the Python reference (scripts/bench_embeddings.py with $CXML_REF_PYTHON), $threads thread(s)" \
          "point CXML_REF_PYTHON at a python with torch and sentence-transformers"
      OMP_NUM_THREADS=$threads "$CXML_REF_PYTHON" scripts/bench_embeddings.py "$FOLDER" --rows "$ROWS" \
          --threads "$threads" --data "$BENCH_DATA"
      python3 -c 'import json,sys; r=json.load(open("bench-results/embeddings.json")); r["load1"]=float(open("/proc/loadavg").read().split()[0]); print(json.dumps(r))' \
          >>bench-results/embeddings-runs.jsonl
    done
  done
  python3 scripts/summarize_embedding_bench.py bench-results/embeddings-runs.jsonl bench-results/embeddings.json
  exit 0
fi
bench_step "running io.cxml.bench.training.ModelBench $SET"
"${JAVA[@]}" "$@" -cp "$BENCH_CP" io.cxml.bench.training.ModelBench "$SET" "$BENCH_DATA"
