"""Amazon ingress end to end: the drop directory (inbox/ → done/ | failed/) and the scheduled
SP-API report pull against a local fake SP-API + LWA server. Real binary, real redis-server,
loopback only."""
import gzip
import json
import os
import shutil
import subprocess
import tempfile
import threading
import time
import unittest
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from harness import BINARY, SOURCE_DIR, FakeOms, Gateway, RedisServer, base_config, wait_until

AMAZON_GOLDEN = os.path.join(SOURCE_DIR, "tests", "unit", "amazon", "golden")
GOLDEN_US = os.path.join(AMAZON_GOLDEN, "all_orders_us.tsv")


def read(path):
    with open(path, "rb") as f:
        return f.read()


def expected_us():
    expected = json.loads(read(os.path.join(AMAZON_GOLDEN, "all_orders_us.expected.json")))
    good = [o for o in expected["orders"] if "event" in o]
    bad = [o for o in expected["orders"] if "problems" in o]
    return good, bad


def drop(inbox, name, data):
    """The documented convention: write `<name>.part`, then rename it to its final name."""
    part = os.path.join(inbox, name + ".part")
    with open(part, "wb") as f:
        f.write(data[: len(data) // 2])
        f.flush()
        time.sleep(0.3)  # a writer still busy: the watcher must not take a .part file
        f.write(data[len(data) // 2:])
    os.rename(part, os.path.join(inbox, name))


class InboxTest(unittest.TestCase):
    def setUp(self):
        self.redis = RedisServer(aof=True)  # survives the restart in the Redis-down test
        self.oms = FakeOms()
        self.dir = tempfile.mkdtemp(prefix="og-inbox-")
        extra = f"""
channels:
  amazon:
    adapter: amazon_flat_file
    marketplace: ATVPDKIKX0DER
    inbox:
      dir: {self.dir}
      poll: 200ms
"""
        self.gw = Gateway(base_config(self.redis.url, self.oms) + extra)

    def tearDown(self):
        self.gw.close()
        self.oms.close()
        self.redis.close()
        shutil.rmtree(self.dir, ignore_errors=True)

    def sub(self, name):
        return os.path.join(self.dir, name)

    def test_good_report_lands_in_done_with_summary_and_reaches_the_oms(self):
        for name in ("inbox", "done", "failed"):
            self.assertTrue(os.path.isdir(self.sub(name)), name)
        good, bad = expected_us()
        drop(self.sub("inbox"), "all_orders_us.tsv", read(GOLDEN_US))
        done = os.path.join(self.sub("done"), "all_orders_us.tsv")
        wait_until(lambda: os.path.exists(done + ".summary.json"), timeout=20, what="file in done/")
        self.assertEqual(os.listdir(self.sub("inbox")), [])
        self.assertEqual(read(done), read(GOLDEN_US))
        summary = json.loads(read(done + ".summary.json"))
        self.assertEqual(summary["status"], "processed")
        self.assertEqual(summary["counts"].get("accepted"), len(good))
        self.assertEqual(summary["counts"].get("quarantined"), len(bad))
        quarantined = {o["order_id"]: o for o in summary["orders"] if o["status"] == "quarantined"}
        self.assertEqual(set(quarantined), {o["order_id"] for o in bad})
        for o in quarantined.values():
            self.assertTrue(o["lines"], o)
            self.assertTrue(all(e["line"] > 0 and e["column"] for e in o["errors"]), o)
        wait_until(lambda: len(self.oms.received()) == len(good), timeout=30, what="good orders at the OMS")
        subjects = {ev["subject"] for _, _, ev in self.oms.received()}
        self.assertEqual(subjects, {o["event"]["subject"] for o in good})
        status, body, _ = self.gw.request("GET", "/metrics")
        self.assertIn('ordergate_inbox_files_total{channel="amazon",outcome="done"} 1', body.decode())

    def test_missing_column_lands_in_failed(self):
        lines = read(GOLDEN_US).decode().split("\n")
        col = lines[0].rstrip("\r").split("\t").index("item-price")
        cut = ["\t".join(c for i, c in enumerate(line.split("\t")) if i != col) for line in lines]
        drop(self.sub("inbox"), "broken.tsv", "\n".join(cut).encode())
        failed = os.path.join(self.sub("failed"), "broken.tsv")
        wait_until(lambda: os.path.exists(failed + ".summary.json"), timeout=20, what="file in failed/")
        summary = json.loads(read(failed + ".summary.json"))
        self.assertEqual(summary["status"], "rejected")
        self.assertIn("item-price", json.dumps(summary["errors"]))
        self.assertEqual(os.listdir(self.sub("inbox")), [])
        time.sleep(0.5)
        self.assertEqual(self.oms.received(), [])

    def test_file_waits_in_inbox_while_redis_is_down(self):
        good, _ = expected_us()
        self.redis.stop()
        drop(self.sub("inbox"), "all_orders_us.tsv", read(GOLDEN_US))
        wait_until(lambda: 'ordergate_inbox_files_total{channel="amazon",outcome="retry"}'
                   in self.gw.request("GET", "/metrics")[1].decode(), timeout=20, what="retry metric")
        self.assertEqual(os.listdir(self.sub("inbox")), ["all_orders_us.tsv"])
        self.assertEqual(os.listdir(self.sub("failed")), [])
        self.redis.start()
        done = os.path.join(self.sub("done"), "all_orders_us.tsv")
        wait_until(lambda: os.path.exists(done + ".summary.json"), timeout=30, what="file in done/")
        summary = json.loads(read(done + ".summary.json"))
        self.assertEqual(summary["counts"].get("accepted"), len(good))
        wait_until(lambda: len(self.oms.received()) == len(good), timeout=30, what="good orders at the OMS")

    def test_hidden_and_part_files_are_left_alone(self):
        for name in (".hidden.tsv", "upload.tsv.part", "upload.tsv.tmp"):
            with open(os.path.join(self.sub("inbox"), name), "wb") as f:
                f.write(read(GOLDEN_US))
        time.sleep(1.5)
        self.assertEqual(sorted(os.listdir(self.sub("inbox"))),
                         [".hidden.tsv", "upload.tsv.part", "upload.tsv.tmp"])
        self.assertEqual(os.listdir(self.sub("done")), [])


class InboxConfigTest(unittest.TestCase):
    def test_missing_dir_is_a_config_error_naming_the_key(self):
        redis = RedisServer()
        try:
            extra = """
channels:
  amazon:
    adapter: amazon_flat_file
    inbox:
      dir: /nonexistent/ordergate-inbox
"""
            gw = Gateway(base_config(redis.url) + extra, start=False)
            try:
                p = subprocess.run([BINARY, "serve", "--config", gw.config_path],
                                   capture_output=True, timeout=20)
                self.assertNotEqual(p.returncode, 0)
                self.assertIn("channels.amazon.inbox.dir", (p.stdout + p.stderr).decode())
            finally:
                gw.close()
        finally:
            redis.close()


REFRESH_TOKEN = "Atzr|refresh-e2e"
CLIENT_ID = "amzn1.application-oa2-client.e2e"
CLIENT_SECRET = "e2e-secret"
ACCESS_TOKEN = "Atza|access-e2e"


class FakeSpApi:
    """LWA token endpoint + SP-API Reports 2021-06-30 + a pre-signed document URL, as documented.
    The first createReport answers 429 with Retry-After: 1; getReport says IN_QUEUE, IN_PROGRESS,
    then DONE; the document is GZIP with Content-Type text/plain; charset=UTF-8."""

    def __init__(self, report_bytes, final_status="DONE"):
        self.lock = threading.Lock()
        self.report = gzip.compress(report_bytes)
        self.token_requests = []
        self.create_requests = []  # (time, parsed body)
        self.throttled = 0
        self.polls = 0
        self.downloads = 0
        self.errors = []
        self.final_status = final_status
        outer = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def answer(self, status, body, content_type="application/json", headers=()):
                data = body if isinstance(body, bytes) else json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(data)))
                for k, v in headers:
                    self.send_header(k, v)
                self.end_headers()
                self.wfile.write(data)

            def authorised(self):
                if self.headers.get("x-amz-access-token") != ACCESS_TOKEN:
                    with outer.lock:
                        outer.errors.append(f"{self.path}: bad x-amz-access-token")
                    self.answer(403, {"errors": [{"code": "Unauthorized", "message": "Access denied"}]})
                    return False
                return True

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                if self.path == "/auth/o2/token":
                    form = dict(urllib.parse.parse_qsl(body.decode()))
                    with outer.lock:
                        outer.token_requests.append(form)
                    ok = (form.get("grant_type") == "refresh_token" and form.get("refresh_token") == REFRESH_TOKEN
                          and form.get("client_id") == CLIENT_ID and form.get("client_secret") == CLIENT_SECRET)
                    if not ok:
                        self.answer(400, {"error": "invalid_grant"})
                        return
                    self.answer(200, {"access_token": ACCESS_TOKEN, "token_type": "bearer",
                                      "expires_in": 3600, "refresh_token": REFRESH_TOKEN})
                    return
                if self.path == "/reports/2021-06-30/reports":
                    if not self.authorised():
                        return
                    with outer.lock:
                        first = outer.throttled == 0
                        if first:
                            outer.throttled += 1
                        else:
                            outer.create_requests.append((time.time(), json.loads(body)))
                    if first:
                        self.answer(429, {"errors": [{"code": "QuotaExceeded", "message": "throttled"}]},
                                    headers=[("Retry-After", "1")])
                        return
                    self.answer(202, {"reportId": "ID323"})
                    return
                self.answer(404, {"errors": [{"code": "NotFound"}]})

            def do_GET(self):
                port = self.server.server_address[1]
                if self.path == "/reports/2021-06-30/reports/ID323":
                    if not self.authorised():
                        return
                    with outer.lock:
                        outer.polls += 1
                        n = outer.polls
                    status = ["IN_QUEUE", "IN_PROGRESS"][n - 1] if n <= 2 else outer.final_status
                    report = {"reportId": "ID323", "reportType": "GET_FLAT_FILE_ALL_ORDERS_DATA_BY_LAST_UPDATE_GENERAL",
                              "processingStatus": status, "marketplaceIds": ["ATVPDKIKX0DER"],
                              "createdTime": "2026-11-23T00:00:00+00:00"}
                    if status == "DONE":
                        report["reportDocumentId"] = "DOC-ID323"
                    self.answer(200, report)
                    return
                if self.path == "/reports/2021-06-30/documents/DOC-ID323":
                    if not self.authorised():
                        return
                    self.answer(200, {"reportDocumentId": "DOC-ID323", "compressionAlgorithm": "GZIP",
                                      "url": f"http://127.0.0.1:{port}/presigned/DOC-ID323?X-Amz-Signature=abc"})
                    return
                if self.path.startswith("/presigned/DOC-ID323"):
                    if self.headers.get("x-amz-access-token"):
                        with outer.lock:
                            outer.errors.append("download carried the SP-API token")
                    with outer.lock:
                        outer.downloads += 1
                    self.answer(200, outer.report, "text/plain; charset=UTF-8")
                    return
                self.answer(404, {"errors": [{"code": "NotFound"}]})

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def url(self, path=""):
        return f"http://127.0.0.1:{self.port}{path}"

    def close(self):
        self.server.shutdown()
        self.server.server_close()


class SpApiTest(unittest.TestCase):
    def setUp(self):
        self.redis = RedisServer()
        self.oms = FakeOms()
        self.api = FakeSpApi(read(GOLDEN_US))
        extra = f"""
channels:
  amazon:
    adapter: amazon_flat_file
    marketplace: ATVPDKIKX0DER
    sp_api:
      endpoint: {self.api.url()}
      region: na
      lwa_url: {self.api.url('/auth/o2/token')}
      refresh_token: "${{AMAZON_REFRESH_TOKEN}}"
      client_id: {CLIENT_ID}
      client_secret: {CLIENT_SECRET}
      marketplace_ids: [ATVPDKIKX0DER]
      interval: 1h
      lookback: 2h
      poll: 200ms
"""
        self.config = base_config(self.redis.url, self.oms) + extra
        self.gw = Gateway(self.config, env={"AMAZON_REFRESH_TOKEN": REFRESH_TOKEN})

    def tearDown(self):
        self.gw.close()
        self.oms.close()
        self.api.close()
        self.redis.close()

    def test_report_is_requested_downloaded_and_its_orders_reach_the_oms(self):
        good, _ = expected_us()
        wait_until(lambda: len(self.oms.received()) == len(good), timeout=30, what="report orders at the OMS")
        self.assertEqual(self.api.errors, [])
        self.assertEqual(self.api.throttled, 1)
        self.assertEqual(len(self.api.create_requests), 1)
        when, body = self.api.create_requests[0]
        self.assertEqual(body["reportType"], "GET_FLAT_FILE_ALL_ORDERS_DATA_BY_LAST_UPDATE_GENERAL")
        self.assertEqual(body["marketplaceIds"], ["ATVPDKIKX0DER"])
        start = time.mktime(time.strptime(body["dataStartTime"][:19], "%Y-%m-%dT%H:%M:%S")) - time.timezone
        self.assertAlmostEqual(when - start, 7200, delta=120)
        self.assertEqual(len(self.api.token_requests), 1)
        self.assertEqual(self.api.downloads, 1)
        subjects = {ev["subject"] for _, _, ev in self.oms.received()}
        self.assertEqual(subjects, {o["event"]["subject"] for o in good})
        wait_until(lambda: 'outcome="ingested"} 1' in self.gw.request("GET", "/metrics")[1].decode(),
                   timeout=10, what="ingested metric")
        self.assertEqual(self.gw.json("GET", "/readyz")[1]["checks"]["sp_api:amazon"], "ok")
        self.assertIn("Content-Type charset=UTF-8", self.gw.logs())  # the download's charset was used

        # A restart within the interval continues from the stored cursor: no new report yet.
        self.assertTrue(self.redis.cli("HGET", "og:sp_api:amazon", "cursor_ms").strip())
        self.gw.terminate()
        self.gw.log.close()
        self.gw.start()
        time.sleep(2.0)
        self.assertEqual(len(self.api.create_requests), 1)


class SpApiFatalTest(unittest.TestCase):
    def test_fatal_report_is_counted_and_not_retried_before_the_next_interval(self):
        redis, oms, api = RedisServer(), FakeOms(), FakeSpApi(read(GOLDEN_US), final_status="FATAL")
        gw = None
        try:
            extra = f"""
channels:
  amazon:
    adapter: amazon_flat_file
    sp_api:
      endpoint: {api.url()}
      lwa_url: {api.url('/auth/o2/token')}
      refresh_token: "{REFRESH_TOKEN}"
      client_id: {CLIENT_ID}
      client_secret: {CLIENT_SECRET}
      marketplace_ids: ATVPDKIKX0DER
      interval: 1h
      poll: 100ms
"""
            gw = Gateway(base_config(redis.url, oms) + extra)
            wait_until(lambda: 'ordergate_sp_api_reports_total{channel="amazon",outcome="fatal"} 1'
                       in gw.request("GET", "/metrics")[1].decode(), timeout=20, what="fatal metric")
            time.sleep(1.5)
            self.assertEqual(len(api.create_requests), 1)
            self.assertEqual(api.downloads, 0)
            self.assertEqual(oms.received(), [])
            self.assertEqual(redis.cli("EXISTS", "og:sp_api:amazon"), "0")
            self.assertIn("FATAL", gw.logs())
            detail = gw.json("GET", "/readyz")[1]["checks"]["sp_api:amazon"]
            self.assertTrue(detail.startswith("alert: fatal: "), detail)
        finally:
            if gw:
                gw.close()
            api.close()
            oms.close()
            redis.close()


class SpApiAuthTest(unittest.TestCase):
    def test_refused_credentials_are_an_alert_without_report_requests(self):
        redis, oms, api = RedisServer(), FakeOms(), FakeSpApi(read(GOLDEN_US))
        gw = None
        try:
            extra = f"""
channels:
  amazon:
    adapter: amazon_flat_file
    sp_api:
      endpoint: {api.url()}
      lwa_url: {api.url('/auth/o2/token')}
      refresh_token: "{REFRESH_TOKEN}"
      client_id: {CLIENT_ID}
      client_secret: wrong-secret
      marketplace_ids: [ATVPDKIKX0DER]
      interval: 1h
"""
            gw = Gateway(base_config(redis.url, oms) + extra)
            wait_until(lambda: 'ordergate_sp_api_reports_total{channel="amazon",outcome="auth_error"} 1'
                       in gw.request("GET", "/metrics")[1].decode(), timeout=20, what="auth_error metric")
            detail = gw.json("GET", "/readyz")[1]["checks"]["sp_api:amazon"]
            self.assertTrue(detail.startswith("alert: auth_error: lwa_token: HTTP 400"), detail)
            self.assertNotIn("wrong-secret", gw.logs())
            self.assertEqual(len(api.token_requests), 1)  # a 400 is not retried
            self.assertEqual(api.create_requests, [])
        finally:
            if gw:
                gw.close()
            api.close()
            oms.close()
            redis.close()


class SpApiConfigTest(unittest.TestCase):
    def test_missing_marketplace_ids_is_a_config_error_naming_the_key(self):
        redis = RedisServer()
        try:
            extra = """
channels:
  amazon:
    adapter: amazon_flat_file
    sp_api:
      endpoint: http://127.0.0.1:9
      refresh_token: x
      client_id: y
      client_secret: z
"""
            gw = Gateway(base_config(redis.url) + extra, start=False)
            try:
                p = subprocess.run([BINARY, "serve", "--config", gw.config_path],
                                   capture_output=True, timeout=20)
                self.assertNotEqual(p.returncode, 0)
                self.assertIn("channels.amazon.sp_api.marketplace_ids", (p.stdout + p.stderr).decode())
            finally:
                gw.close()
        finally:
            redis.close()


if __name__ == "__main__":
    unittest.main()
