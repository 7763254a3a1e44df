#!/usr/bin/env bash
# Installs what the benchmark suite needs besides the build dependencies (deploy/install-deps.sh):
# wrk (load generator), nginx-light (the floor and the OMS sink), linux-perf (profiling, when the
# distribution has it). Idempotent: when everything is installed it does nothing (no apt-get).
# Benchmarks are not part of CI, so neither is this script.
set -euo pipefail

REQUIRED=(wrk nginx-light redis-server redis-tools python3 curl)
OPTIONAL=(linux-perf valgrind)

installed() {
  dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"
}

missing=()
for p in "${REQUIRED[@]}"; do
  installed "$p" || missing+=("$p")
done
optional_missing=()
for p in "${OPTIONAL[@]}"; do
  installed "$p" || optional_missing+=("$p")
done

if [ "${#missing[@]}" -eq 0 ] && [ "${#optional_missing[@]}" -eq 0 ]; then
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
if [ "${#missing[@]}" -gt 0 ]; then
  echo "install-bench-deps: installing ${missing[*]}" >&2
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
# Optional tools: install what the distribution offers, carry on without the rest.
for p in "${optional_missing[@]}"; do
  if apt-cache show "$p" >/dev/null 2>&1; then
    $SUDO apt-get install -y -qq --no-install-recommends "$p" >/dev/null ||
      echo "install-bench-deps: optional $p not installed" >&2
  else
    echo "install-bench-deps: optional $p not available here" >&2
  fi
done
# The nginx package may start a system instance on :80; the benchmark runs its own instances
# with their own configs and ports, so the system one is left as the package manager set it up.
