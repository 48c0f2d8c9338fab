#!/usr/bin/env bash
# Local test servers for cxml's storage integration tests, all on 127.0.0.1 only:
#   - s3proxy (S3 API, filesystem backend), org.gaul:s3proxy jar-with-dependencies, as a child java process
#   - fakesnow (Snowflake wire protocol over HTTP, DuckDB inside), `fakesnow -s` from PyPI in ./.venv
#   - PostgreSQL 15 (Debian binaries), a throwaway cluster under .cxml-services/pg
#
# Usage (from anywhere; paths are relative to the repository root):
#   .ci/services.sh install   # idempotent: fetch the s3proxy jar, create .venv with fakesnow, apt-get postgresql
#   .ci/services.sh start     # start the three servers on free ports; writes .cxml-services/{env,*.pid,*.log}
#   .ci/services.sh stop      # stop them by PID (always exits 0), keeps the logs
#   .ci/services.sh status    # print what runs
#   set -a; . .cxml-services/env; set +a   # then: mvn test ... (tests read CXML_TEST_* variables)
#
# Credentials of these throwaway servers are generated at start, written only to .cxml-services/env (mode 600,
# gitignored) and never printed.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
STATE="${CXML_SERVICES_DIR:-$ROOT/.cxml-services}"
VENV="$ROOT/.venv"
S3PROXY_VERSION="$(sed -n 's:.*<s3proxy.version>\(.*\)</s3proxy.version>.*:\1:p' "$ROOT/pom.xml")"
M2="${MAVEN_REPO_LOCAL:-$HOME/.m2/repository}"
S3PROXY_JAR="$M2/org/gaul/s3proxy/$S3PROXY_VERSION/s3proxy-$S3PROXY_VERSION-jar-with-dependencies.jar"
# fakesnow 0.12.1 imports snowflake.connector.converter, which snowflake-connector-python 5 removed.
FAKESNOW_PIP=("fakesnow[server]==0.12.1" "snowflake-connector-python>=4,<5")
PG_USER_OS=postgres

log() { echo "[services] $*" >&2; }

put() {  # KEY VALUE: one line of the env file, single-quoted so that it can be sourced ('&' in JDBC URLs)
    printf "%s='%s'\n" "$1" "$2"
}

free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

secret() {
    python3 -c 'import secrets; print(secrets.token_hex(16))'
}

pg_bin() {
    # Debian installs the binaries under /usr/lib/postgresql/<major>/bin; some images link them into /usr/local/bin.
    local d
    for d in /usr/lib/postgresql/*/bin /usr/local/bin /usr/bin; do
        if [[ -x "$d/initdb" && -x "$d/pg_ctl" ]]; then echo "$d"; return 0; fi
    done
    return 1
}

as_pg() {
    # initdb and postgres refuse to run as root: run them as the postgres OS user then.
    if [[ "$(id -u)" == 0 ]]; then
        runuser -u "$PG_USER_OS" -- "$@"
    else
        "$@"
    fi
}

wait_port() {  # port seconds name logfile
    local i
    for ((i = 0; i < $2 * 5; i++)); do
        if python3 -c "import socket,sys; s=socket.socket(); s.settimeout(0.2); sys.exit(s.connect_ex(('127.0.0.1', $1)))"; then
            return 0
        fi
        sleep 0.2
    done
    log "$3 did not open 127.0.0.1:$1 within $2 s; last log lines:"
    tail -n 20 "$4" >&2 || true
    return 1
}

apt_install() {  # packages...
    local sudo=""
    [[ "$(id -u)" == 0 ]] || sudo="sudo"
    $sudo apt-get update -q
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "$@"
}

cmd_install() {
    if [[ ! -f "$S3PROXY_JAR" ]]; then
        log "fetching org.gaul:s3proxy:$S3PROXY_VERSION (jar-with-dependencies) from Maven Central"
        mvn -B -q -f "$ROOT/pom.xml" -N dependency:get \
            -Dartifact="org.gaul:s3proxy:$S3PROXY_VERSION:jar:jar-with-dependencies" -Dtransitive=false
    fi
    if ! "$VENV/bin/python" -c 'import fakesnow.server' 2>/dev/null; then
        log "installing ${FAKESNOW_PIP[*]} into $VENV"
        if [[ ! -x "$VENV/bin/python" ]] && ! python3 -m venv "$VENV"; then
            # Debian ships venv separately (python3-venv).
            apt_install python3-venv
            rm -rf "$VENV"
            python3 -m venv "$VENV"
        fi
        "$VENV/bin/pip" install -q "${FAKESNOW_PIP[@]}"
    fi
    if ! pg_bin >/dev/null; then
        log "installing PostgreSQL from Debian packages"
        apt_install postgresql
    fi
    id "$PG_USER_OS" >/dev/null 2>&1 || { [[ "$(id -u)" != 0 ]] || useradd --system "$PG_USER_OS"; }
    log "installed: $S3PROXY_JAR, $VENV/bin/fakesnow, PostgreSQL in $(pg_bin)"
}

start_s3proxy() {
    local port key secret_key
    port="$(free_port)"
    key="cxml-$(secret | cut -c1-8)"
    secret_key="$(secret)"
    mkdir -p "$STATE/s3"
    umask 077
    cat >"$STATE/s3proxy.conf" <<EOF
s3proxy.endpoint=http://127.0.0.1:$port
s3proxy.authorization=aws-v2-or-v4
s3proxy.identity=$key
s3proxy.credential=$secret_key
jclouds.provider=filesystem-nio2
jclouds.filesystem.basedir=$STATE/s3
jclouds.identity=$key
jclouds.credential=$secret_key
EOF
    umask 022
    nohup java -Xmx512m -jar "$S3PROXY_JAR" --properties "$STATE/s3proxy.conf" >"$STATE/s3proxy.log" 2>&1 &
    echo $! >"$STATE/s3proxy.pid"
    wait_port "$port" 60 s3proxy "$STATE/s3proxy.log"
    {
        put CXML_TEST_S3_ENDPOINT "http://127.0.0.1:$port"
        put CXML_TEST_S3_REGION "us-east-1"
        put CXML_TEST_S3_ACCESS_KEY "$key"
        put CXML_TEST_S3_SECRET_KEY "$secret_key"
        put CXML_TEST_S3PROXY_JAR "$S3PROXY_JAR"
    } >>"$STATE/env"
    log "s3proxy on 127.0.0.1:$port (pid $(cat "$STATE/s3proxy.pid"))"
}

start_fakesnow() {
    local port
    port="$(free_port)"
    nohup "$VENV/bin/fakesnow" -s --host 127.0.0.1 -p "$port" >"$STATE/fakesnow.log" 2>&1 &
    echo $! >"$STATE/fakesnow.pid"
    wait_port "$port" 60 fakesnow "$STATE/fakesnow.log"
    {
        put CXML_TEST_SNOWFLAKE_URL "jdbc:snowflake://127.0.0.1:$port/?account=fakesnow&ssl=off"
        put CXML_TEST_SNOWFLAKE_USER "cxml"
        put CXML_TEST_SNOWFLAKE_PASSWORD "$(secret)"
        put CXML_TEST_FAKESNOW "$VENV/bin/fakesnow"
        # Snowflake drivers that read it skip their cloud metadata probes (snowflake-jdbc 4.0.1 needs the
        # disablePlatformDetection connection property instead, which JdbcEndpoint sets).
        put SNOWFLAKE_DISABLE_PLATFORM_DETECTION "true"
    } >>"$STATE/env"
    log "fakesnow on 127.0.0.1:$port (pid $(cat "$STATE/fakesnow.pid"))"
}

start_postgres() {
    local bin port password data
    bin="$(pg_bin)" || { log "PostgreSQL is not installed: run .ci/services.sh install"; return 1; }
    port="$(free_port)"
    password="$(secret)"
    rm -rf "$STATE/pg" "$(cat "$STATE/pg-dir" 2>/dev/null || true)"
    rm -f "$STATE/pg-dir"
    local pg="$STATE/pg"
    mkdir -p "$STATE"
    if [[ "$(id -u)" == 0 ]] && ! runuser -u "$PG_USER_OS" -- test -x "$STATE"; then
        # A checkout under a private folder (mktemp -d is 0700): the postgres user cannot reach it, so its files
        # live in a folder of their own under /tmp, recorded for stop.
        pg="$(mktemp -d /tmp/cxml-pg.XXXXXX)"
        echo "$pg" >"$STATE/pg-dir"
    fi
    data="$pg/data"
    mkdir -p "$pg/run"
    umask 077
    echo "$password" >"$pg/pwfile"
    umask 022
    if [[ "$(id -u)" == 0 ]]; then chown -R "$PG_USER_OS" "$pg"; fi
    as_pg "$bin/initdb" -D "$data" -U cxml --pwfile="$pg/pwfile" -A scram-sha-256 -E UTF8 --locale=C.UTF-8 \
        >"$STATE/postgres-init.log" 2>&1 || { tail -n 20 "$STATE/postgres-init.log" >&2; return 1; }
    rm -f "$pg/pwfile"
    as_pg "$bin/pg_ctl" -D "$data" -l "$pg/postgres.log" -w -t 60 \
        -o "-c listen_addresses=127.0.0.1 -p $port -k $pg/run -c fsync=off -c max_connections=40" start \
        >"$STATE/postgres-ctl.log" 2>&1 || { tail -n 20 "$pg/postgres.log" >&2; return 1; }
    head -1 "$data/postmaster.pid" >"$STATE/postgres.pid"
    PGPASSWORD="$password" "$bin/createdb" -h 127.0.0.1 -p "$port" -U cxml cxml 2>/dev/null \
        || PGPASSWORD="$password" psql -q -h 127.0.0.1 -p "$port" -U cxml -d postgres -c 'CREATE DATABASE cxml'
    {
        put CXML_TEST_PG_URL "jdbc:postgresql://127.0.0.1:$port/cxml"
        put CXML_TEST_PG_USER "cxml"
        put CXML_TEST_PG_PASSWORD "$password"
    } >>"$STATE/env"
    log "PostgreSQL on 127.0.0.1:$port (pid $(cat "$STATE/postgres.pid"))"
}

cmd_start() {
    cmd_stop >/dev/null 2>&1 || true
    mkdir -p "$STATE"
    umask 077
    : >"$STATE/env"
    umask 022
    [[ -f "$S3PROXY_JAR" ]] || { log "s3proxy jar missing: run .ci/services.sh install"; exit 1; }
    [[ -x "$VENV/bin/fakesnow" ]] || { log "fakesnow missing: run .ci/services.sh install"; exit 1; }
    start_s3proxy
    start_fakesnow
    start_postgres
    log "connection settings in $STATE/env (load with: set -a; . $STATE/env; set +a)"
}

stop_pid() {  # name
    local f="$STATE/$1.pid" pid i
    [[ -f "$f" ]] || return 0
    pid="$(cat "$f")"
    if [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null; then
        kill "$pid" 2>/dev/null || true
        for ((i = 0; i < 50; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
        if kill -0 "$pid" 2>/dev/null; then kill -9 "$pid" 2>/dev/null || true; fi
        log "stopped $1 (pid $pid)"
    fi
    rm -f "$f"
}

cmd_stop() {
    # postgres: a fast shutdown through pg_ctl when possible, then the PID as a fallback.
    local pg
    pg="$(cat "$STATE/pg-dir" 2>/dev/null || echo "$STATE/pg")"
    if [[ -f "$STATE/postgres.pid" && -d "$pg/data" ]] && bin="$(pg_bin)"; then
        as_pg "$bin/pg_ctl" -D "$pg/data" -m fast -w -t 30 stop >/dev/null 2>&1 || true
    fi
    stop_pid postgres
    if [[ -f "$STATE/pg-dir" ]]; then
        rm -rf "$pg" "$STATE/pg-dir"
    fi
    stop_pid fakesnow
    stop_pid s3proxy
    return 0
}

cmd_status() {
    local name
    for name in s3proxy fakesnow postgres; do
        if [[ -f "$STATE/$name.pid" ]] && kill -0 "$(cat "$STATE/$name.pid")" 2>/dev/null; then
            echo "$name: running (pid $(cat "$STATE/$name.pid"))"
        else
            echo "$name: stopped"
        fi
    done
}

case "${1:-}" in
    install) cmd_install ;;
    start) cmd_start ;;
    stop) cmd_stop ;;
    status) cmd_status ;;
    *) echo "usage: $0 install|start|stop|status" >&2; exit 2 ;;
esac
