#!/usr/bin/env python3
"""Summarizes the embedding throughput runs of `scripts/bench-models.sh embeddings`: per thread count, the median
rows/s of cxml and of sentence-transformers over the rounds, and their ratio (the issue's goal: >= 0.9).

    python3 scripts/summarize_embedding_bench.py RUNS.jsonl OUT.json
"""
import json
import statistics
import sys


def main():
    runs = [json.loads(line) for line in open(sys.argv[1], encoding="utf-8") if line.strip()]
    by_threads = {}
    for r in runs:
        by_threads.setdefault(int(r["python"]["threads"]), []).append(r)
    summary = {"model": runs[0]["cxml"]["model"], "rows": runs[0]["cxml"]["rows"],
               "batch": runs[0]["cxml"]["batch"], "python": runs[0]["python"]["implementation"],
               "cxml": runs[0]["cxml"]["implementation"], "threads": {}}
    for threads, rs in sorted(by_threads.items()):
        cxml = statistics.median(r["cxml"]["rowsPerSecond"] for r in rs)
        python = statistics.median(r["python"]["rowsPerSecond"] for r in rs)
        summary["threads"][str(threads)] = {
            "rounds": len(rs), "cxmlRowsPerSecond": cxml, "pythonRowsPerSecond": python,
            "cxmlOverPython": cxml / python, "perRoundRatio": [r["cxmlOverPython"] for r in rs],
            "load1": [r["load1"] for r in rs]}
        print("%d thread(s): cxml %.1f rows/s, sentence-transformers %.1f rows/s, ratio %.2f (rounds: %s)" % (
            threads, cxml, python, cxml / python, ", ".join("%.2f" % r["cxmlOverPython"] for r in rs)))
    with open(sys.argv[2], "w", encoding="utf-8") as f:
        json.dump(summary, f, indent=2)


if __name__ == "__main__":
    main()
