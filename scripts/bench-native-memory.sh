#!/usr/bin/env bash
# Native memory of an embedding JVM whose batches run on new threads, as Spark task threads do
# (io.cxml.bench.embedding.NativeMemoryBench): the same texts twice, first with glibc's malloc defaults, then with the
# settings bin/cxml and every executor get (ExecutorSettings.MALLOC: MALLOC_ARENA_MAX=2, MALLOC_MMAP_THRESHOLD_=131072).
# Prints RSS after each batch and writes bench-results/native-memory-{glibc-default,cxml}-<time>.json.
# Usage: scripts/bench-native-memory.sh [TEXTS=1536]   (about 6 minutes with e5-small on 2 cores)
#   env CXML_E5 (default ${CXML_CACHE:-~/.cache/cxml}/models/multilingual-e5-small-q4), BENCH_DATA (default datasets)
source "$(dirname "${BASH_SOURCE[0]}")/lib/bench-env.sh"
(($# <= 1)) || { bench_usage; bench_fail "too many arguments: $*" "$BENCH_SCRIPT 1536"; }
TEXTS="${1:-1536}"; bench_int TEXTS "$TEXTS"
E5="${CXML_E5:-${CXML_CACHE:-$HOME/.cache/cxml}/models/multilingual-e5-small-q4}"
[[ -f "$E5/model.safetensors" ]] || bench_fail "the multilingual e5 folder is missing ($E5)" \
    "scripts/fetch-multilingual-e5.sh, or set CXML_E5 to the folder"
bench_need_data banking77/banking_data/train.csv
bench_build
for run in glibc-default cxml; do
  bench_step "running io.cxml.bench.embedding.NativeMemoryBench ($run)"
  if [[ "$run" == glibc-default ]]; then
    env -u MALLOC_ARENA_MAX -u MALLOC_MMAP_THRESHOLD_ "${BENCH_JAVA[@]}" -Xmx2g -Dlog4j2.level=WARN \
        -Dbench.data="$BENCH_DATA" -cp "$BENCH_CP" io.cxml.bench.embedding.NativeMemoryBench "$E5" "$TEXTS" "$run"
  else
    MALLOC_ARENA_MAX=2 MALLOC_MMAP_THRESHOLD_=131072 "${BENCH_JAVA[@]}" -Xmx2g -Dlog4j2.level=WARN \
        -Dbench.data="$BENCH_DATA" -cp "$BENCH_CP" io.cxml.bench.embedding.NativeMemoryBench "$E5" "$TEXTS" "$run"
  fi
done
