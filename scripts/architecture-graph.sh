#!/usr/bin/env bash
# Rewrites the module and package graphs in docs/architecture.md from the compiled code (ArchUnit reads the classes;
# jobs' ArchitectureTest fails in CI when the graphs there are stale). Needs ./setup.sh once; runs offline.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! mvn -B -o -q test -pl jobs -am -Dtest=ArchitectureTest -Dsurefire.failIfNoSpecifiedTests=false \
    -Dcxml.architecture.write=true >/tmp/cxml-architecture-graph.log 2>&1; then
  # the first run rewrites the file and fails on the stale text it read; a second run must pass
  mvn -B -o -q test -pl jobs -am -Dtest=ArchitectureTest -Dsurefire.failIfNoSpecifiedTests=false \
      >/tmp/cxml-architecture-graph.log 2>&1 || {
    echo "architecture-graph: ArchitectureTest failed (package cycle or layering?): see /tmp/cxml-architecture-graph.log" >&2
    exit 1
  }
fi
echo "architecture-graph: docs/architecture.md is current"
