#!/usr/bin/env bash
# Installs what cxml needs on a fresh Debian/Ubuntu machine and builds the jobs jar. Safe to re-run.
#   ./setup.sh            install + build (mvn package, tests skipped)
#   ./setup.sh --no-build install only
# Needs: JDK 17+, Maven 3.8+, Python 3.10+ (installed with apt-get when missing and running as root).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
build=1
[[ "${1:-}" == "--no-build" ]] && build=0

missing=()
if ! command -v java >/dev/null || ! java -version 2>&1 | grep -qE 'version "(1[7-9]|2[0-9])'; then
  missing+=(openjdk-17-jdk-headless)
fi
command -v mvn >/dev/null || missing+=(maven)
command -v python3 >/dev/null || missing+=(python3 python3-venv)
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

if ((build)); then
  echo "setup: building (mvn package, tests skipped)"
  mvn -B -q -DskipTests package
  echo "setup: done; try: bin/cxml --help"
fi
