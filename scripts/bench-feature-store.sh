#!/usr/bin/env bash
# End-to-end feature-store benchmark (not a unit test): raw export -> training set on this machine, one `bin/cxml`
# process per step, each measured alone: generate-sample, ingest, features build, features training-set (all three
# views, the whole window). Records per step the wall time, the process's peak RSS (/usr/bin/time) and Spark's spill
# and shuffle bytes (from the step's event log), and writes bench-results/feature-store-<time>.json.
# Usage: scripts/bench-feature-store.sh [tickets] [days] [accounts]   (defaults 10000000 30 40)
#   env CXML_DRIVER_MEMORY (default 6g), BENCH_WORK (default target/bench-feature-store; wiped first),
#   BENCH_STEPS (default "generate-sample ingest features-build training-set"; later steps reuse earlier output)
# Needs the jar (./setup.sh). The machine may be shared: the JSON records the load average next to each step.
source "$(dirname "${BASH_SOURCE[0]}")/lib/bench-env.sh"
(($# <= 3)) || { bench_usage; bench_fail "too many arguments: $*" "$BENCH_SCRIPT 10000 3 4"; }
tickets="${1:-10000000}"
days="${2:-30}"
accounts="${3:-40}"
bench_int tickets "$tickets"; bench_int days "$days"; bench_int accounts "$accounts"
bench_need_cmd /usr/bin/time time
bench_need_jar
start="2026-01-01"
end=$(date -u -d "$start + $days days" +%F)  # first day left out: windows are [from, to)
work="$(pwd)/${BENCH_WORK:-target/bench-feature-store}"
steps="${BENCH_STEPS:-generate-sample ingest features-build training-set}"
export CXML_DRIVER_MEMORY="${CXML_DRIVER_MEMORY:-6g}"
if [[ "$steps" == generate-sample* ]]; then rm -rf "$work"; fi
mkdir -p "$work/logs" bench-results

run_step() { # name, cxml arguments...
  local name="$1"; shift
  local events="$work/eventlog/$name"
  rm -rf "$events"; mkdir -p "$events"
  echo "== $name: bin/cxml $*"
  local load; load=$(cut -d' ' -f1 /proc/loadavg)
  local t0; t0=$(date +%s.%N)
  /usr/bin/time -v -o "$work/logs/$name.time" nice -n 10 bin/cxml "$@" \
    --conf cxml.storage.root="$work/data" \
    --conf spark.eventLog.enabled=true --conf spark.eventLog.compress=false \
    --conf spark.eventLog.dir="file://$events" >"$work/logs/$name.out" 2>&1 \
    || { echo "bench-feature-store: step $name failed; see $work/logs/$name.out" >&2; tail -5 "$work/logs/$name.out" >&2; exit 1; }
  local t1; t1=$(date +%s.%N)
  echo "$name $t0 $t1 $load" >>"$work/logs/steps.txt"
  tail -2 "$work/logs/$name.out"
}

touch "$work/logs/steps.txt"
for step in $steps; do # a re-run step replaces its earlier figures
  grep -v "^$step " "$work/logs/steps.txt" >"$work/logs/steps.tmp" || true
  mv "$work/logs/steps.tmp" "$work/logs/steps.txt"
done
for step in $steps; do
  case "$step" in
    generate-sample) run_step generate-sample generate-sample --tickets "$tickets" --accounts "$accounts" \
        --days "$days" --start-date "$start" ;;
    ingest) run_step ingest ingest --from "$start" --to "$end" ;;
    features-build) run_step features-build features build --from "$start" --to "$end" ;;
    training-set) run_step training-set features training-set --labels curated \
        --views ticket_text,customer_history,account_context --out training-sets/bench ;;
    *) bench_fail "unknown step '$step' in BENCH_STEPS (known: generate-sample ingest features-build training-set)" \
        "BENCH_STEPS=\"generate-sample ingest features-build training-set\" $BENCH_SCRIPT $*" ;;
  esac
done

bench_step "writing bench-results/feature-store-<time>.json"
python3 - "$work" "$tickets" "$days" "$accounts" <<'EOF'
import datetime, glob, json, os, sys
work, tickets, days, accounts = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])

def du(path):
    total = 0
    for root, _, files in os.walk(path):
        total += sum(os.path.getsize(os.path.join(root, f)) for f in files)
    return total

def spark_metrics(name):
    m = {"diskBytesSpilled": 0, "memoryBytesSpilled": 0, "shuffleBytesWritten": 0, "tasks": 0,
         "maxTaskPeakExecutionMemoryBytes": 0}
    # Spark 4 writes rolling event logs: eventlog_v2_<app>/events_<n>_<app>.
    for log in glob.glob(os.path.join(work, "eventlog", name, "**", "events_*"), recursive=True):
        with open(log) as f:
            for line in f:
                if '"SparkListenerTaskEnd"' not in line:
                    continue
                tm = json.loads(line).get("Task Metrics") or {}
                m["tasks"] += 1
                m["diskBytesSpilled"] += tm.get("Disk Bytes Spilled", 0)
                m["memoryBytesSpilled"] += tm.get("Memory Bytes Spilled", 0)
                m["shuffleBytesWritten"] += (tm.get("Shuffle Write Metrics") or {}).get("Shuffle Bytes Written", 0)
                m["maxTaskPeakExecutionMemoryBytes"] = max(m["maxTaskPeakExecutionMemoryBytes"],
                                                           tm.get("Peak Execution Memory", 0))
    return m

steps = []
with open(os.path.join(work, "logs", "steps.txt")) as f:
    for line in f:
        name, t0, t1, load = line.split()
        rss = None
        with open(os.path.join(work, "logs", name + ".time")) as t:
            for l in t:
                if "Maximum resident set size" in l:
                    rss = int(l.split(":")[1]) * 1024
        step = {"step": name, "wallSeconds": float(t1) - float(t0), "peakRssBytes": rss, "loadAverageAtStart": float(load)}
        step.update(spark_metrics(name))
        steps.append(step)
total = sum(s["wallSeconds"] for s in steps)
data = os.path.join(work, "data")
result = {
    "benchmark": "feature store end to end: raw export -> training set",
    "date": datetime.datetime.now(datetime.timezone.utc).isoformat(),
    "tickets": tickets, "days": days, "accounts": accounts,
    "cpus": os.cpu_count(), "driverMemory": os.environ.get("CXML_DRIVER_MEMORY"),
    "steps": steps, "totalWallSeconds": total,
    "dominantStep": max(steps, key=lambda s: s["wallSeconds"])["step"] if steps else None,
    "bytes": {p: du(os.path.join(data, p)) for p in ["raw", "curated", "features", "training-sets"]},
    "note": "2 CPU cores shared with other engineers' processes: wall times are upper bounds",
}
out = os.path.join("bench-results", "feature-store-" + result["date"].replace(":", "") + ".json")
with open(out, "w") as f:
    json.dump(result, f, indent=2)
print(json.dumps(result, indent=2))
print("Wrote " + os.path.abspath(out))
EOF
