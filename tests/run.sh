#!/usr/bin/env bash
# The whole test suite, as a user and CI run it: installs dependencies, builds everything and
# runs every ctest test (unit, integration, e2e, golden, bounded fuzz). Exit status non-zero if
# any test fails.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
BUILD="${ORDERGATE_BUILD_DIR:-$ROOT/build}"
bash "$ROOT/deploy/install-deps.sh"
cmake -S "$ROOT" -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$BUILD" -j2
ctest --test-dir "$BUILD" --output-on-failure -j2 --timeout 600 "$@"
