#!/usr/bin/env bash
# The benchmark suite, one command (from the repository root):
#
#   tests/bench/run.sh [--quick] [--skip-build] [--only micro,e2e,ingest]
#
# 1. installs the bench tools (deploy/install-bench-deps.sh: wrk, nginx-light, linux-perf),
# 2. builds ordergate and the Google Benchmark executables (RelWithDebInfo, build/),
# 3. micro:  every tests/bench/*_bench executable (Google Benchmark), 3 repetitions,
#            min / median / max of CPU time per operation,
# 4. e2e:    tests/bench/e2e_bench.py: gateway vs the nginx floor, duplicates, half rate,
#            80 % keep-up for 60 s (each run bounded; all processes cleaned up),
# 5. ingest: generated Amazon reports of 10 MB, 100 MB, 1 GB through amazon_file_bench,
#            3 runs each (rows/s, peak RSS).
# Results go to build/bench-results/<UTC time>/ (summary.txt and JSON). This is a benchmark,
# not a test: it prints figures and exits 0 whatever they are; it fails only when something
# could not run. Not part of CI.
set -euo pipefail
cd "$(dirname "$0")/../.."

QUICK=0
BUILD=1
ONLY="micro,e2e,ingest"
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) QUICK=1 ;;
    --skip-build) BUILD=0 ;;
    --only) ONLY="$2"; shift ;;
    *) echo "usage: $0 [--quick] [--skip-build] [--only micro,e2e,ingest]" >&2; exit 2 ;;
  esac
  shift
done
want() { [[ ",$ONLY," == *",$1,"* ]]; }

bash deploy/install-bench-deps.sh

BUILD_DIR=${BUILD_DIR:-build}
if [ "$BUILD" = 1 ]; then
  cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DORDERGATE_BUILD_BENCH=ON >/dev/null
  targets=(ordergate)
  for src in tests/bench/*_bench.cpp; do targets+=("$(basename "$src" .cpp)"); done
  ninja -C "$BUILD_DIR" -j"$(nproc)" "${targets[@]}"
fi

OUT="$BUILD_DIR/bench-results/$(date -u +%Y%m%dT%H%M%SZ)"
DATA="$BUILD_DIR/bench-data"
mkdir -p "$OUT" "$DATA"
SUMMARY="$OUT/summary.txt"
{
  echo "ordergate benchmark suite, $(date -u +%Y-%m-%dT%H:%M:%SZ), commit $(git rev-parse --short HEAD 2>/dev/null || echo '?')"
  echo "machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //'), kernel $(uname -r)"
  echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg) (shared machine: compare ratios from the same run)"
} | tee "$SUMMARY"

REPS=3
if [ "$QUICK" = 1 ]; then REPS=1; fi

if want micro; then
  echo "== micro (Google Benchmark, $REPS repetitions)" | tee -a "$SUMMARY"
  jsons=()
  for exe in "$BUILD_DIR"/tests/bench/*_bench; do
    name=$(basename "$exe")
    case "$name" in amazon_file_bench) continue ;; esac  # a driver, run under ingest
    "$exe" --benchmark_repetitions="$REPS" --benchmark_min_time=0.2 \
      --benchmark_out="$OUT/$name.json" --benchmark_out_format=json >"$OUT/$name.txt" 2>&1
    jsons+=("$OUT/$name.json")
  done
  python3 tests/bench/summarise_micro.py "$OUT/micro.json" "${jsons[@]}" | tee -a "$SUMMARY"
fi

if want e2e; then
  echo "== end to end" | tee -a "$SUMMARY"
  e2e_args=(--binary "$BUILD_DIR/gateway/ordergate" --out "$OUT" --work "$DATA")
  if [ "$QUICK" = 1 ]; then
    e2e_args+=(--runs 1 --duration 5 --keepup-seconds 20 --keepup-runs 1)
  fi
  python3 tests/bench/e2e_bench.py "${e2e_args[@]}" | tee -a "$SUMMARY"
fi

if want ingest; then
  echo "== Amazon report ingest (amazon_file_bench: both passes, normalisation, validation)" | tee -a "$SUMMARY"
  sizes=(10M 100M 1G)
  runs=3
  if [ "$QUICK" = 1 ]; then sizes=(10M 100M); runs=1; fi
  for size in "${sizes[@]}"; do
    report="$DATA/amazon-$size.txt"
    [ -f "$report" ] || python3 tests/bench/gen_amazon_report.py "$size" "$report"
    for run in $(seq 1 "$runs"); do
      line=$("$BUILD_DIR/tests/bench/amazon_file_bench" "$report" || true)
      echo "$size run $run: $line" | tee -a "$OUT/ingest.txt"
    done
  done
  python3 - "$OUT/ingest.txt" <<'PY' | tee -a "$SUMMARY"
import re, statistics, sys
rows = {}
for line in open(sys.argv[1]):
    m = re.match(r"(\S+) run \d+: (.*)", line)
    if not m:
        continue
    kv = dict(re.findall(r'(\w+)=("[^"]*"|\S+)', m.group(2)))
    rows.setdefault(m.group(1), []).append(kv)
print(f"{'size':<6} {'rows':>10} {'rows/s min / median / max':>32} {'peak RSS MiB min / median / max':>34}")
for size, runs in rows.items():
    rps = [float(r["rows_per_s"]) for r in runs if "rows_per_s" in r]
    rss = [float(r["peak_rss_mib"]) for r in runs if "peak_rss_mib" in r]
    if not rps:
        print(f"{size:<6} failed")
        continue
    print(f"{size:<6} {runs[0]['rows']:>10} {min(rps):>10.0f} / {statistics.median(rps):>9.0f} / {max(rps):>9.0f}"
          f" {min(rss):>12.1f} / {statistics.median(rss):>7.1f} / {max(rss):>7.1f}")
PY
fi

echo "results: $OUT" | tee -a "$SUMMARY"
