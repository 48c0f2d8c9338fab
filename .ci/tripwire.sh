#!/usr/bin/env bash
# The CI tripwire: runs a command where only loopback is reachable and fails when anything in it tried to leave the
# machine, even if the command itself passed.
#   .ci/tripwire.sh run CMD [ARGS...]   run CMD in a fresh network + mount namespace (needs root or user namespaces)
#   .ci/tripwire.sh selftest            prove that the tripwire fires (a child that probes 169.254.169.254) and that
#                                       a clean command passes
#
# Inside the namespace:
#   - only `lo` is up; any connection to a non-loopback address fails at once (ENETUNREACH);
#   - the cloud metadata addresses 169.254.169.254 and 169.254.170.2 sit on `lo` with a listener that logs each
#     connection, and /etc/hosts maps metadata.google.internal there, so metadata probes are recorded, not just lost;
#   - /etc/resolv.conf points at a DNS listener on 127.0.0.1 that logs every query and answers NXDOMAIN, so each
#     attempt to reach a named host outside /etc/hosts is recorded;
#   - afterwards the command's output and the test reports written during the run are scanned for the signs of an
#     outbound attempt (metadata addresses, "Network is unreachable", UnknownHostException, telemetry hosts).
# Any hit fails the run with exit code 3 and lists what was caught.
#
# Without permission to create namespaces it says so loudly and runs the command with the log scan only; under
# CI=true (.ci/run exports it) it fails instead, with exit code 3.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"
EXIT_TRIPPED=3
# Extended regular expression, case-insensitive: what an outbound attempt leaves in a log.
SCAN_PATTERN='169\.254\.169\.254|169\.254\.170\.2|metadata\.google\.internal|Network is unreachable|UnknownHostException|djl-telemetry|gateway\.scarf\.sh'

log() { echo "[tripwire] $*" >&2; }

loud() {
    {
        echo "################################################################################"
        for line in "$@"; do echo "### $line"; done
        echo "################################################################################"
    } >&2
}

# Report files written during the run (newer than the marker), relative to the repository root.
new_reports() {  # marker
    find "$ROOT" -path "$ROOT/.git" -prune -o -path "$ROOT/.venv*" -prune -o -type f -newer "$1" \
        \( -path '*/target/surefire-reports/*' -o -path '*/target/failsafe-reports/*' -o -path '*/target/*.log' \
        -o -path "$ROOT/.cxml-services/*.log" \) -print 2>/dev/null
}

# Scans the command output and new reports; prints the hits, returns 1 when there are any.
scan() {  # output_file marker trap_log
    local hits=0 output="$1" marker="$2" trap_log="$3" f
    if [[ -s "$trap_log" ]]; then
        log "caught by the listeners in the namespace:"
        sed 's/^/[tripwire]   /' "$trap_log" >&2
        hits=1
    fi
    if grep -Eai "$SCAN_PATTERN" "$output" >/dev/null; then
        log "outbound attempt(s) in the command output:"
        grep -Eai "$SCAN_PATTERN" "$output" | head -n 20 | cut -c1-300 | sed 's/^/[tripwire]   /' >&2
        hits=1
    fi
    while IFS= read -r f; do
        if grep -Eai "$SCAN_PATTERN" "$f" >/dev/null; then
            log "outbound attempt(s) in ${f#"$ROOT"/}:"
            grep -Eai "$SCAN_PATTERN" "$f" | head -n 5 | cut -c1-300 | sed 's/^/[tripwire]   /' >&2
            hits=1
        fi
    done < <(new_reports "$marker")
    return $((hits == 0 ? 0 : 1))
}

# Runs inside the new namespaces: isolates, starts the listeners, runs the command, scans.
inside() {  # isolated(0|1) CMD...
    local isolated="$1"; shift
    local work trap_pid rc=0
    work="$(mktemp -d "${TMPDIR:-/tmp}/cxml-tripwire.XXXXXX")"
    : >"$work/trap.log"
    touch "$work/marker"
    if ((isolated)); then
        ip link set lo up
        ip addr add 169.254.169.254/32 dev lo
        ip addr add 169.254.170.2/32 dev lo
        { cat /etc/hosts; echo "127.0.0.1 $(hostname)"; echo "169.254.169.254 metadata.google.internal metadata"; } \
            >"$work/hosts"
        echo "nameserver 127.0.0.1" >"$work/resolv.conf"
        mount --bind "$work/hosts" /etc/hosts
        mount --bind "$work/resolv.conf" /etc/resolv.conf
        python3 "$HERE/tripwire_trap.py" "$work/trap.log" "$work/ready" 2>"$work/trap.err" &
        trap_pid=$!
        for _ in $(seq 1 50); do [[ -f "$work/ready" ]] && break; sleep 0.1; done
        if [[ ! -f "$work/ready" ]]; then
            log "the listeners did not start:"; cat "$work/trap.err" >&2
            kill "$trap_pid" 2>/dev/null || true
            return 1
        fi
        log "network namespace: only loopback; metadata and DNS listeners up; running: $*"
    fi
    export CXML_TRIPWIRE=1 SPARK_LOCAL_IP=127.0.0.1
    set +e
    "$@" 2>&1 | tee "$work/output.log"
    rc=${PIPESTATUS[0]}
    set -e
    if ((isolated)); then
        kill "$trap_pid" 2>/dev/null || true
        wait "$trap_pid" 2>/dev/null || true
    fi
    if ! scan "$work/output.log" "$work/marker" "$work/trap.log"; then
        log "TRIPPED: something in '$*' tried to reach beyond loopback (see above; evidence in $work); command exit code was $rc"
        return "$EXIT_TRIPPED"
    fi
    log "clean: no outbound attempt (command exit code $rc)"
    rm -rf "$work"
    return "$rc"
}

cmd_run() {
    (($#)) || { echo "usage: $0 run CMD [ARGS...]" >&2; exit 2; }
    local why
    if why="$(unshare --net --mount true 2>&1)"; then
        exec unshare --net --mount -- "$0" __inside 1 "$@"
    fi
    if [[ "${CI:-}" == true ]]; then
        # Under CI a degraded tripwire would let a test that phones home pass: refuse instead.
        loud "TRIPWIRE CANNOT ISOLATE the network here (unshare: ${why:-not permitted}) and CI=true: failing." \
            "Run CI as root or where unprivileged user namespaces are allowed; locally, unset CI to run degraded."
        exit "$EXIT_TRIPPED"
    fi
    loud "TRIPWIRE DEGRADED: cannot create a network namespace here (unshare: ${why:-not permitted})." \
        "Running '$*' with the network as it is; only the log scan can catch outbound attempts." \
        "Run as root (or enable unprivileged user namespaces) for the real tripwire."
    inside 0 "$@"
}

cmd_selftest() {
    local out rc
    # The tripped runs below keep their work folders for inspection: keep them in one folder removed at the end.
    TMPDIR="$(mktemp -d "${TMPDIR:-/tmp}/cxml-tripwire-selftest.XXXXXX")"
    export TMPDIR
    trap 'rm -rf "$TMPDIR"' RETURN
    # 1. A child process that probes the AWS metadata service must trip the wire.
    out="$(mktemp)"
    set +e
    "$0" run python3 -c 'import socket
s = socket.socket(); s.settimeout(2)
try:
    s.connect(("169.254.169.254", 80)); s.sendall(b"PUT /latest/api/token HTTP/1.1\r\nHost: x\r\n\r\n")
except OSError as e:
    print("probe failed:", e)' >"$out" 2>&1
    rc=$?
    set -e
    if [[ $rc -ne $EXIT_TRIPPED ]] || ! grep -q 'tcp 169.254.169.254:80' "$out"; then
        cat "$out" >&2
        log "SELFTEST FAILED: a metadata probe did not trip the wire (exit $rc)"
        rm -f "$out"
        return 1
    fi
    # 2. A lookup of an outside host name must trip it too (recorded by the DNS listener or the log scan).
    set +e
    "$0" run python3 -c 'import socket
try:
    socket.getaddrinfo("djl-telemetry-us-east-1.s3.us-east-1.amazonaws.com", 443)
except OSError as e:
    print("lookup failed:", e)' >"$out" 2>&1
    rc=$?
    set -e
    if [[ $rc -ne $EXIT_TRIPPED ]]; then
        cat "$out" >&2
        log "SELFTEST FAILED: a DNS lookup of an outside host did not trip the wire (exit $rc)"
        rm -f "$out"
        return 1
    fi
    # 3. Loopback traffic is allowed and a clean command passes with its own exit code.
    set +e
    "$0" run python3 -c 'import socket
srv = socket.socket(); srv.bind(("127.0.0.1", 0)); srv.listen(1)
c = socket.create_connection(srv.getsockname(), timeout=2); c.close(); print("loopback ok")' >"$out" 2>&1
    rc=$?
    set -e
    if [[ $rc -ne 0 ]] || ! grep -q 'loopback ok' "$out"; then
        cat "$out" >&2
        log "SELFTEST FAILED: a loopback-only command did not pass (exit $rc)"
        rm -f "$out"
        return 1
    fi
    rm -f "$out"
    log "selftest passed: a metadata probe and an outside DNS lookup trip the wire; loopback traffic passes"
}

case "${1:-}" in
    run) shift; cmd_run "$@" ;;
    selftest) cmd_selftest ;;
    __inside) shift; inside "$@" ;;
    *) echo "usage: $0 run CMD [ARGS...] | selftest" >&2; exit 2 ;;
esac
