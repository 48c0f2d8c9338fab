#!/usr/bin/env bash
# Approximate (HNSW, Lucene) vs exact top-10 cosine search of agent assist on synthetic 384-dim ticket embeddings
# (80 intents x 25 phrasings, per-ticket noise; io.cxml.bench.assist.AnnBench): recall@10, wall and queries/s of both,
# index build time and size, peak RSS.
# Usage: scripts/bench-ann.sh INDEXED QUERIES [-Dbench.m=16 -Dbench.beamWidth=100 -Dbench.candidates=100,200]
#   e.g. scripts/bench-ann.sh 100000 10000
#        scripts/bench-ann.sh 1000000 100000 -Dbench.out=bench-results/ann.json
# Prints the figures and writes bench-results/ann-<INDEXED>-<QUERIES>.json (or -Dbench.out).
#   env BENCH_HEAP (default 8g), BENCH_THREADS (default 2: the searches' threads; the graph is built by one)
source "$(dirname "${BASH_SOURCE[0]}")/lib/bench-env.sh"
bench_int INDEXED "${1:-}"; bench_int QUERIES "${2:-}"
INDEXED="$1"; QUERIES="$2"; shift 2
bench_build
bench_step "running io.cxml.bench.assist.AnnBench $INDEXED $QUERIES"
"${BENCH_JAVA[@]}" -Xmx"${BENCH_HEAP:-8g}" --add-modules jdk.incubator.vector \
    -Dbench.threads="${BENCH_THREADS:-2}" -Dbench.out="bench-results/ann-$INDEXED-$QUERIES.json" "$@" \
    -cp "$BENCH_CP" io.cxml.bench.assist.AnnBench "$INDEXED" "$QUERIES"
