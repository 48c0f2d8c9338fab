# shellcheck shell=bash
# Sourced by every scripts/bench-*.sh (first thing after the shebang and the usage comment):
#   source "$(dirname "${BASH_SOURCE[0]}")/lib/bench-env.sh"
# It turns on `set -Eeuo pipefail`, changes to the repository root, and makes ANY failure end the script with one
# line on stderr naming what failed and the command that fixes it (an ERR trap), never silently. Then, as the script
# needs them:
#   bench_build                  builds the benchmarks module and everything below it in the reactor (offline, tests
#                                skipped, no `mvn install`) and sets BENCH_CP, its runtime classpath (written by the
#                                benchmarks pom's bench-classpath execution). Maven's output goes to
#                                target/bench-build.log and is shown when Maven fails.
#   BENCH_JAVA                   java and the flags every benchmark JVM gets: Spark's module opens (pom.xml's
#                                <spark.jvm.opens>) and DJL offline; the environment of bin/cxml is exported too.
#   bench_need_jar               checks that the jobs jar is built (the scripts that run bin/cxml).
#   bench_need_data PATH...      checks public data under BENCH_DATA (default datasets), e.g. banking77/...
#   bench_need_cmd CMD PACKAGE   checks a command (e.g. /usr/bin/time) is there.
#   bench_int NAME VALUE         checks an argument is a positive integer, else prints the script's usage.
#   bench_step "what" ["fix"]    names what runs now (and how to fix it when it fails) for the failure message.
#   bench_fail "message" ["fix"] ends the script with that message.
# Everything Maven needs offline here is resolved by ./setup.sh while the network is there (its build step runs the
# same reactor build).

set -Eeuo pipefail
BENCH_NAME="$(basename "${BASH_SOURCE[1]:-$0}" .sh)"
BENCH_SCRIPT="scripts/$BENCH_NAME.sh"
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
BENCH_ROOT="$(pwd)"
BENCH_DATA="${BENCH_DATA:-datasets}"
BENCH_STEP="starting"
BENCH_FIX=""
BENCH_BUILD_LOG="$BENCH_ROOT/target/bench-build.log"

bench_step() { # what runs now, [the command that fixes it when it fails]
  BENCH_STEP="$1"
  BENCH_FIX="${2:-see the error above, then rerun $BENCH_SCRIPT}"
  echo "$BENCH_NAME: $BENCH_STEP" >&2
}

bench_fail() { # message, [fix]
  trap - ERR
  echo "$BENCH_NAME: FAILED: $1${2:+ -- fix: $2}" >&2
  exit 2
}

_bench_on_err() {
  local rc=$? cmd="$BASH_COMMAND"
  if [[ "$BASHPID" != "$$" ]]; then exit "$rc"; fi # a subshell ($(...), a pipe): the script itself reports it
  trap - ERR
  echo "$BENCH_NAME: FAILED (exit $rc) while $BENCH_STEP, at: ${cmd:0:200}${BENCH_FIX:+ -- fix: $BENCH_FIX}" >&2
  exit "$rc"
}
trap _bench_on_err ERR

bench_usage() { # the script's "# Usage:" comment line(s)
  awk '/^# Usage:/ {p = 1; print; next} p && /^#   / {print; next} p {exit}' "$BENCH_ROOT/$BENCH_SCRIPT" \
      | sed 's/^# //' >&2 || true
}

bench_int() { # name, value: a positive integer, else the usage
  if [[ ! "$2" =~ ^[0-9]+$ || "$2" -le 0 ]]; then
    bench_usage
    bench_fail "$1 must be a positive integer, got '$2'" "$BENCH_SCRIPT with the arguments in the usage above"
  fi
}

bench_need_cmd() { # command, apt package
  command -v "$1" >/dev/null || bench_fail "needs $1, which is not installed" \
      "./setup.sh (as root) or apt-get install $2"
}

bench_need_data() { # paths under BENCH_DATA that the benchmark reads
  local p
  for p in "$@"; do
    [[ -e "$BENCH_DATA/$p" ]] || bench_fail "public data missing: $(realpath -m "$BENCH_DATA/$p") (BENCH_DATA=$BENCH_DATA)" \
        "put the public data sets (BANKING77, xSID; docs/models.md) under $(realpath -m "$BENCH_DATA") or set BENCH_DATA to the folder that holds them"
  done
}

bench_need_jar() { # the scripts that run bin/cxml
  [[ -f jobs/target/cxml.jar && -f jobs/target/provided-classpath.txt ]] \
      || bench_fail "the jobs jar is not built (jobs/target/cxml.jar)" "./setup.sh"
}

bench_build() { # builds the benchmarks module in the reactor and sets BENCH_CP
  bench_need_cmd mvn maven
  bench_need_cmd java openjdk-17-jdk-headless
  local cmd=(mvn -B -o -q -Dstyle.color=never package -DskipTests -pl benchmarks -am)
  bench_step "building the benchmarks module (${cmd[*]})" "./setup.sh"
  mkdir -p "$(dirname "$BENCH_BUILD_LOG")"
  if ! "${cmd[@]}" >"$BENCH_BUILD_LOG" 2>&1; then
    tail -40 "$BENCH_BUILD_LOG" >&2
    if grep -qiE 'offline|has not been downloaded|Could not resolve|Cannot access' "$BENCH_BUILD_LOG"; then
      bench_fail "the offline Maven build lacks a plugin or dependency (Maven's output above; all of it in $BENCH_BUILD_LOG)" \
          "./setup.sh while online (it resolves them), then rerun $BENCH_SCRIPT"
    fi
    bench_fail "the Maven build failed (Maven's output above; all of it in $BENCH_BUILD_LOG)" \
        "${cmd[*]/-q/} to see every error, fix them, then rerun $BENCH_SCRIPT"
  fi
  local cp_file=benchmarks/target/bench-classpath.txt
  [[ -s "$cp_file" ]] || bench_fail "the build wrote no $cp_file" "${cmd[*]}"
  BENCH_CP="$BENCH_ROOT/benchmarks/target/classes:$(cat "$cp_file")"
  export BENCH_CP
}

bench_need_cmd java openjdk-17-jdk-headless
bench_need_cmd python3 python3
# Spark's module opens, as the tests and bin/cxml have them; DJL offline (no engine or model downloads, no telemetry).
read -r -a _bench_opens <<<"$(sed -n 's:.*<spark.jvm.opens>\(.*\)</spark.jvm.opens>.*:\1:p' pom.xml)"
((${#_bench_opens[@]})) || bench_fail "no <spark.jvm.opens> in pom.xml" "git checkout pom.xml"
BENCH_JAVA=(java "${_bench_opens[@]}" -Dai.djl.offline=true -Dai.djl.pytorch.num_threads=1)
export OPT_OUT_TRACKING=true DJL_OFFLINE=true OMP_NUM_THREADS=1 AWS_EC2_METADATA_DISABLED=true \
    SPARK_LOCAL_IP=127.0.0.1
