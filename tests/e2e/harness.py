"""Helpers for end-to-end tests: a real redis-server on a free loopback port, the real
ordergate binary with a generated config, and a fake OMS that can fail on demand.
Loopback only; every wait is bounded."""
import base64
import hashlib
import hmac
import json
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

BINARY = os.environ.get("ORDERGATE_BINARY", "build/gateway/ordergate")
SOURCE_DIR = os.environ.get("ORDERGATE_SOURCE_DIR", os.path.join(os.path.dirname(__file__), "..", ".."))


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until(predicate, timeout=10.0, interval=0.05, what="condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")


class RedisServer:
    """redis-server on 127.0.0.1:<free port>, its own data dir; AOF optional."""

    def __init__(self, aof=False):
        self.dir = tempfile.mkdtemp(prefix="og-redis-")
        self.port = free_port()
        self.aof = aof
        self.proc = None
        self.start()

    def start(self):
        args = ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1",
                "--dir", self.dir, "--save", "", "--daemonize", "no", "--protected-mode", "yes",
                "--unixsocket", self.socket, "--unixsocketperm", "700"]
        if self.aof:
            args += ["--appendonly", "yes", "--appendfsync", "always"]
        else:
            args += ["--appendonly", "no"]
        self.proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_until(self.ping, what="redis-server to answer PING")

    def ping(self):
        try:
            return self.cli("PING") == "PONG"
        except Exception:
            return False

    def cli(self, *args):
        out = subprocess.run(["redis-cli", "-p", str(self.port), *args], capture_output=True,
                             text=True, timeout=10)
        return out.stdout.strip()

    @property
    def url(self):
        return f"redis://127.0.0.1:{self.port}/0"

    @property
    def socket(self):
        """Its unix socket too (a co-located Redis, as deploy/run-local.sh starts one)."""
        return os.path.join(self.dir, "redis.sock")

    @property
    def socket_url(self):
        return f"unix://{self.socket}?db=0"

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc = None

    def kill(self):
        if self.proc and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        self.proc = None

    def close(self):
        self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)


class FakeOms:
    """A local OMS: records every POST; `mode` decides the answer (200, 503, 400, …).
    Thread-safe. Set `fail_status` to an int to fail every request with it."""

    def __init__(self):
        self.lock = threading.Lock()
        self.events = []  # (path, headers dict lowercased, parsed JSON body)
        self.raw_bodies = []  # the exact bytes of each recorded body, same order
        self.fail_status = None
        self.delay = 0.0
        outer = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                if outer.delay:
                    time.sleep(outer.delay)
                status = outer.fail_status
                if status is None:
                    with outer.lock:
                        outer.events.append((self.path, {k.lower(): v for k, v in self.headers.items()},
                                             json.loads(body)))
                        outer.raw_bodies.append(body)
                    status = 200
                payload = b'{"ok":true}' if status < 300 else b'{"error":"failing on demand"}'
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def url(self, path):
        return f"http://127.0.0.1:{self.port}{path}"

    def received(self):
        with self.lock:
            return list(self.events)

    def close(self):
        self.server.shutdown()
        self.server.server_close()


class Gateway:
    """The real ordergate binary serving a generated config on a free port."""

    def __init__(self, config_text, env=None, start=True):
        self.dir = tempfile.mkdtemp(prefix="og-gw-")
        self.config_path = os.path.join(self.dir, "ordergate.yaml")
        with open(self.config_path, "w") as f:
            f.write(config_text)
        self.env = dict(os.environ)
        self.env.update(env or {})
        self.proc = None
        self.log_path = os.path.join(self.dir, "gateway.log")
        if start:
            self.start()

    def start(self):
        self.log = open(self.log_path, "ab")
        self.proc = subprocess.Popen([BINARY, "serve", "--config", self.config_path],
                                     stdout=self.log, stderr=self.log, env=self.env)
        wait_until(lambda: self.healthy() or self.proc.poll() is not None, timeout=15,
                   what="gateway /healthz")
        if self.proc.poll() is not None:
            raise AssertionError("gateway exited at start:\n" + self.logs())

    def logs(self):
        with open(self.log_path, "rb") as f:
            return f.read().decode("utf-8", "replace")

    @property
    def port(self):
        port = None
        for line in self.logs().splitlines():  # the last start wins (restarts append)
            try:
                entry = json.loads(line)
            except ValueError:
                continue
            if entry.get("msg") == "listening":
                port = int(entry["port"])
        if port is None:
            raise AssertionError("no 'listening' log line:\n" + self.logs())
        return port

    def url(self, path):
        return f"http://127.0.0.1:{self.port}{path}"

    def healthy(self):
        try:
            return self.request("GET", "/healthz")[0] == 200
        except Exception:
            return False

    def request(self, method, path, body=None, headers=None, timeout=10):
        req = urllib.request.Request(self.url(path), data=body, method=method,
                                     headers=headers or {})
        try:
            with urllib.request.urlopen(req, timeout=timeout) as r:
                return r.status, r.read(), dict(r.headers)
        except urllib.error.HTTPError as e:
            return e.code, e.read(), dict(e.headers)

    def json(self, method, path, body=None, headers=None):
        status, data, _ = self.request(method, path, body, headers)
        return status, json.loads(data) if data else None

    def terminate(self, timeout=15):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            return self.proc.wait(timeout=timeout)
        return self.proc.returncode if self.proc else None

    def kill(self):
        if self.proc and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()

    def close(self):
        self.kill()
        if getattr(self, "log", None):
            self.log.close()
        shutil.rmtree(self.dir, ignore_errors=True)


def base_config(redis_url, oms=None, port=0, extra="", io_threads=2):
    orders = oms.url("/orders") if oms else "http://127.0.0.1:9/orders"
    tracking = oms.url("/tracking") if oms else "http://127.0.0.1:9/tracking"
    return f"""
server:
  listen: 127.0.0.1:{port}
  io_threads: {io_threads}
redis:
  url: {redis_url}
oms:
  orders_url: {orders}
  tracking_url: {tracking}
admin:
  token: test-admin-token
log:
  level: info
retry:
  initial: 50ms
  cap: 1s
{extra}
"""


def standard_webhooks_headers(secret_b64, msg_id, body, timestamp=None):
    ts = str(int(timestamp if timestamp is not None else time.time()))
    key = base64.b64decode(secret_b64)
    mac = hmac.new(key, f"{msg_id}.{ts}.".encode() + body, hashlib.sha256).digest()
    return {"webhook-id": msg_id, "webhook-timestamp": ts,
            "webhook-signature": "v1," + base64.b64encode(mac).decode(),
            "Content-Type": "application/json"}


STOREFRONT_SECRET_KEY = b"ordergate-e2e-storefront-key-01"
STOREFRONT_SECRET = "whsec_" + base64.b64encode(STOREFRONT_SECRET_KEY).decode()


def storefront_channel(extra_forwarder=""):
    """Config tail: the `storefront` canonical channel and fast retry/takeover settings."""
    return f"""
forwarder:
  lease_ttl: 1500ms
  claim_idle: 3s
  breaker_open: 200ms
  breaker_max_open: 1s
{extra_forwarder}
channels:
  storefront:
    adapter: canonical
    secret: {STOREFRONT_SECRET}
"""


def canonical_order(order_id, version, status="open", channel="storefront", total=1999):
    return {
        "order_key": f"{channel}:{order_id}",
        "channel": {"type": "canonical", "id": channel, "order_id": str(order_id),
                    "order_number": f"#{order_id}"},
        "status": status,
        "payment_status": "paid",
        "placed_at": "2026-03-01T08:00:00Z",
        "updated_at": version,
        "version": version,
        "currency": "USD",
        "taxes_included": False,
        "totals": {"subtotal": total, "total": total},
        "lines": [{"line_id": "1", "sku": "SKU-1", "title": "Thing", "quantity": 1,
                   "unit_price": total, "total": total}],
        "ship_to": {"name": "A Person", "line1": "1 Main St", "city": "Springfield",
                    "postal_code": "12345", "country_code": "US"},
    }


def version_at(minute, second=0):
    return f"2026-03-01T09:{minute:02d}:{second:02d}Z"


class Sender:
    """Signed storefront pushes over keep-alive connections, one per thread."""

    def __init__(self, port, channel="storefront"):
        self.port = port
        self.channel = channel
        self.local = threading.local()

    def _conn(self):
        import http.client
        if getattr(self.local, "conn", None) is None:
            self.local.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=15)
        return self.local.conn

    def post(self, payload, msg_id=None, secret_key=STOREFRONT_SECRET_KEY):
        body = json.dumps(payload).encode() if not isinstance(payload, bytes) else payload
        msg_id = msg_id or "msg_" + hashlib.sha1(body).hexdigest()[:20]
        headers = standard_webhooks_headers(base64.b64encode(secret_key).decode(), msg_id, body)
        for attempt in range(3):
            conn = self._conn()
            try:
                conn.request("POST", f"/v1/channels/{self.channel}/webhooks", body=body, headers=headers)
                r = conn.getresponse()
                data = r.read()
                return r.status, json.loads(data) if data else None
            except (ConnectionError, OSError, http_client_errors()):
                conn.close()
                self.local.conn = None
                if attempt == 2:
                    raise
        return None, None


def http_client_errors():
    import http.client
    return http.client.HTTPException
