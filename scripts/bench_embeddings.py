#!/usr/bin/env python3
"""Python reference of the embedding throughput benchmark: sentence-transformers on CPU torch, the same first N
BANKING77 texts, batch size and thread count as io.cxml.bench.training.EmbeddingBench. Writes
bench-results/embeddings-python.json and, when the cxml figure exists, bench-results/embeddings.json with the ratio.

    <venv with torch + sentence-transformers>/bin/python scripts/bench_embeddings.py FOLDER [--rows 1000]
"""
import argparse
import csv
import json
import os
import time

import torch


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("folder")
    parser.add_argument("--data", default="datasets")
    parser.add_argument("--rows", type=int, default=1000)
    parser.add_argument("--batch", type=int, default=32)
    parser.add_argument("--threads", type=int, default=1)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    from sentence_transformers import SentenceTransformer
    with open(os.path.join(args.data, "banking77", "banking_data", "train.csv"), encoding="utf-8") as f:
        texts = [row[0] for row in csv.reader(f)][1:args.rows + 1]
    model = SentenceTransformer(args.folder, device="cpu")
    model.encode(texts[:args.batch], batch_size=args.batch)
    start = time.perf_counter()
    model.encode(texts, batch_size=args.batch)
    seconds = time.perf_counter() - start
    out = {"implementation": "sentence-transformers %s, torch %s" % (
        __import__("sentence_transformers").__version__, torch.__version__),
        "model": args.folder, "rows": len(texts), "batch": args.batch, "threads": args.threads,
        "seconds": seconds, "rowsPerSecond": len(texts) / seconds}
    os.makedirs("bench-results", exist_ok=True)
    with open("bench-results/embeddings-python.json", "w") as f:
        json.dump(out, f, indent=2)
    print("python: %d rows in %.2f s = %.1f rows/s" % (len(texts), seconds, len(texts) / seconds))
    if os.path.exists("bench-results/embeddings-cxml.json"):
        with open("bench-results/embeddings-cxml.json") as f:
            cxml = json.load(f)
        ratio = cxml["rowsPerSecond"] / out["rowsPerSecond"]
        with open("bench-results/embeddings.json", "w") as f:
            json.dump({"cxml": cxml, "python": out, "cxmlOverPython": ratio}, f, indent=2)
        print("cxml / python throughput: %.2f" % ratio)


if __name__ == "__main__":
    main()
