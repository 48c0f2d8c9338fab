#!/usr/bin/env bash
# Benchmark of generate-sample + ingest at a given size: wall time and peak memory (RSS of the whole JVM) of each
# job, printed and written to bench-results/ingest-<tickets>.json. Needs a built jar (./setup.sh).
# Usage: scripts/bench-ingest.sh [TICKETS=100000] [ACCOUNTS=TICKETS/500] [DAYS=30]
source "$(dirname "${BASH_SOURCE[0]}")/lib/bench-env.sh"
(($# <= 3)) || { bench_usage; bench_fail "too many arguments: $*" "$BENCH_SCRIPT 10000"; }
tickets="${1:-100000}"
bench_int TICKETS "$tickets"
accounts="${2:-$((tickets / 500 > 0 ? tickets / 500 : 1))}"
days="${3:-30}"
bench_int ACCOUNTS "$accounts"; bench_int DAYS "$days"
bench_need_cmd /usr/bin/time time
bench_need_jar
root="$(mktemp -d /tmp/cxml-bench.XXXXXX)"
trap 'rm -rf "$root"' EXIT
mkdir -p bench-results
end_day=$(date -u -d "2026-01-01 + $days days" +%F)  # first day left out: windows are [from, to)

measure() { # name, command...: leaves "seconds peak-KB" in $root/<name>.time
  local name="$1"; shift
  bench_step "running $name (${*:1:3} ...)"
  /usr/bin/time -f '%e %M' -o "$root/$name.time" "$@" > "$root/$name.out" 2> "$root/$name.log" \
    || { tail -20 "$root/$name.log" >&2; bench_fail "$name failed: $* (its log's end above)" \
         "see the error above, then rerun $BENCH_SCRIPT $tickets"; }
}

measure generate bin/cxml generate-sample --tickets "$tickets" --accounts "$accounts" \
  --days "$days" --start-date 2026-01-01 --conf cxml.storage.root="$root/data"
read -r gen_s gen_kb < "$root/generate.time"
measure ingest bin/cxml ingest --from 2026-01-01 --to "$end_day" --conf cxml.storage.root="$root/data"
read -r ing_s ing_kb < "$root/ingest.time"
lines=$(awk '/^  read /{gsub(",","",$2); print $2}' "$root/ingest.out")
[[ -n "$lines" ]] || bench_fail "ingest printed no '  read N' line ($root/ingest.out)" "bin/cxml ingest --help"
out="bench-results/ingest-$tickets.json"
cat > "$out" <<JSON
{"benchmark": "generate-sample+ingest", "tickets": $tickets, "accounts": $accounts, "days": $days,
 "lines": $lines, "cores": $(nproc), "load_before": "$(cut -d' ' -f1-3 /proc/loadavg)",
 "generate": {"wall_s": $gen_s, "peak_rss_mb": $((gen_kb / 1024))},
 "ingest": {"wall_s": $ing_s, "peak_rss_mb": $((ing_kb / 1024))}}
JSON
printf 'tickets=%s lines=%s  generate: %ss, %s MB peak  ingest: %ss, %s MB peak  -> %s\n' \
  "$tickets" "$lines" "$gen_s" "$((gen_kb / 1024))" "$ing_s" "$((ing_kb / 1024))" "$out"
