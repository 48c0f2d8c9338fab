#!/usr/bin/env python3
"""Fingerprint of what `bin/cxml pipeline --sample --train` wrote, to show that a refactoring changed no behaviour.

    .venv/bin/python scripts/pipeline-fingerprint.py [ROOT]     (ROOT: the storage root, default ./data)

Prints one SHA-256 per output and writes nothing:
  scored_tickets  every row of scored/tickets, run_id and scored_at left out, sorted by ticket_id, as JSON lines
  <model> metrics every registered version's metrics and baseline metrics (model.json, run ids and times left out)
Two runs of the same code, data, config and seed print the same lines; so must a refactoring.
"""
import hashlib
import json
import os
import sys


def scored_tickets(root):
    from pyspark.sql import SparkSession
    spark = (SparkSession.builder.master("local[2]").appName("pipeline-fingerprint")
             .config("spark.ui.enabled", "false").config("spark.sql.session.timeZone", "UTC").getOrCreate())
    spark.sparkContext.setLogLevel("ERROR")
    df = spark.read.parquet(os.path.join(root, "scored", "tickets")).drop("run_id", "scored_at")
    digest = hashlib.sha256()
    rows = 0
    for row in df.orderBy("ticket_id").toLocalIterator():
        digest.update(json.dumps(row.asDict(recursive=True), sort_keys=True, default=str).encode())
        digest.update(b"\n")
        rows += 1
    spark.stop()
    return digest.hexdigest(), rows


def model_metrics(root):
    out = {}
    models = os.path.join(root, "models")
    for name in sorted(os.listdir(models)) if os.path.isdir(models) else []:
        for version in sorted(os.listdir(os.path.join(models, name))):
            manifest = os.path.join(models, name, version, "model.json")
            if not os.path.isfile(manifest):
                continue
            with open(manifest) as f:
                m = json.load(f)
            kept = {"metrics": m.get("metrics"), "baseline": m.get("baseline")}
            out[name + "/" + version] = hashlib.sha256(json.dumps(kept, sort_keys=True).encode()).hexdigest()
    return out


def main():
    root = sys.argv[1] if len(sys.argv) > 1 else "data"
    if root.startswith("file://"):
        root = root[len("file://"):]
    if not os.path.isdir(os.path.join(root, "scored", "tickets")):
        sys.exit("pipeline-fingerprint: %s has no scored/tickets; run `bin/cxml pipeline --sample --train` first" % root)
    digest, rows = scored_tickets(root)
    print("scored_tickets  %s  (%d rows)" % (digest, rows))
    for model, digest in model_metrics(root).items():
        print("%-15s %s" % (model, digest))


if __name__ == "__main__":
    main()
