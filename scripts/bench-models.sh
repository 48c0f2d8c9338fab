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
#   embedding throughput of cxml vs the Python reference on the same texts and one thread each
#   (CXML_REF_PYTHON: a python with torch + sentence-transformers, e.g. a throwaway venv outside the repo):
#        CXML_REF_PYTHON=~/.cache/cxml/refvenv/bin/python scripts/bench-models.sh embeddings FOLDER [-Dbench.rows=1000]
# Prints the figures and writes bench-results/models-<set>[-<tag>].json and bench-results/models-<set>/report.html
# (embeddings: bench-results/embeddings.json with the cxml / python ratio).
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
JAVA=(java -Xmx6g $OPENS -Dlog4j2.configurationFile=conf/log4j2.properties -Dai.djl.offline=true -Dai.djl.pytorch.num_threads=1)
if [[ "$SET" == embeddings ]]; then
  FOLDER="${1:?usage: scripts/bench-models.sh embeddings FOLDER}"; shift
  "${JAVA[@]}" "$@" -cp "$CP" io.cxml.bench.training.EmbeddingBench "$FOLDER" ../shared/data
  ROWS=$(printf '%s\n' "$@" | sed -n 's/^-Dbench.rows=//p'); ROWS="${ROWS:-1000}"
  "${CXML_REF_PYTHON:?set CXML_REF_PYTHON to a python with torch and sentence-transformers}" \
      scripts/bench_embeddings.py "$FOLDER" --rows "$ROWS" --threads 1
  exit 0
fi
exec "${JAVA[@]}" "$@" -cp "$CP" io.cxml.bench.training.ModelBench "$SET" ../shared/data
