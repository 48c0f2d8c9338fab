#!/usr/bin/env bash
# Agent-assist retrieval on public data through the product's exact search, encoder vectors beside TF-IDF:
#   BANKING77 (ModelBench's carve: train carve indexed, test carve queried): 1-NN and 5-NN intent accuracy
#   xSID (English training sentences indexed, test sentences of every language queried): precision@1 per language
# Usage: scripts/bench-assist.sh banking77|xsid FOLDER [-Dbench.maxTokens=128 -Dbench.batch=64]
#   e.g. scripts/bench-assist.sh banking77 $HOME/.cache/cxml/models/all-MiniLM-L6-v2
#        scripts/bench-assist.sh xsid $HOME/.cache/cxml/models/multilingual-e5-small-q4
# Prints the figures and writes bench-results/assist-<set>-<folder name>.json.
#   env BENCH_DATA (default datasets/: banking77/banking_data/train.csv, xsid/valid)
source "$(dirname "${BASH_SOURCE[0]}")/lib/bench-env.sh"
SET="${1:-banking77}"; FOLDER="${2:-}"
[[ -d "$FOLDER" ]] || bench_fail "needs an encoder FOLDER after the set, got '$FOLDER'" \
    "$BENCH_SCRIPT banking77 \$HOME/.cache/cxml/models/all-MiniLM-L6-v2 (scripts/fetch-test-models.sh)"
shift 2
case "$SET" in
  banking77) bench_need_data banking77/banking_data/train.csv ;;
  xsid) bench_need_data xsid/valid ;;
  *) bench_fail "unknown set '$SET': expected banking77 or xsid" "$BENCH_SCRIPT banking77 FOLDER" ;;
esac
bench_build
bench_step "running io.cxml.bench.assist.RetrievalBench $SET"
"${BENCH_JAVA[@]}" -Xmx6g -Dlog4j2.configurationFile=conf/log4j2.properties -Dbench.encoder="$FOLDER" \
    -Dbench.out="bench-results/assist-$SET-$(basename "$FOLDER").json" "$@" \
    -cp "$BENCH_CP" io.cxml.bench.assist.RetrievalBench "$SET" "$BENCH_DATA"
