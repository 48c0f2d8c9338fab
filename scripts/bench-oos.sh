#!/usr/bin/env bash
# Out-of-scope detection the CLINC150 way on a BANKING77 carve (OutOfScopeBench): HELD_OUT intents (seeded) leave
# training and become the out-of-scope test tickets; a head on ENCODER's embeddings is trained through
# EmbeddingHeadTrainer, and the test tickets are judged by no rule, the configured confidence threshold (0.5) and the
# threshold a head version stores (the larger of 0.5 and the calibrated confidence that keeps the in-scope validation
# quantile, by the training run's own ExecutorEvaluation.confidenceThreshold): in-scope accuracy, out-of-scope
# recall, false-rejection rate.
# Usage: scripts/bench-oos.sh [HELD_OUT=10] [-Dbench.seed=7] [-Dbench.quantile=0.95]
#   env CXML_OOS_ENCODER (default ${CXML_CACHE:-~/.cache/cxml}/models/all-MiniLM-L6-v2; scripts/fetch-test-models.sh),
#   BENCH_DATA (default datasets/: reads banking77/banking_data/train.csv)
# Prints the figures and writes bench-results/oos.json.
source "$(dirname "${BASH_SOURCE[0]}")/lib/bench-env.sh"
POS=(); PROPS=()
for arg in "$@"; do
  if [[ "$arg" == -D* ]]; then PROPS+=("$arg"); else POS+=("$arg"); fi
done
HELD_OUT="${POS[0]:-10}"
bench_int HELD_OUT "$HELD_OUT"
ENCODER="${CXML_OOS_ENCODER:-${CXML_CACHE:-$HOME/.cache/cxml}/models/all-MiniLM-L6-v2}"
[[ -f "$ENCODER/model.safetensors" ]] || bench_fail "the encoder folder is missing ($ENCODER)" \
    "scripts/fetch-test-models.sh, or set CXML_OOS_ENCODER to a Hugging Face encoder folder"
bench_need_data banking77/banking_data/train.csv
bench_build
bench_step "measuring out-of-scope detection with $ENCODER, $HELD_OUT intents held out (OutOfScopeBench)"
line=$("${BENCH_JAVA[@]}" -Xmx4g -Dlog4j2.configurationFile=conf/log4j2.properties "${PROPS[@]}" -cp "$BENCH_CP" \
    io.cxml.bench.embedding.OutOfScopeBench "$ENCODER" "$BENCH_DATA/banking77/banking_data/train.csv" "$HELD_OUT" \
    'local[2]' | tee /dev/stderr | tail -1)
[[ "$line" == \{*\} ]] || bench_fail "OutOfScopeBench printed no figures (its error is above)"
mkdir -p bench-results
python3 -c 'import json,sys; print(json.dumps(json.loads(sys.argv[1]), indent=2))' "$line" | tee bench-results/oos.json
