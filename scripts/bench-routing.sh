#!/usr/bin/env bash
# Routing training benchmark: for each tenant count, generate a sample with that many accounts (generate-sample
# --accounts, TICKETS_PER_TENANT tickets each on average), ingest it, build the feature views, then time
# `cxml train routing` alone (its own JVM, so /usr/bin/time gives its peak RSS). The intent input is switched off
# (cxml.routing.intent-model=none) so the figure is routing's own cost; the run record gives the training tasks'
# wall time and the model counts.
# Usage: scripts/bench-routing.sh [TENANTS="1000 5000"] [TICKETS_PER_TENANT=40] [MASTER=local[2]]
#   BENCH_CONF="key=value ..." adds --conf settings to the training run (e.g. cxml.routing.min-tenant-examples=10
#   so that more tenants get a model of their own); they are recorded in the JSON.
# Prints the figures and writes bench-results/routing.json. Needs ./setup.sh (the jar) first.
source "$(dirname "${BASH_SOURCE[0]}")/lib/bench-env.sh"
(($# <= 3)) || { bench_usage; bench_fail "too many arguments: $* (quote the tenant counts: \"1000 5000\")" \
    "$BENCH_SCRIPT \"1000 5000\" 40"; }
TENANTS="${1:-1000 5000}"; PER="${2:-40}"; MASTER="${3:-local[2]}"
for n in $TENANTS; do bench_int TENANTS "$n"; done
bench_int TICKETS_PER_TENANT "$PER"
bench_need_cmd /usr/bin/time time
bench_need_jar
WORK="$(mktemp -d)"; trap 'rm -rf "$WORK"' EXIT
results=()
for n in $TENANTS; do
  root="$WORK/t$n"; tickets=$(( n * PER ))
  common=(--conf "cxml.storage.root=$root" --conf "cxml.spark.master=$MASTER")
  bench_step "$n tenants, $tickets tickets: preparing (sample, ingest, features)"
  bin/cxml generate-sample --tickets "$tickets" --accounts "$n" --days 90 "${common[@]}" >/dev/null
  bin/cxml ingest --from 2026-01-01 --to 2026-04-01 "${common[@]}" >/dev/null
  bin/cxml features build --from 2026-01-01 --to 2026-04-01 "${common[@]}" >/dev/null
  bench_step "$n tenants: training (bin/cxml train routing)"
  start=$(date +%s.%N)
  extra=(); for kv in ${BENCH_CONF:-}; do extra+=(--conf "$kv"); done
  /usr/bin/time -f '%M' -o "$WORK/rss" bin/cxml train routing --conf cxml.routing.intent-model=none \
      "${common[@]}" "${extra[@]}" >"$WORK/train.log" \
      || { tail -20 "$WORK/train.log" >&2; bench_fail "bin/cxml train routing failed at $n tenants (its output's end above)" \
           "see the error above, then rerun $BENCH_SCRIPT \"$TENANTS\" $PER $MASTER"; }
  wall=$(python3 -c "import time,sys; print(round(time.time()-float(sys.argv[1]),1))" "$start")
  record=$(ls "$root/runs/train-routing/"*.json | sort | tail -1)
  results+=("$(python3 - "$record" "$n" "$tickets" "$wall" "$(tail -1 "$WORK/rss")" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
c, d = r["counts"], r["details"]
models = c["tenant_models"] + 1
print(json.dumps({"tenants": int(sys.argv[2]), "tickets": int(sys.argv[3]), "tenant_models": c["tenant_models"],
                  "fallback_tenants": c["fallback_tenants"], "fit_rows": c["fit_rows"],
                  "job_wall_s": float(sys.argv[4]), "training_tasks_s": round(d["training_seconds"], 1),
                  "models_per_s": round(models / d["training_seconds"], 1),
                  "peak_rss_mb": int(sys.argv[5]) // 1024, "top1": d["top1"],
                  "baseline_most_frequent_top1": d["baseline_most_frequent_top1"],
                  "baseline_global_lr_top1": d["baseline_global_lr_top1"],
                  "median_tenant_top1": d["median_tenant_top1"]}))
PY
)")
  echo "${results[-1]}"
done
mkdir -p bench-results
bench_step "writing bench-results/routing${BENCH_TAG:+-$BENCH_TAG}.json"
BENCH_CONF="${BENCH_CONF:-}" python3 - "$MASTER" "$(nproc)" "${results[@]}" <<'PY' | tee "bench-results/routing${BENCH_TAG:+-$BENCH_TAG}.json"
import json, sys
runs = [json.loads(x) for x in sys.argv[3:]]
import os
out = {"master": sys.argv[1], "cores": int(sys.argv[2]), "conf": os.environ.get("BENCH_CONF", ""), "runs": runs}
if len(runs) >= 2:
    a, b = runs[0], runs[-1]
    out["cost_growth"] = {"tenants_x": round(b["tenants"] / a["tenants"], 2),
                          "training_time_x": round(b["training_tasks_s"] / a["training_tasks_s"], 2),
                          "job_wall_x": round(b["job_wall_s"] / a["job_wall_s"], 2)}
print(json.dumps(out, indent=2))
PY
