#!/usr/bin/env bash
# Installs every build, test and run-time dependency of ordergate from Debian packages.
# Idempotent: when every package is already installed it does nothing (no apt-get at all).
set -euo pipefail

PACKAGES=(
  g++ cmake ninja-build pkg-config git ca-certificates tzdata
  libboost1.81-dev
  libsimdjson-dev libpugixml-dev libcurl4-openssl-dev libhiredis-dev libyaml-cpp-dev
  libssl-dev zlib1g-dev libhowardhinnant-date-dev libcli11-dev libexpected-dev
  libgoogle-perftools-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  redis-server redis-tools curl python3
  clang libclang-rt-14-dev
)

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ "${#missing[@]}" -eq 0 ]; then
  exit 0
fi

echo "install-deps: installing ${missing[*]}" >&2
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
# The Debian redis-server package starts a system instance on :6379; ordergate and its tests
# run their own instances, so the system one is left as the package manager set it up.
