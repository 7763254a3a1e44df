#!/bin/bash
# Interleaved before/after of the Amazon ingest driver: for each report size, 3 rounds of
# (baseline binary, this build with next(), this build with --reuse/nextInto), each under
# /usr/bin/time (user, sys, peak RSS) with the load average at its start.
#
#   tests/bench/compare_amazon_ingest.sh BASELINE_amazon_file_bench OUT.txt
#
# Build the baseline from another commit first (e.g. copy build/tests/bench/amazon_file_bench
# aside before checking out the change). Reports come from build/bench-data (generated on
# demand, once).
set -euo pipefail
cd "$(dirname "$0")/../.."
baseline=$(realpath "$1")
out=$(realpath -m "$2")
data=build/bench-data
mkdir -p "$data"
for size in 10M 100M 1G; do
  f="$data/amazon-$size.txt"
  [ -f "$f" ] || python3 tests/bench/gen_amazon_report.py "$size" "$f"
  for run in 1 2 3; do
    for variant in before after after-reuse; do
      case $variant in
        before) cmd=("$baseline" "$f") ;;
        after) cmd=(build/tests/bench/amazon_file_bench "$f" --next) ;;
        after-reuse) cmd=(build/tests/bench/amazon_file_bench "$f" --reuse) ;;
      esac
      load=$(cut -d' ' -f1-3 /proc/loadavg)
      timing=$(mktemp)
      line=$(/usr/bin/time -f "time_user=%U time_sys=%S time_maxrss_kb=%M" -o "$timing" "${cmd[@]}" || true)
      echo "$variant $size run $run: $line $(cat "$timing") load=\"$load\"" | tee -a "$out"
      rm -f "$timing"
    done
  done
done
python3 - "$out" <<'PY'
import re, statistics, sys
rows = {}
for line in open(sys.argv[1]):
    m = re.match(r"(\S+) (\S+) run \d+: (.*)", line)
    if m:
        rows.setdefault((m.group(2), m.group(1)), []).append(dict(re.findall(r'(\w+)=("[^"]*"|\S+)', m.group(3))))
for (size, variant), runs in rows.items():
    rps = sorted(float(r["rows_per_s"]) for r in runs if "rows_per_s" in r)
    rss = sorted(int(r["time_maxrss_kb"]) / 1024 for r in runs if "time_maxrss_kb" in r)
    if rps:
        print(f"{size:5} {variant:12} rows/s {rps[0]:>9.0f} / {statistics.median(rps):>9.0f} / {rps[-1]:>9.0f}"
              f"   peak RSS MiB {rss[0]:.1f} / {statistics.median(rss):.1f} / {rss[-1]:.1f}")
PY
