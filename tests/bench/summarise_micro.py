#!/usr/bin/env python3
"""Summarises Google Benchmark JSON files (--benchmark_repetitions=N, all repetitions kept):
min / median / max of CPU ns per iteration and of the throughput counters, per benchmark.

    summarise_micro.py OUT.json IN.json...
"""
import json
import statistics
import sys


def main():
    out_path, inputs = sys.argv[1], sys.argv[2:]
    rows = {}
    context = None
    for path in inputs:
        with open(path) as f:
            data = json.load(f)
        context = context or data.get("context")
        for b in data["benchmarks"]:
            if b.get("run_type") != "iteration":
                continue
            r = rows.setdefault(b["run_name"], {"cpu_ns": [], "bytes_per_second": [],
                                                 "items_per_second": [], "file": path})
            scale = {"ns": 1, "us": 1e3, "ms": 1e6, "s": 1e9}[b.get("time_unit", "ns")]
            r["cpu_ns"].append(b["cpu_time"] * scale)
            for k in ("bytes_per_second", "items_per_second"):
                if k in b:
                    r[k].append(b[k])
            for k in ("body_bytes", "mean_body_bytes"):
                if k in b:
                    r[k] = b[k]
    summary = {}
    print(f"{'benchmark':<58} {'CPU ns/op min / median / max':>34} {'MB/s (median)':>14}")
    for name, r in rows.items():
        s = {"cpu_ns": mmm(r["cpu_ns"])}
        if r["bytes_per_second"]:
            s["mb_per_s"] = mmm([v / 1e6 for v in r["bytes_per_second"]])
        if r["items_per_second"]:
            s["items_per_s"] = mmm(r["items_per_second"])
        for k in ("body_bytes", "mean_body_bytes"):
            if k in r:
                s[k] = r[k]
        summary[name] = s
        c = s["cpu_ns"]
        mb = f"{s['mb_per_s']['median']:.0f}" if "mb_per_s" in s else ""
        print(f"{name:<58} {c['min']:>10.0f} / {c['median']:>9.0f} / {c['max']:>9.0f} {mb:>14}")
    with open(out_path, "w") as f:
        json.dump({"context": context, "benchmarks": summary}, f, indent=1)


def mmm(values):
    return {"min": min(values), "median": statistics.median(values), "max": max(values),
            "n": len(values)}


if __name__ == "__main__":
    main()
