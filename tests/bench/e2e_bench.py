#!/usr/bin/env python3
"""End-to-end benchmark of ordergate against the machine's floor (nginx `return 200`).

Starts, for every run, fresh processes on loopback ports of their own:
  - redis-server (AOF off, RDB snapshots off: the throughput configuration — noted in the output),
    which the gateway reaches over 127.0.0.1 (--redis-transport unix: over its unix socket),
  - the OMS sink: nginx (1 worker) answering `return 200` to every POST,
  - ordergate serve with a Shopify channel, forwarder on, OMS = the sink,
and, as the floor, nginx (2 workers) answering `return 200` to the same POSTs. Drives them with
wrk and shopify_requests.lua: pre-generated, DISTINCT, correctly signed Shopify order webhooks
(gen_shopify_requests.py). Every process it started is stopped on exit; every wait is bounded.

Scenarios (each run starts from an empty Redis and a fresh gateway):
  floor      nginx, 2 workers, same requests, same client work          (max rate)
  distinct   gateway, every request a new order                          (max rate)
  duplicate  gateway, requests it already accepted (the cheap path)      (max rate)
  half       gateway, distinct, paced at half the distinct max rate      (p99 ack latency)
  keepup     gateway, distinct, paced at 80 % of the distinct max rate for 60 s, sampling
             ordergate_outbox_lag_seconds / ordergate_outbox_depth every second
  profile    (not by default) one distinct run under `perf record`, summarised by
             perf_attribute.py into OUT/gateway-distinct.profile.txt

Prints a summary and writes every figure to OUT/e2e.json.
"""
import argparse
import atexit
import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "e2e"))
import harness  # noqa: E402  (RedisServer, Gateway, free_port, wait_until)

SHOPIFY_SECRET = "bench-shopify-secret"
CLK_TCK = os.sysconf("SC_CLK_TCK")
STARTED = []  # every Popen-like object with a stop(); stopped at exit in reverse order


def log(msg):
    print(msg, file=sys.stderr, flush=True)


def cleanup():
    while STARTED:
        obj = STARTED.pop()
        try:
            obj.close()
        except Exception as e:  # keep cleaning up the rest
            log(f"cleanup: {e}")


atexit.register(cleanup)
for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
    signal.signal(sig, lambda *_: sys.exit(130))


# ---------------------------------------------------------------- process accounting


def children(pid):
    out = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            if int(fields[1]) == pid:
                out.append(int(entry))
        except (OSError, IndexError, ValueError):
            pass
    return out


def cpu_seconds(pids):
    """utime + stime of the processes (all their threads), in seconds."""
    total = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14, 15)
        except (OSError, IndexError, ValueError):
            pass
    return total / CLK_TCK


def vm_hwm_mib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024.0
    return 0.0


# ---------------------------------------------------------------- processes


class Nginx:
    """nginx answering 200 to everything; its own prefix, config and port."""

    def __init__(self, workers, body='{"status":"accepted","events":[]}'):
        self.dir = tempfile.mkdtemp(prefix="og-nginx-")
        os.chmod(self.dir, 0o755)
        self.port = harness.free_port()
        conf = os.path.join(self.dir, "nginx.conf")
        escaped = body.replace('"', '\\"')
        with open(conf, "w") as f:
            f.write(f"""
worker_processes {workers};
daemon off;
master_process on;
pid {self.dir}/nginx.pid;
error_log {self.dir}/error.log warn;
events {{ worker_connections 4096; }}
http {{
  access_log off;
  client_body_temp_path {self.dir}/body;
  proxy_temp_path {self.dir}/proxy;
  fastcgi_temp_path {self.dir}/fastcgi;
  uwsgi_temp_path {self.dir}/uwsgi;
  scgi_temp_path {self.dir}/scgi;
  keepalive_requests 100000000;
  keepalive_timeout 120s;
  client_max_body_size 4m;
  server {{
    listen 127.0.0.1:{self.port} reuseport;
    location / {{
      default_type application/json;
      return 200 "{escaped}";
    }}
  }}
}}
""")
        self.proc = subprocess.Popen(["nginx", "-p", self.dir, "-c", conf],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        STARTED.append(self)
        harness.wait_until(self._up, timeout=10, what="nginx to answer")
        # The workers are forked after the port is open; wait for all of them.
        harness.wait_until(lambda: len(children(self.proc.pid)) >= workers, timeout=10,
                           what="nginx workers")

    def _up(self):
        if self.proc.poll() is not None:
            raise RuntimeError("nginx exited: " + open(os.path.join(self.dir, "error.log")).read())
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/", timeout=1) as r:
                return r.status == 200
        except Exception:
            return False

    def pids(self):
        return [self.proc.pid] + children(self.proc.pid)

    def url(self, path):
        return f"http://127.0.0.1:{self.port}{path}"

    def close(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGQUIT)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                for pid in children(self.proc.pid):
                    try:
                        os.kill(pid, signal.SIGKILL)
                    except OSError:
                        pass
                self.proc.kill()
                self.proc.wait()
        shutil.rmtree(self.dir, ignore_errors=True)


class Stack:
    """redis-server + nginx OMS sink + ordergate, fresh for one run."""

    def __init__(self, binary, extra="", redis_transport="tcp", io_threads=2):
        self.redis = harness.RedisServer(aof=False)
        STARTED.append(self.redis)
        self.sink = Nginx(workers=1, body='{"ok":true}')
        harness.BINARY = binary
        redis_url = self.redis.socket_url if redis_transport == "unix" else self.redis.url
        config = harness.base_config(redis_url, oms=self.sink, extra=extra,
                                     io_threads=io_threads) + f"""
channels:
  shopify:
    adapter: shopify
    secret: {SHOPIFY_SECRET}
"""
        # log level info: nothing on the request path logs below warn (checked), and the
        # harness finds the port from the 'listening' line.
        self.gateway = harness.Gateway(config, start=False)
        STARTED.append(self.gateway)
        self.gateway.start()
        harness.wait_until(lambda: self.gateway.request("GET", "/readyz")[0] == 200, timeout=15,
                           what="gateway /readyz")
        self.port = self.gateway.port

    def url(self, path):
        return f"http://127.0.0.1:{self.port}{path}"

    def metrics(self):
        with urllib.request.urlopen(self.url("/metrics"), timeout=5) as r:
            return parse_metrics(r.read().decode())

    def redis_pid(self):
        return self.redis.proc.pid

    def close(self):
        for obj in (self.gateway, self.sink, self.redis):
            if obj in STARTED:
                STARTED.remove(obj)
            obj.close()


# ---------------------------------------------------------------- metrics


METRIC_LINE = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})?\s+(\S+)')


def parse_metrics(text):
    """{(name, frozenset(labels)): value}"""
    out = {}
    for line in text.splitlines():
        if line.startswith("#"):
            continue
        m = METRIC_LINE.match(line)
        if not m:
            continue
        labels = frozenset(re.findall(r'(\w+)="([^"]*)"', m.group(2) or ""))
        out[(m.group(1), labels)] = float(m.group(3))
    return out


def metric_sum(metrics, name, **want):
    total = 0.0
    for (n, labels), v in metrics.items():
        if n == name and all((k, str(val)) in labels for k, val in want.items()):
            total += v
    return total


def histogram(metrics, name):
    """Cumulative buckets [(le, count)] summed over label sets, sorted by le."""
    buckets = {}
    for (n, labels), v in metrics.items():
        if n == name + "_bucket":
            le = dict(labels)["le"]
            le = float("inf") if le == "+Inf" else float(le)
            buckets[le] = buckets.get(le, 0.0) + v
    return sorted(buckets.items())


def histogram_delta(after, before):
    b = dict(before)
    return [(le, c - b.get(le, 0.0)) for le, c in after]


def quantile(buckets, q):
    """Prometheus-style linear interpolation inside the bucket holding the quantile."""
    if not buckets or buckets[-1][1] <= 0:
        return None
    rank = q * buckets[-1][1]
    prev_le, prev_c = 0.0, 0.0
    for le, c in buckets:
        if c >= rank:
            if le == float("inf"):
                return prev_le
            if c == prev_c:
                return le
            return prev_le + (le - prev_le) * (rank - prev_c) / (c - prev_c)
        prev_le, prev_c = le, c
    return prev_le


# ---------------------------------------------------------------- wrk


def run_wrk(url, requests_file, mode, threads, connections, duration, limit=0, rate=0):
    cmd = ["wrk", "-t", str(threads), "-c", str(connections), "-d", f"{duration}s", "--latency",
           "--timeout", "10s", "-s", os.path.join(HERE, "shopify_requests.lua"), url, "--",
           requests_file, mode, str(threads), str(limit), str(rate)]
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=duration + 120)
    text = out.stdout + out.stderr
    m = re.search(r"OG_SUMMARY (.*)", text)
    if out.returncode != 0 or not m:
        raise RuntimeError("wrk failed:\n" + text)
    fields = dict(kv.split("=") for kv in m.group(1).split())
    r = {k: float(v) for k, v in fields.items()}
    r["rps"] = r["requests"] / (r["duration_us"] / 1e6)
    r["exhausted"] = "exhausted" in text
    r["errors"] = (r["errors_status"] + r["errors_connect"] + r["errors_read"] + r["errors_write"]
                   + r["errors_timeout"])
    r["raw"] = text
    return r


def latency_ms(w):
    return {k: w[k] / 1000.0 for k in ("p50", "p90", "p99", "p999", "max", "mean")}


# ---------------------------------------------------------------- scenarios


def floor_run(args, requests_file, rate=0):
    nginx = Nginx(workers=2)
    try:
        pids = nginx.pids()
        c0 = cpu_seconds(pids)
        w = run_wrk(nginx.url("/v1/channels/shopify/webhooks"), requests_file, "cycle",
                    args.threads, args.paced_connections if rate else args.connections,
                    args.duration, limit=20_000, rate=rate)
        cpu = cpu_seconds(pids) - c0
        return {"rps": w["rps"], "requests": w["requests"], "errors": w["errors"],
                "latency_ms": latency_ms(w), "cpu_us_per_request": cpu * 1e6 / w["requests"]}
    finally:
        STARTED.remove(nginx)
        nginx.close()


def wait_drained(stack, accepted, timeout):
    """Waits until every accepted event was delivered (bounded); returns seconds waited."""
    t0 = time.monotonic()
    while time.monotonic() - t0 < timeout:
        m = stack.metrics()
        if metric_sum(m, "ordergate_forward_attempts_total", outcome="delivered") >= accepted:
            return time.monotonic() - t0
        time.sleep(0.1)
    return None


def gateway_run(args, requests_file, mode="distinct", rate=0, duration=None, limit=0,
                sample=False, profile=None):
    duration = duration or args.duration
    stack = Stack(args.binary, args.gateway_config, args.redis_transport, args.io_threads)
    try:
        url = stack.url("/v1/channels/shopify/webhooks")
        if mode == "duplicate":
            # Send requests 0 … limit-1 once (accepted), let them be forwarded, then replay them.
            prime = run_wrk(url, requests_file, "distinct", args.threads, args.threads, 5,
                            limit=limit)
            wait_drained(stack, prime["requests"] - args.threads, 30)
        gw, redis_pid, sink_pids = stack.gateway.proc.pid, stack.redis_pid(), stack.sink.pids()
        m0 = stack.metrics()
        c0, r0, s0 = cpu_seconds([gw]), cpu_seconds([redis_pid]), cpu_seconds(sink_pids)
        samples = []
        if sample:
            proc = subprocess.Popen(
                ["wrk", "-t", str(args.threads), "-c", str(args.paced_connections), "-d",
                 f"{duration}s", "--latency", "--timeout", "10s", "-s",
                 os.path.join(HERE, "shopify_requests.lua"), url, "--", requests_file, mode,
                 str(args.threads), str(limit), str(rate)],
                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
            t0 = time.monotonic()
            while proc.poll() is None and time.monotonic() - t0 < duration + 60:
                time.sleep(1.0 - (time.monotonic() - t0) % 1.0)
                m = stack.metrics()
                samples.append({
                    "t": round(time.monotonic() - t0, 2),
                    "lag_s": metric_sum(m, "ordergate_outbox_lag_seconds"),
                    "depth": metric_sum(m, "ordergate_outbox_depth"),
                    "accepted": metric_sum(m, "ordergate_events_total", decision="accepted"),
                    "delivered": metric_sum(m, "ordergate_forward_attempts_total",
                                            outcome="delivered"),
                })
            text = proc.communicate(timeout=120)[0]
            mm = re.search(r"OG_SUMMARY (.*)", text)
            if not mm:
                raise RuntimeError("wrk failed:\n" + text)
            w = {k: float(v) for k, v in (kv.split("=") for kv in mm.group(1).split())}
            w["rps"] = w["requests"] / (w["duration_us"] / 1e6)
            w["exhausted"] = "exhausted" in text
            w["errors"] = (w["errors_status"] + w["errors_connect"] + w["errors_read"]
                           + w["errors_write"] + w["errors_timeout"])
        else:
            perf = None
            if profile:
                # Software clock (this VM has no hardware counters), DWARF unwinding (no frame
                # pointers); a few seconds in the middle of the run.
                perf = subprocess.Popen(
                    ["perf", "record", "-e", "cpu-clock", "-F", "400", "--call-graph", "dwarf,8192",
                     "-p", str(gw), "-o", profile, "--", "sleep", str(max(2, duration - 4))],
                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            w = run_wrk(url, requests_file, mode, args.threads,
                        args.paced_connections if rate else args.connections, duration,
                        limit=limit, rate=rate)
            if perf:
                perf.wait(timeout=60)
        cpu_run = cpu_seconds([gw]) - c0
        redis_run = cpu_seconds([redis_pid]) - r0
        sink_run = cpu_seconds(sink_pids) - s0
        m1 = stack.metrics()
        accepted = metric_sum(m1, "ordergate_events_total", decision="accepted")
        accepted_run = accepted - metric_sum(m0, "ordergate_events_total", decision="accepted")
        drain = wait_drained(stack, accepted, args.drain_timeout)
        cpu_all = cpu_seconds([gw]) - c0
        m2 = stack.metrics()
        fwd = histogram_delta(histogram(m2, "ordergate_forward_latency_seconds"),
                              histogram(m0, "ordergate_forward_latency_seconds"))
        ack = histogram_delta(histogram(m1, "ordergate_ack_latency_seconds"),
                              histogram(m0, "ordergate_ack_latency_seconds"))
        n = w["requests"]
        result = {
            "mode": mode, "rate_target": rate, "rps": w["rps"], "requests": n,
            "errors": w["errors"], "exhausted": w["exhausted"],
            "latency_ms": latency_ms(w),
            "accepted": accepted_run,
            "duplicates": metric_sum(m1, "ordergate_channel_messages_total", outcome="duplicate")
            - metric_sum(m0, "ordergate_channel_messages_total", outcome="duplicate"),
            "gateway_cpu_us_per_request": cpu_run * 1e6 / n,
            "gateway_cpu_us_per_request_incl_drain": cpu_all * 1e6 / n if drain is not None else None,
            "redis_cpu_us_per_request": redis_run * 1e6 / n,
            "sink_cpu_us_per_request": sink_run * 1e6 / n,
            "drain_seconds": drain,
            "peak_rss_mib": vm_hwm_mib(gw),
            "forward_latency_ms": {
                "p50": (quantile(fwd, 0.5) or 0) * 1000, "p99": (quantile(fwd, 0.99) or 0) * 1000,
                "count": fwd[-1][1] if fwd else 0},
            "server_ack_latency_ms": {
                "p50": (quantile(ack, 0.5) or 0) * 1000, "p99": (quantile(ack, 0.99) or 0) * 1000,
                "p999": (quantile(ack, 0.999) or 0) * 1000},
        }
        result["redis_commands_per_request"] = redis_commandstats(stack, n)
        if sample:
            result["samples"] = samples
        return result
    finally:
        if stack in STARTED:
            STARTED.remove(stack)
        stack.close()


def redis_commandstats(stack, requests):
    """Redis commands per request over the whole run (incl. drain): calls and µs of Redis CPU."""
    out = {}
    for line in stack.redis.cli("INFO", "commandstats").splitlines():
        m = re.match(r"cmdstat_([^:]+):calls=(\d+),usec=(\d+)", line)
        if m and int(m.group(2)) > 0:
            out[m.group(1)] = {"calls_per_request": int(m.group(2)) / requests,
                               "usec_per_request": int(m.group(3)) / requests}
    return dict(sorted(out.items(), key=lambda kv: -kv[1]["usec_per_request"]))


def mmm(values):
    values = [v for v in values if v is not None]
    if not values:
        return None
    return {"min": min(values), "median": statistics.median(values), "max": max(values)}


def ensure_requests(args, count):
    path = os.path.join(args.work, f"shopify-requests-{count}.txt")
    if not os.path.exists(path):
        log(f"generating {count} signed Shopify requests → {path}")
        subprocess.run([sys.executable, os.path.join(HERE, "gen_shopify_requests.py"), "--count",
                        str(count), "--secret", SHOPIFY_SECRET, "--out", path], check=True)
    return path


def keepup_verdict(samples, rate):
    """Bounded if the backlog does not trend upwards over the second half of the run and the
    lag stays small: slope of depth over the second half < 1 % of the ingest rate, max lag
    in the second half ≤ 2 s."""
    if len(samples) < 10:
        return {"bounded": None}
    half = samples[len(samples) // 2:]
    xs = [s["t"] for s in half]
    ys = [s["depth"] for s in half]
    mx, my = statistics.fmean(xs), statistics.fmean(ys)
    sxx = sum((x - mx) ** 2 for x in xs) or 1.0
    slope = sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sxx
    max_lag = max(s["lag_s"] for s in half)
    return {
        "depth_slope_per_s": slope,
        "max_lag_s_second_half": max_lag,
        "max_lag_s": max(s["lag_s"] for s in samples),
        "max_depth": max(s["depth"] for s in samples),
        "median_depth": statistics.median(s["depth"] for s in samples),
        "bounded": slope < 0.01 * rate and max_lag <= 2.0,
    }


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--binary", default=os.environ.get("ORDERGATE_BINARY", "build/gateway/ordergate"))
    ap.add_argument("--out", default="build/bench-results")
    ap.add_argument("--work", default="build/bench-data")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--duration", type=int, default=10, help="seconds per max-rate run")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--connections", type=int, default=64)
    ap.add_argument("--paced-connections", type=int, default=32)
    ap.add_argument("--keepup-seconds", type=int, default=60)
    ap.add_argument("--keepup-runs", type=int, default=3)
    ap.add_argument("--keepup-fraction", type=float, default=0.8,
                    help="keep-up rate as a fraction of the distinct max rate")
    ap.add_argument("--max-rate", type=float, default=0,
                    help="use this distinct max rate instead of measuring it (half, keepup)")
    ap.add_argument("--drain-timeout", type=int, default=120)
    ap.add_argument("--duplicate-set", type=int, default=2000)
    ap.add_argument("--scenarios", default="floor,distinct,duplicate,half,keepup")
    ap.add_argument("--redis-transport", choices=("tcp", "unix"), default="tcp",
                    help="how the gateway reaches the redis-server beside it: 127.0.0.1 "
                         "(default) or its unix socket (redis.url unix://…)")
    ap.add_argument("--io-threads", type=int, default=2, help="the gateway's server.io_threads")
    ap.add_argument("--gateway-config", default="",
                    help="YAML appended to the gateway's config (A/B of settings), e.g. "
                         "$'forwarder:\\n  threads: 1'")
    args = ap.parse_args()
    scenarios = set(args.scenarios.split(","))
    os.makedirs(args.out, exist_ok=True)
    os.makedirs(args.work, exist_ok=True)
    for tool in ("wrk", "nginx", "redis-server", "redis-cli"):
        if shutil.which(tool) is None:
            sys.exit(f"{tool} not found: run deploy/install-bench-deps.sh")

    results = {"config": {
        "runs": args.runs, "duration_s": args.duration, "wrk_threads": args.threads,
        "connections": args.connections, "paced_connections": args.paced_connections,
        "redis": "redis-server, appendonly no, save '' (no persistence: throughput configuration)",
        "oms_sink": "nginx 1 worker, return 200", "floor": "nginx 2 workers, return 200",
        "gateway": f"io_threads {args.io_threads}, forwarder on, log level info, outbox_shards 8",
        "gateway_config_extra": args.gateway_config,
        "redis_transport": args.redis_transport}}
    max_requests = ensure_requests(args, 600_000)

    floors, distinct, duplicate = [], [], []
    for run in range(args.runs):
        if "floor" in scenarios:
            log(f"run {run + 1}/{args.runs}: floor (nginx, 2 workers)")
            floors.append(floor_run(args, max_requests))
            log(f"  {floors[-1]['rps']:.0f} req/s")
        if "distinct" in scenarios:
            log(f"run {run + 1}/{args.runs}: gateway, distinct webhooks")
            distinct.append(gateway_run(args, max_requests))
            log(f"  {distinct[-1]['rps']:.0f} req/s, {distinct[-1]['gateway_cpu_us_per_request']:.1f} µs CPU/req")
            if floors:
                distinct[-1]["ratio_to_floor"] = distinct[-1]["rps"] / floors[-1]["rps"]
        if "duplicate" in scenarios:
            log(f"run {run + 1}/{args.runs}: gateway, duplicate webhooks")
            duplicate.append(gateway_run(args, max_requests, mode="duplicate",
                                         limit=args.duplicate_set))
            log(f"  {duplicate[-1]['rps']:.0f} req/s")
            if floors:
                duplicate[-1]["ratio_to_floor"] = duplicate[-1]["rps"] / floors[-1]["rps"]
    results.update({"floor": floors, "distinct": distinct, "duplicate": duplicate})

    max_rate = args.max_rate or (statistics.median(r["rps"] for r in distinct) if distinct else 10_000)
    results["config"]["max_rate_for_paced_runs"] = max_rate
    half = []
    if "half" in scenarios:
        rate = int(max_rate * 0.5)
        path = ensure_requests(args, max(600_000, int(rate * args.duration * 1.3)))
        for run in range(args.runs):
            log(f"run {run + 1}/{args.runs}: gateway paced at {rate} req/s (half of max)")
            half.append(gateway_run(args, path, rate=rate))
            log(f"  {half[-1]['rps']:.0f} req/s, p99 {half[-1]['latency_ms']['p99']:.2f} ms")
            # The floor at the same paced rate, same connections: on a shared machine the p99
            # is mostly scheduling delay, which this shows.
            floor = floor_run(args, max_requests, rate=rate)
            half[-1]["floor_same_rate"] = floor
            log(f"  floor at the same rate: p99 {floor['latency_ms']['p99']:.2f} ms")
    results["half"] = half

    keepup = []
    if "keepup" in scenarios:
        rate = int(max_rate * args.keepup_fraction)
        path = ensure_requests(args, max(600_000, int(rate * args.keepup_seconds * 1.2)))
        for run in range(args.keepup_runs):
            log(f"keep-up run {run + 1}/{args.keepup_runs}: {rate} req/s for {args.keepup_seconds} s")
            r = gateway_run(args, path, rate=rate, duration=args.keepup_seconds, sample=True)
            r["verdict"] = keepup_verdict(r["samples"], rate)
            keepup.append(r)
            log(f"  {r['rps']:.0f} req/s, verdict {r['verdict']}")
    results["keepup"] = keepup

    if "profile" in scenarios and shutil.which("perf"):
        data = os.path.join(args.out, "gateway-distinct.perf.data")
        log("profile: one distinct run under perf record (cpu-clock, DWARF call graphs)")
        gateway_run(args, max_requests, profile=data)
        stacks = os.path.join(args.out, "gateway-distinct.stacks.txt")
        with open(stacks, "w") as f:
            subprocess.run(["perf", "script", "-i", data, "-F", "tid,ip,sym,dso"], stdout=f,
                           stderr=subprocess.DEVNULL, timeout=600)
        with open(os.path.join(args.out, "gateway-distinct.profile.txt"), "w") as f:
            subprocess.run([sys.executable, os.path.join(HERE, "perf_attribute.py"), stacks],
                           stdout=f, timeout=600)
        log(f"profile written to {args.out}/gateway-distinct.profile.txt")

    summary = summarise(results)
    results["summary"] = summary
    with open(os.path.join(args.out, "e2e.json"), "w") as f:
        json.dump(results, f, indent=1, default=str)
    print_summary(summary)


def summarise(results):
    s = {}
    f, d, u, h, k = (results[x] for x in ("floor", "distinct", "duplicate", "half", "keepup"))
    if f:
        s["floor_rps"] = mmm([r["rps"] for r in f])
        s["floor_cpu_us"] = mmm([r["cpu_us_per_request"] for r in f])
        s["floor_p99_ms"] = mmm([r["latency_ms"]["p99"] for r in f])
    for name, runs in (("distinct", d), ("duplicate", u), ("half", h), ("keepup", k)):
        if not runs:
            continue
        s[name] = {
            "rps": mmm([r["rps"] for r in runs]),
            "ratio_to_floor": mmm([r.get("ratio_to_floor") for r in runs]),
            "p50_ms": mmm([r["latency_ms"]["p50"] for r in runs]),
            "p99_ms": mmm([r["latency_ms"]["p99"] for r in runs]),
            "p999_ms": mmm([r["latency_ms"]["p999"] for r in runs]),
            "server_ack_p99_ms": mmm([r["server_ack_latency_ms"]["p99"] for r in runs]),
            "gateway_cpu_us": mmm([r["gateway_cpu_us_per_request"] for r in runs]),
            "gateway_cpu_us_incl_drain": mmm([r["gateway_cpu_us_per_request_incl_drain"] for r in runs]),
            "redis_cpu_us": mmm([r["redis_cpu_us_per_request"] for r in runs]),
            "sink_cpu_us": mmm([r["sink_cpu_us_per_request"] for r in runs]),
            "forward_p50_ms": mmm([r["forward_latency_ms"]["p50"] for r in runs]),
            "forward_p99_ms": mmm([r["forward_latency_ms"]["p99"] for r in runs]),
            "peak_rss_mib": mmm([r["peak_rss_mib"] for r in runs]),
            "drain_s": mmm([r["drain_seconds"] for r in runs]),
            "errors": sum(r["errors"] for r in runs),
            "exhausted": any(r["exhausted"] for r in runs),
            "rate_target": runs[0]["rate_target"],
            "redis_commands": runs[len(runs) // 2].get("redis_commands_per_request"),
        }
        if name == "keepup":
            s[name]["verdicts"] = [r["verdict"] for r in runs]
        if name == "half" and runs[0].get("floor_same_rate"):
            s[name]["floor_same_rate_p50_ms"] = mmm([r["floor_same_rate"]["latency_ms"]["p50"] for r in runs])
            s[name]["floor_same_rate_p99_ms"] = mmm([r["floor_same_rate"]["latency_ms"]["p99"] for r in runs])
            s[name]["floor_same_rate_p999_ms"] = mmm([r["floor_same_rate"]["latency_ms"]["p999"] for r in runs])
    return s


def fmt(m, digits=1):
    if m is None:
        return "n/a"
    return f"{m['min']:.{digits}f} / {m['median']:.{digits}f} / {m['max']:.{digits}f}"


def print_summary(s):
    print("\nEnd to end (min / median / max over runs)")
    if "floor_rps" in s:
        print(f"  floor nginx 2 workers      req/s {fmt(s['floor_rps'], 0)}   CPU µs/req {fmt(s['floor_cpu_us'])}"
              f"   p99 ms {fmt(s['floor_p99_ms'], 2)}")
    for name in ("distinct", "duplicate", "half", "keepup"):
        if name not in s:
            continue
        r = s[name]
        print(f"  gateway {name:<10}")
        print(f"    req/s                    {fmt(r['rps'], 0)}" +
              (f"   (target {r['rate_target']})" if r['rate_target'] else ""))
        if r["ratio_to_floor"]:
            print(f"    ratio to floor           {fmt(r['ratio_to_floor'], 3)}")
        print(f"    ack latency ms p50       {fmt(r['p50_ms'], 2)}")
        print(f"    ack latency ms p99       {fmt(r['p99_ms'], 2)}")
        print(f"    ack latency ms p99.9     {fmt(r['p999_ms'], 2)}")
        print(f"    server-side ack p99 ms   {fmt(r['server_ack_p99_ms'], 2)}  (histogram, bucket-interpolated)")
        print(f"    gateway CPU µs/req       {fmt(r['gateway_cpu_us'])}  incl. drain {fmt(r['gateway_cpu_us_incl_drain'])}")
        print(f"    redis CPU µs/req         {fmt(r['redis_cpu_us'])}   sink CPU µs/req {fmt(r['sink_cpu_us'])}")
        print(f"    receive→OMS ms p50/p99   {fmt(r['forward_p50_ms'], 2)}  |  {fmt(r['forward_p99_ms'], 2)}")
        print(f"    peak RSS MiB             {fmt(r['peak_rss_mib'])}")
        print(f"    drain after run s        {fmt(r['drain_s'], 2)}   errors {r['errors']:.0f}"
              + ("   WARNING: request file exhausted" if r["exhausted"] else ""))
        if r.get("floor_same_rate_p99_ms"):
            print(f"    floor at the same rate   p50 {fmt(r['floor_same_rate_p50_ms'], 2)}  p99 {fmt(r['floor_same_rate_p99_ms'], 2)}"
                  f"  p99.9 {fmt(r['floor_same_rate_p999_ms'], 2)} ms")
        if r.get("redis_commands"):
            top = ", ".join(f"{k} {v['calls_per_request']:.2f}×/{v['usec_per_request']:.1f}µs"
                            for k, v in list(r["redis_commands"].items())[:6])
            print(f"    redis per request        {top}")
        if name == "keepup":
            for v in r["verdicts"]:
                print(f"    keep-up: {v}")


if __name__ == "__main__":
    main()
