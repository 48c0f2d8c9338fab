#!/usr/bin/env bash
# Installs what cxml needs on a fresh Debian/Ubuntu machine, fetches the default base encoder and builds the jobs
# jar. Safe to re-run.
#   ./setup.sh            install + fetch + build (mvn package, tests skipped: the jobs jar, and what
#                         scripts/bench-*.sh need)
#   ./setup.sh --no-build install + fetch only
#   ./setup.sh --with-airflow   also the Airflow 3 environment of the DAG tests (.venv-airflow)
# Needs: JDK 17+, Maven 3.8+, Python 3.10+ (installed with apt-get when missing and running as root).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
build=1
airflow=0
for arg in "$@"; do
  case "$arg" in
    --no-build) build=0 ;;
    --with-airflow) airflow=1 ;;
    *) echo "setup: unknown option $arg (known: --no-build --with-airflow)" >&2; exit 2 ;;
  esac
done

missing=()
if ! command -v java >/dev/null || ! java -version 2>&1 | grep -qE 'version "(1[7-9]|2[0-9])'; then
  missing+=(openjdk-17-jdk-headless)
fi
command -v mvn >/dev/null || missing+=(maven)
command -v python3 >/dev/null || missing+=(python3 python3-venv)
# The bench scripts measure peak memory with /usr/bin/time: installed when we can, else they say so themselves.
[[ -x /usr/bin/time || $(id -u) -ne 0 ]] || missing+=(time)
if ((${#missing[@]})); then
  if [[ $(id -u) -ne 0 ]]; then
    echo "setup: please install: ${missing[*]}" >&2
    exit 1
  fi
  echo "setup: installing ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

if [[ ! -x .venv/bin/python ]]; then
  python3 -m venv .venv
fi
if ! .venv/bin/pip install -q --disable-pip-version-check -r requirements-dev.txt; then
  echo "setup: pip install -r requirements-dev.txt failed" >&2
  exit 1
fi

# The default base encoder (multilingual-e5-small, 4-bit, dequantized: ~470 MB under ${CXML_CACHE:-~/.cache/cxml}),
# also with --no-build: .ci/run's tests use it. Returns at once when the folder is there.
if ! scripts/fetch-multilingual-e5.sh; then
  echo "setup: fetching the default encoder failed (scripts/fetch-multilingual-e5.sh: its errors above)" >&2
  exit 1
fi

if ((airflow)); then
  # Airflow pins a large dependency tree: its own venv, from a lock file so installs are exact and fast.
  [[ -x .venv-airflow/bin/python ]] || python3 -m venv .venv-airflow
  if ! .venv-airflow/bin/pip install -q --disable-pip-version-check -r airflow-dags/requirements.lock; then
    echo "setup: pip install -r airflow-dags/requirements.lock failed" >&2
    exit 1
  fi
fi

if ((build)); then
  # The whole reactor, benchmarks included: this resolves, while the network is there, every plugin and dependency
  # that the bench scripts' offline build (scripts/lib/bench-env.sh: the same `package` on benchmarks and the modules
  # below it, whose pom writes the classpath with maven-dependency-plugin) needs. (`--no-build`: .ci/run's `mvn
  # verify` does the same.)
  echo "setup: building (mvn package, tests skipped)"
  if ! mvn -B -q -DskipTests package; then
    echo "setup: the build failed (mvn -B -q -DskipTests package: Maven's errors above)" >&2
    exit 1
  fi
  echo "setup: done; try: bin/cxml --help, or a benchmark: scripts/bench-scoring.sh 2000"
fi
